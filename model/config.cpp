#include "model/config.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "checker/result.h"
#include "model/catalogue.h"
#include "model/names.h"
#include "model/state.h"

namespace dmcheck::model {
namespace {

using Check = tl::expected<void, Invalid>;
using Section = ConfigPart::Section;

tl::unexpected<Invalid> bad(ConfigPart part, std::string message) {
  return tl::unexpected(Invalid{Error{ErrorKind::bad_input, std::move(message), {}}, part});
}

ConfigPart entry(Section section, std::size_t index, std::string_view field = {}) {
  return {section, index, std::nullopt, field};
}

ConfigPart item(Section section, std::size_t index, std::size_t item, std::string_view field = {}) {
  return {section, index, item, field};
}

/// Every call of every process, in program order, with the part (process and step) it is in.
template <class Each>
void each_call(const Config& config, Each each) {
  for (std::size_t p = 0; p < config.processes.size(); ++p) {
    const ProcessSpec& process = config.processes[p];
    for (std::size_t s = 0; s < process.program.size(); ++s) {
      for_each_call(process.program[s],
                    [&](const Call& call) { each(process, call, item(Section::processes, p, s)); });
    }
  }
}

Check check_counts(const Config& config) {
  if (config.devices.size() > kMaxDevices) {
    return bad(entry(Section::devices, kMaxDevices),
               fmt::format("too many devices: the model holds at most {}", kMaxDevices));
  }
  if (config.disks.size() > kMaxDisks) {
    return bad(entry(Section::disks, kMaxDisks),
               fmt::format("too many disks: the model holds at most {}", kMaxDisks));
  }
  if (config.tables.size() > kMaxTables) {
    return bad(entry(Section::tables, kMaxTables),
               fmt::format("too many tables: the model holds at most {}", kMaxTables));
  }
  if (config.processes.size() > kMaxProcesses) {
    return bad(entry(Section::processes, kMaxProcesses),
               fmt::format("too many processes: the model runs at most {}", kMaxProcesses));
  }
  return {};
}

Check check_disks(const Config& config) {
  std::set<std::string> disks;
  for (std::size_t i = 0; i < config.disks.size(); ++i) {
    const Disk& d = config.disks[i];
    if (!disks.insert(d.name).second) {
      return bad(entry(Section::disks, i, "name"), "disk '" + d.name + "' is defined twice");
    }
  }
  return {};
}

std::set<std::string> disk_names(const Config& config) {
  std::set<std::string> disks;
  for (const Disk& d : config.disks) {
    disks.insert(d.name);
  }
  return disks;
}

/// One target of table `t` (Config::tables[i], target j) on its own.
Check check_target(const TableDef& t, ConfigPart part, const Target& target,
                   const std::set<std::string>& disks) {
  const bool needs_onto = target.kind != TargetKind::zero && target.kind != TargetKind::error;
  if (needs_onto && target.onto.empty()) {
    return bad(part, "table '" + t.name + "': a " + std::string(to_string(target.kind)) +
                         " target needs 'onto' (a disk or device name)");
  }
  const bool on_device = target.kind == TargetKind::linear || target.kind == TargetKind::thin;
  if (needs_onto && !disks.contains(target.onto) && !on_device) {
    part.field = "onto";
    return bad(part, "table '" + t.name + "': '" + target.onto + "' is not a disk; only " +
                         "linear and thin may sit on another DM device");
  }
  if (target.kind == TargetKind::thin && disks.contains(target.onto)) {
    part.field = "onto";
    return bad(part, "table '" + t.name + "': a thin target sits on its pool's DM device, and '" +
                         target.onto + "' is a disk");
  }
  if (target.offset != 0 && target.kind != TargetKind::linear) {
    part.field = "offset";
    return bad(part, "table '" + t.name + "': only a linear target takes an 'offset'");
  }
  if (target.offset + target.length > 255) {
    part.field = "offset";
    return bad(part, fmt::format("table '{}': offset {} + length {} goes past unit 255, the "
                                 "last the model numbers",
                                 t.name, target.offset, target.length));
  }
  if (target.kind == TargetKind::verity && target.root_hash == 0) {
    part.field = "root_hash";
    return bad(part, "table '" + t.name + "': a verity root hash id must be at least 1");
  }
  return {};
}

/// Config::tables[i]: its count of targets, each target, and at most one on a DM device.
Check check_table(const Config& config, std::size_t i, const std::set<std::string>& disks) {
  const TableDef& t = config.tables[i];
  if (t.targets.empty() || t.targets.size() > kMaxTargets) {
    const ConfigPart part = t.targets.empty() ? entry(Section::tables, i, "targets")
                                              : item(Section::tables, i, kMaxTargets);
    return bad(part, fmt::format("table '{}' must have 1 to {} targets", t.name, kMaxTargets));
  }
  std::optional<std::size_t> second_lower;  // the second target on a DM device, if any
  int lowers = 0;
  for (std::size_t j = 0; j < t.targets.size(); ++j) {
    const Target& target = t.targets[j];
    if (auto ok = check_target(t, item(Section::tables, i, j), target, disks); !ok) {
      return ok;
    }
    const bool on_device = target.kind == TargetKind::linear || target.kind == TargetKind::thin;
    if (on_device && !disks.contains(target.onto) && ++lowers == 2) {
      second_lower = j;
    }
  }
  if (second_lower) {
    return bad(item(Section::tables, i, *second_lower, "onto"),
               "table '" + t.name + "': at most one target may sit on a DM device");
  }
  return {};
}

Check check_tables(const Config& config) {
  const std::set<std::string> disks = disk_names(config);
  std::set<std::string> tables;
  for (std::size_t i = 0; i < config.tables.size(); ++i) {
    if (!tables.insert(config.tables[i].name).second) {
      return bad(entry(Section::tables, i, "name"),
                 "table '" + config.tables[i].name + "' is defined twice");
    }
    if (auto ok = check_table(config, i, disks); !ok) {
      return ok;
    }
  }
  return {};
}

const TableDef* find_table(const Config& config, const std::string& name) {
  for (const TableDef& t : config.tables) {
    if (t.name == name) {
      return &t;
    }
  }
  return nullptr;
}

bool known_table(const Config& config, const std::string& name) {
  return find_table(config, name) != nullptr;
}

bool immutable_kept(const TableDef& live, const TableDef& next) {
  TargetKind kept = TargetKind::error;
  bool has_kept = false;
  for (const Target& t : live.targets) {
    if (is_immutable(t.kind)) {
      kept = t.kind;
      has_kept = true;
    }
  }
  if (!has_kept) {
    return true;
  }
  for (const Target& t : next.targets) {
    if (t.kind == kept || t.kind == TargetKind::error) {
      return true;
    }
  }
  return false;
}

/// A device's initial inactive table: one a table load onto the device as it starts would
/// stage. Only the load's rules that such a table can break are needed: a device below it
/// would have to be held open by the table, which the initial state does not model, so only
/// backing disks are allowed.
Check check_initial_inactive(const Config& config, std::size_t i) {
  const DeviceSpec& d = config.devices[i];
  if (d.inactive.empty()) {
    return {};
  }
  const ConfigPart part = entry(Section::devices, i, "inactive");
  const TableDef* table = find_table(config, d.inactive);
  if (table == nullptr) {
    return bad(part, "device '" + d.name + "': unknown table '" + d.inactive + "'");
  }
  if (d.table.empty()) {
    return bad(part, "device '" + d.name + "': an inactive table needs a live table too");
  }
  for (const Target& t : table->targets) {
    if (!t.onto.empty() && disk_names(config).count(t.onto) == 0) {
      return bad(part, "device '" + d.name + "': an initial inactive table may map only backing " +
                           "disks; load one onto '" + t.onto + "' in a process");
    }
    if (t.kind == TargetKind::verity && !d.inactive_readonly) {
      return bad(part, "device '" + d.name + "': a verity table needs inactive_readonly = true");
    }
    if (is_singleton(t.kind) && table->targets.size() > 1) {
      return bad(part, "device '" + d.name + "': a singleton target stands alone in its table");
    }
  }
  if (!immutable_kept(*find_table(config, d.table), *table)) {
    return bad(part, "device '" + d.name + "': the live table's immutable target type may be " +
                         "replaced only by the same type or error (a load would fail EINVAL)");
  }
  return {};
}

/// A device live before the run with a thin table: its pool device is live before it, with a
/// thin-pool table (the thin's id is then in the pool's metadata).
Check check_initial_thin(const Config& config, std::size_t i) {
  const TableDef* table = find_table(config, config.devices[i].table);
  for (const Target& t : table != nullptr ? table->targets : std::vector<Target>{}) {
    if (t.kind != TargetKind::thin) {
      continue;
    }
    const auto pool = std::find_if(config.devices.begin(), config.devices.begin() + i,
                                   [&](const DeviceSpec& d) { return d.name == t.onto; });
    const TableDef* pool_table =
        pool == config.devices.begin() + i ? nullptr : find_table(config, pool->table);
    if (pool_table == nullptr || pool_table->targets.front().kind != TargetKind::thin_pool) {
      return bad(entry(Section::devices, i, "table"),
                 "device '" + config.devices[i].name + "': its thin target's pool '" + t.onto +
                     "' must be a device listed before it with a thin-pool table");
    }
  }
  return {};
}

Check check_devices(const Config& config) {
  std::set<std::string> names;
  for (std::size_t i = 0; i < config.devices.size(); ++i) {
    const DeviceSpec& d = config.devices[i];
    if (!names.insert(d.name).second) {
      return bad(entry(Section::devices, i, "name"), "device '" + d.name + "' is defined twice");
    }
    if (!d.table.empty() && !known_table(config, d.table)) {
      return bad(entry(Section::devices, i, "table"),
                 "device '" + d.name + "': unknown table '" + d.table + "'");
    }
    if (d.open_limit != 0 && !config.variant.has_open_limit()) {
      return bad(entry(Section::devices, i, "open_limit"),
                 "device '" + d.name + "': an open limit needs variant open-limit-ioctl or " +
                     "create-open-limit");
    }
    if (auto ok = check_initial_thin(config, i); !ok) {
      return ok;
    }
    if (auto ok = check_initial_inactive(config, i); !ok) {
      return ok;
    }
    if (d.open_count > kMaxInitialOpenCount) {
      return bad(entry(Section::devices, i, "open_count"),
                 fmt::format("device '{}': open_count {} is over the model's bound of {}", d.name,
                             d.open_count, kMaxInitialOpenCount));
    }
  }
  return {};
}

/// The shape of one step: how many alternatives, how many calls in each.
Check check_step_shape(const ProcessSpec& p, const Step& step, ConfigPart part) {
  if (step.sequences.empty() || step.sequences.size() > kMaxAlternatives) {
    return bad(part, fmt::format("process '{}': a choice takes 1 to {} alternatives", p.name,
                                 kMaxAlternatives));
  }
  // if ok's two bodies: one of them may be empty (no else, or nothing to do on success).
  const bool two_bodies = step.form == Step::Form::if_ok;
  if (two_bodies &&
      (step.sequences.size() != 2 || (step.sequences[0].empty() && step.sequences[1].empty()))) {
    return bad(part, "process '" + p.name + "': 'if ok' needs a body for success or failure");
  }
  for (const auto& sequence : step.sequences) {
    if (sequence.empty() && !two_bodies) {
      return bad(part, "process '" + p.name + "': an empty call sequence");
    }
    if (sequence.size() > kMaxSequenceCalls) {
      return bad(part, fmt::format("process '{}': a call sequence of {} calls; the model holds at "
                                   "most {}",
                                   p.name, sequence.size(), kMaxSequenceCalls));
    }
  }
  return {};
}

/// Why the kernel would refuse the names one call passes it; empty when it would take them.
std::string call_name_problem(const Call& call) {
  if (call.op != Op::remove_all) {
    if (std::string why = device_name_problem(call.device); !why.empty()) {
      return why;
    }
  }
  if (call.op == Op::rename) {
    if (std::string why = device_name_problem(call.new_name); !why.empty()) {
      return why;
    }
  }
  return uuid_problem(call.uuid);
}

/// What the variant and the tables say of one call, and the names it passes the kernel.
Check check_call(const Config& config, const ProcessSpec& p, const Call& call, ConfigPart part) {
  const Variant& v = config.variant;
  const std::string where = "process '" + p.name + "', step '" + to_string(call) + "': ";
  if ((call.op == Op::load || call.op == Op::create) && !call.table.empty() &&
      !known_table(config, call.table)) {
    return bad(part, where + "unknown table '" + call.table + "'");
  }
  if (call.no_open && !v.has(kNoOpenFlag)) {
    return bad(part,
               where + "--no-open needs the no-open-flag patch (variant " + to_string(v) + ")");
  }
  if (call.op == Op::set_open_limit && !v.has(kOpenLimitIoctl)) {
    return bad(part, where + "set_open_limit needs the open-limit-ioctl patch (variant " +
                         to_string(v) + ")");
  }
  if (call.op == Op::create && call.enforce_open_limit && !v.has(kCreateOpenLimit)) {
    return bad(part, where + "--open-limit needs the create-open-limit patch (variant " +
                         to_string(v) + ")");
  }
  if (std::string why = call_name_problem(call); !why.empty()) {
    return bad(part, where + why);
  }
  return {};
}

/// The process other than `self` and its call that could give `name` to a device during the
/// run (a create of it, a rename to it); empty when none could. `self`'s own calls cannot run
/// between two consecutive calls of its own.
std::string reappears(const Config& config, const std::string& name, const ProcessSpec& self) {
  std::string found;
  for (const ProcessSpec& p : config.processes) {
    if (&p == &self) {
      continue;
    }
    for_each_call(p.program, [&](const Call& call) {
      const bool gives = (call.op == Op::create && call.device == name) ||
                         (call.op == Op::rename && call.new_name == name);
      if (gives && found.empty()) {
        found = "process '" + p.name + "' step '" + to_string(call) + "'";
      }
    });
  }
  return found;
}

/// `remove --force NAME` loads the scenario's table `error`, which holds error targets only.
/// Its expansion also runs dmsetup's clear after a failed load, which can only fail because
/// NAME is gone: that clear is the no-op dmsetup skips only while no other process can bring
/// NAME back between the two calls.
Check check_force(const Config& config, const ProcessSpec& self, const Step& step,
                  ConfigPart part) {
  const std::string& name = step.sequences[0][0].device;
  const std::string where = "'remove --force " + name + "': ";
  const auto table = std::find_if(config.tables.begin(), config.tables.end(),
                                  [](const TableDef& t) { return t.name == kForceErrorTable; });
  if (table == config.tables.end()) {
    return bad(part, where +
                         "it loads table 'error': declare it in [[tables]] as name = "
                         "\"error\" with an error target");
  }
  for (const Target& target : table->targets) {
    if (target.kind != TargetKind::error) {
      return bad(part, where + "table 'error' must have only error targets, as dmsetup loads");
    }
  }
  if (std::string other = reappears(config, name, self); !other.empty()) {
    return bad(part, where + other + " could give the name to a new device, which the " +
                         "expansion's clear after a failed load would then reach (see " +
                         "docs/scenarios.md, remove --force)");
  }
  return {};
}

/// if ok and on react to the call before them, so one must come first; a retry's bound and an
/// on's errno are within what the model holds.
Check check_reacting(const Config& config, const ProcessSpec& p, std::size_t s, ConfigPart part) {
  const Step& step = p.program[s];
  const std::string where = "process '" + p.name + "', step '" + to_string(step) + "': ";
  // retry reacts to its own body's calls; if ok and on react to the call before them.
  const bool needs_call_before = step.form == Step::Form::if_ok || step.form == Step::Form::on;
  if (needs_call_before && s == 0) {
    return bad(part, where +
                         "a reacting step depends on the previous call's result, and no "
                         "call comes before it");
  }
  if (is_reacting(step) && (step.bound == 0 || (step.form == Step::Form::on && step.err == 0))) {
    return bad(part, where + "a retry bound is 1 to 255 attempts, and 'on' names an errno");
  }
  if (step.composite == Composite::remove_force && step.form == Step::Form::call &&
      step.sequences[0][0].op == Op::load) {
    return check_force(config, p, step, part);
  }
  return {};
}

/// Config::processes[p]: the length of its program, then each step's shape and calls.
Check check_program(const Config& config, std::size_t p) {
  const ProcessSpec& process = config.processes[p];
  if (process.program.size() > kMaxProgramSteps) {
    return bad(item(Section::processes, p, kMaxProgramSteps),
               fmt::format("process '{}': program too long; at most {} steps", process.name,
                           kMaxProgramSteps));
  }
  for (std::size_t s = 0; s < process.program.size(); ++s) {
    const ConfigPart part = item(Section::processes, p, s);
    if (auto ok = check_step_shape(process, process.program[s], part); !ok) {
      return ok;
    }
    if (auto ok = check_reacting(config, process, s, part); !ok) {
      return ok;
    }
    Check calls;
    for_each_call(process.program[s], [&](const Call& call) {
      if (calls) {
        calls = check_call(config, process, call, part);
      }
    });
    if (!calls) {
      return calls;
    }
  }
  return {};
}

/// Process names are unique (properties and traces name processes by them), and the copies of
/// one `count = N` entry are consecutive and run one program, which is what makes them
/// interchangeable.
Check check_process_identities(const Config& config) {
  std::set<std::string> names;
  for (std::size_t p = 0; p < config.processes.size(); ++p) {
    const ProcessSpec& process = config.processes[p];
    if (!process.name.empty() && !names.insert(process.name).second) {
      return bad(entry(Section::processes, p, "name"),
                 "process '" + process.name + "' is defined twice");
    }
    if (process.copy_of.empty() || p == 0 || config.processes[p - 1].copy_of != process.copy_of) {
      const bool seen_before =
          !process.copy_of.empty() &&
          std::any_of(config.processes.begin(), config.processes.begin() + static_cast<long>(p),
                      [&](const ProcessSpec& q) { return q.copy_of == process.copy_of; });
      if (seen_before) {
        return bad(entry(Section::processes, p),
                   "the copies of process entry '" + process.copy_of + "' must be consecutive");
      }
      continue;
    }
    if (process.program != config.processes[p - 1].program) {
      return bad(entry(Section::processes, p), "process '" + process.name + "' is a copy of '" +
                                                   process.copy_of + "' but runs another program");
    }
  }
  return {};
}

Check check_programs(const Config& config) {
  for (std::size_t p = 0; p < config.processes.size(); ++p) {
    if (auto ok = check_program(config, p); !ok) {
      return ok;
    }
  }
  return {};
}

/// Device names and uuids in the order the configuration gives them: each valid for the kernel,
/// and no more distinct ones than the model's byte indices hold (index 0 is "none"). The first
/// name past the bound is the one at fault.
class NameCheck {
 public:
  Check name(const std::string& name, ConfigPart part) {
    return add(names_, name, device_name_problem(name), part);
  }
  Check uuid(const std::string& uuid, ConfigPart part) {
    return add(uuids_, uuid, uuid_problem(uuid), part);
  }

 private:
  static Check add(std::set<std::string>& set, const std::string& text, std::string problem,
                   ConfigPart part) {
    if (!problem.empty()) {
      return bad(part, std::move(problem));
    }
    if (set.insert(text).second && set.size() > kMaxNames - 1) {
      return bad(part, fmt::format("too many distinct device names or uuids: the model holds at "
                                   "most {} of each",
                                   kMaxNames - 1));
    }
    return {};
  }

  std::set<std::string> names_;
  std::set<std::string> uuids_;
};

/// The names the tables and the steps use: a target's device below (interned like any other
/// name), and each call's device, new name and uuid.
Check check_used_names(const Config& config, NameCheck& names) {
  const std::set<std::string> disks = disk_names(config);
  for (std::size_t i = 0; i < config.tables.size(); ++i) {
    const auto& targets = config.tables[i].targets;
    for (std::size_t j = 0; j < targets.size(); ++j) {
      if (targets[j].onto.empty() || disks.contains(targets[j].onto)) {
        continue;
      }
      if (auto ok = names.name(targets[j].onto, item(Section::tables, i, j, "onto")); !ok) {
        return ok;
      }
    }
  }
  Check ok;
  each_call(config, [&](const ProcessSpec&, const Call& call, ConfigPart part) {
    for (const std::string* name : {&call.device, &call.new_name}) {
      if (ok && !name->empty()) {
        ok = names.name(*name, part);
      }
    }
    if (ok && !call.uuid.empty()) {
      ok = names.uuid(call.uuid, part);
    }
  });
  return ok;
}

Check check_names(const Config& config) {
  NameCheck names;
  for (std::size_t i = 0; i < config.devices.size(); ++i) {
    const DeviceSpec& d = config.devices[i];
    if (auto ok = names.name(d.name, entry(Section::devices, i, "name")); !ok) {
      return ok;
    }
    if (d.uuid.empty()) {
      continue;
    }
    if (auto ok = names.uuid(d.uuid, entry(Section::devices, i, "uuid")); !ok) {
      return ok;
    }
  }
  for (std::size_t i = 0; i < config.extra_names.size(); ++i) {
    if (auto ok = names.name(config.extra_names[i], entry(Section::extra_names, i)); !ok) {
      return ok;
    }
  }
  return check_used_names(config, names);
}

Check check_internal_suspender(const Config& config) {
  const std::string& target = config.actors.internal_suspender;
  if (target.empty()) {
    return {};
  }
  bool named = false;
  for (const DeviceSpec& d : config.devices) {
    named = named || d.name == target;
  }
  for (const std::string& extra : config.extra_names) {
    named = named || extra == target;
  }
  each_call(config, [&](const ProcessSpec&, const Call& call, const ConfigPart&) {
    named = named || call.device == target || call.new_name == target;
  });
  if (!named) {
    return bad(entry(Section::actors, 0, "internal_suspender"),
               "internal suspender: '" + target + "' names no device of the configuration");
  }
  if (config.actors.internal_suspend_rounds < 1 || config.actors.internal_suspend_rounds > 3) {
    return bad(entry(Section::actors, 0, "internal_suspend_rounds"),
               "internal suspender: 1 to 3 rounds");
  }
  return {};
}

/// The scenario's own properties: names unique and apart from the catalogue's, every name in an
/// expression one of the configuration's, and few enough watched calls for Process::last_call.
Check check_user_properties(const Config& config) {
  std::vector<std::string> watched;
  for (std::size_t i = 0; i < config.user_properties.size(); ++i) {
    const UserProperty& p = config.user_properties[i];
    if (find_in_catalogue(p.name) != nullptr || p.name == checker::kDeadlockProperty) {
      return bad(
          entry(Section::user_properties, i, "name"),
          "property '" + p.name + "' is already one of the catalogue's; choose another name");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (config.user_properties[j].name == p.name) {
        return bad(entry(Section::user_properties, i, "name"),
                   "property '" + p.name + "' is defined twice");
      }
    }
    if (node_count(p.expr) > kMaxExprNodes) {
      return bad(entry(Section::user_properties, i), "property '" + p.name + "' has more than " +
                                                         std::to_string(kMaxExprNodes) +
                                                         " operators and operands");
    }
    if (std::string why = expression_problem(config, p.expr); !why.empty()) {
      return bad(entry(Section::user_properties, i), "property '" + p.name + "': " + why);
    }
    collect_watched_calls(p.expr, watched);
  }
  if (watched.size() > kCounterMax) {
    return bad(entry(Section::user_properties, 0),
               "the properties compare a process's last call with " +
                   std::to_string(watched.size()) + " different calls; the model tracks " +
                   std::to_string(kCounterMax) + " at most");
  }
  return {};
}

bool is_user_property(const Config& config, const std::string& name) {
  return std::any_of(config.user_properties.begin(), config.user_properties.end(),
                     [&](const UserProperty& p) { return p.name == name; });
}

/// The catalogue's texts, when given: exactly the text-defined entries, each once, in
/// catalogue order, of their kind, naming nothing of the configuration.
Check check_catalogue_texts(const Config& config) {
  const auto& texts = config.catalogue_texts;
  if (texts.empty()) {
    return {};
  }
  std::size_t at = 0;
  for (const CatalogueEntry& e : catalogue()) {
    if (e.text.empty()) {
      continue;
    }
    if (at >= texts.size() || texts[at].name != e.name || texts[at].kind != e.kind) {
      return bad(entry(Section::whole, 0),
                 "the catalogue's texts do not match the catalogue at '" + std::string(e.name) +
                     "': every text-defined property needs its compiled text, in order");
    }
    if (std::string why = expression_problem(config, texts[at].expr); !why.empty()) {
      return bad(entry(Section::whole, 0), "catalogue property '" + texts[at].name + "': " + why);
    }
    ++at;
  }
  if (at != texts.size()) {
    return bad(entry(Section::whole, 0),
               "catalogue text '" + texts[at].name + "' is no text-defined catalogue property");
  }
  return {};
}

Check check_properties(const Config& config) {
  if (auto ok = check_user_properties(config); !ok) {
    return ok;
  }
  if (auto ok = check_catalogue_texts(config); !ok) {
    return ok;
  }
  for (std::size_t i = 0; i < config.properties.size(); ++i) {
    if (find_in_catalogue(config.properties[i]) == nullptr &&
        !is_user_property(config, config.properties[i])) {
      return bad(entry(Section::properties, i),
                 "unknown property '" + config.properties[i] + "': see the property catalogue");
    }
  }
  return {};
}

}  // namespace

int Config::disk_index(std::string_view name) const {
  const auto it =
      std::find_if(disks.begin(), disks.end(), [&](const Disk& disk) { return disk.name == name; });
  return it == disks.end() ? -1 : static_cast<int>(it - disks.begin());
}

/// The model's thin-pool bounds: distinct pool data disks, and distinct thin device ids (in
/// thin targets and in messages).
Check check_thin_bounds(const Config& config) {
  std::set<std::string> pools;
  std::set<std::uint32_t> ids;
  for (std::size_t i = 0; i < config.tables.size(); ++i) {
    for (const Target& t : config.tables[i].targets) {
      if (t.kind == TargetKind::thin_pool && pools.insert(t.onto).second &&
          pools.size() > kMaxPools) {
        return bad(entry(Section::tables, i),
                   fmt::format("table '{}': a thin-pool on '{}' makes more than {} pools, the "
                               "model's bound (distinct data disks of thin-pool targets)",
                               config.tables[i].name, t.onto, kMaxPools));
      }
      if (t.kind == TargetKind::thin && ids.insert(t.thin_id).second && ids.size() > kMaxThins) {
        return bad(entry(Section::tables, i, "id"),
                   fmt::format("table '{}': thin id {} makes more than {} thin ids, the model's "
                               "bound",
                               config.tables[i].name, t.thin_id, kMaxThins));
      }
    }
  }
  Check out;
  each_call(config, [&](const ProcessSpec& p, const Call& call, ConfigPart part) {
    if (call.op != Op::thin_message || !out) {
      return;
    }
    ids.insert(call.thin_id);
    if (call.thin_verb == ThinVerb::create_snap) {
      ids.insert(call.thin_origin);
    }
    if (ids.size() > kMaxThins) {
      out = bad(part, fmt::format("process '{}': '{}' makes more than {} thin ids, the model's "
                                  "bound",
                                  p.name, to_string(call), kMaxThins));
    }
  });
  return out;
}

tl::expected<void, Invalid> check_config(const Config& config) {
  for (auto check : {check_counts, check_disks, check_tables, check_devices,
                     check_process_identities, check_programs, check_names,
                     check_internal_suspender, check_properties, check_thin_bounds}) {
    if (auto ok = check(config); !ok) {
      return ok;
    }
  }
  return {};
}

tl::expected<void, Error> validate(const Config& config) {
  if (auto ok = check_config(config); !ok) {
    return tl::unexpected(std::move(ok.error().error));
  }
  return {};
}

}  // namespace dmcheck::model
