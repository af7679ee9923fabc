#include "model/config.h"

#include <fmt/format.h>

#include <set>

#include "model/catalogue.h"
#include "model/names.h"
#include "model/state.h"

namespace dmcheck::model {
namespace {

using Check = tl::expected<void, Error>;

tl::unexpected<Error> bad(std::string message) {
  return tl::unexpected(Error{ErrorKind::bad_input, std::move(message), {}});
}

/// Every call of every process, in program order.
template <class Each>
void each_call(const Config& config, Each each) {
  for (const ProcessSpec& p : config.processes) {
    for (const Step& step : p.program) {
      for (const auto& sequence : step.sequences) {
        for (const Call& call : sequence) {
          each(p, call);
        }
      }
    }
  }
}

Check check_counts(const Config& config) {
  if (config.devices.size() > kMaxDevices) {
    return bad(fmt::format("too many devices: the model holds at most {}", kMaxDevices));
  }
  if (config.disks.size() > kMaxDisks) {
    return bad(fmt::format("too many disks: the model holds at most {}", kMaxDisks));
  }
  if (config.tables.size() > kMaxTables) {
    return bad(fmt::format("too many tables: the model holds at most {}", kMaxTables));
  }
  if (config.processes.size() > kMaxProcesses) {
    return bad(fmt::format("too many processes: the model runs at most {}", kMaxProcesses));
  }
  return {};
}

Check check_tables(const Config& config) {
  std::set<std::string> tables;
  std::set<std::string> disks;
  for (const Disk& d : config.disks) {
    if (!disks.insert(d.name).second) {
      return bad("disk '" + d.name + "' is defined twice");
    }
  }
  for (const TableDef& t : config.tables) {
    if (!tables.insert(t.name).second) {
      return bad("table '" + t.name + "' is defined twice");
    }
    if (t.targets.empty() || t.targets.size() > kMaxTargets) {
      return bad(fmt::format("table '{}' must have 1 to {} targets", t.name, kMaxTargets));
    }
    int lowers = 0;
    for (const Target& target : t.targets) {
      const bool needs_onto = target.kind != TargetKind::zero && target.kind != TargetKind::error;
      if (needs_onto && target.onto.empty()) {
        return bad("table '" + t.name + "': a " + std::string(to_string(target.kind)) +
                   " target needs 'onto' (a disk or device name)");
      }
      if (needs_onto && !disks.contains(target.onto)) {
        if (target.kind != TargetKind::linear) {
          return bad("table '" + t.name + "': '" + target.onto + "' is not a disk; only " +
                     "linear may sit on another DM device");
        }
        ++lowers;
      }
      if (target.kind == TargetKind::verity && target.root_hash == 0) {
        return bad("table '" + t.name + "': a verity root hash id must be at least 1");
      }
    }
    if (lowers > 1) {
      return bad("table '" + t.name + "': at most one target may sit on a DM device");
    }
  }
  return {};
}

bool known_table(const Config& config, const std::string& name) {
  for (const TableDef& t : config.tables) {
    if (t.name == name) {
      return true;
    }
  }
  return false;
}

Check check_devices(const Config& config) {
  std::set<std::string> names;
  for (const DeviceSpec& d : config.devices) {
    if (!names.insert(d.name).second) {
      return bad("device '" + d.name + "' is defined twice");
    }
    if (!d.table.empty() && !known_table(config, d.table)) {
      return bad("device '" + d.name + "': unknown table '" + d.table + "'");
    }
    if (d.open_limit != 0 && !config.variant.has_open_limit()) {
      return bad("device '" + d.name + "': an open limit needs variant open-limit-ioctl or " +
                 "create-open-limit");
    }
    if (d.open_count > kMaxInitialOpenCount) {
      return bad(fmt::format("device '{}': open_count {} is over the model's bound of {}", d.name,
                             d.open_count, kMaxInitialOpenCount));
    }
  }
  return {};
}

/// The shape of one step: how many alternatives, how many calls in each.
Check check_step_shape(const ProcessSpec& p, const Step& step) {
  if (step.sequences.empty() || step.sequences.size() > kMaxAlternatives) {
    return bad(
        fmt::format("process '{}': a choice takes 1 to {} alternatives", p.name, kMaxAlternatives));
  }
  for (const auto& sequence : step.sequences) {
    if (sequence.empty()) {
      return bad("process '" + p.name + "': an empty call sequence");
    }
    if (sequence.size() > kMaxSequenceCalls) {
      return bad(
          fmt::format("process '{}': a call sequence of {} calls; the model holds at most "
                      "{}",
                      p.name, sequence.size(), kMaxSequenceCalls));
    }
  }
  return {};
}

/// What the variant and the tables say of one call.
Check check_call(const Config& config, const ProcessSpec& p, const Call& call) {
  const Variant& v = config.variant;
  const std::string where = "process '" + p.name + "', step '" + to_string(call) + "': ";
  if ((call.op == Op::load || call.op == Op::create) && !call.table.empty() &&
      !known_table(config, call.table)) {
    return bad(where + "unknown table '" + call.table + "'");
  }
  if (call.no_open && !v.has(kNoOpenFlag)) {
    return bad(where + "--no-open needs the no-open-flag patch (variant " + to_string(v) + ")");
  }
  if (call.op == Op::set_open_limit && !v.has(kOpenLimitIoctl)) {
    return bad(where + "set_open_limit needs the open-limit-ioctl patch (variant " + to_string(v) +
               ")");
  }
  if (call.op == Op::create && call.open_limit != 0 && !v.has(kCreateOpenLimit)) {
    return bad(where + "--open-limit needs the create-open-limit patch (variant " + to_string(v) +
               ")");
  }
  if (call.op != Op::remove_all) {
    if (std::string why = device_name_problem(call.device); !why.empty()) {
      return bad(where + why);
    }
  }
  if (call.op == Op::rename) {
    if (std::string why = device_name_problem(call.new_name); !why.empty()) {
      return bad(where + why);
    }
  }
  if (std::string why = uuid_problem(call.uuid); !why.empty()) {
    return bad(where + why);
  }
  return {};
}

Check check_programs(const Config& config) {
  for (const ProcessSpec& p : config.processes) {
    if (p.program.size() > kMaxProgramSteps) {
      return bad(fmt::format("process '{}': program too long; at most {} steps", p.name,
                             kMaxProgramSteps));
    }
    for (const Step& step : p.program) {
      if (auto ok = check_step_shape(p, step); !ok) {
        return ok;
      }
      for (const auto& sequence : step.sequences) {
        for (const Call& call : sequence) {
          if (auto ok = check_call(config, p, call); !ok) {
            return ok;
          }
        }
      }
    }
  }
  return {};
}

/// Device names and uuids: each valid for the kernel, and no more distinct ones than the
/// model's byte indices hold (index 0 is "none").
Check check_names(const Config& config) {
  std::set<std::string> names;
  std::set<std::string> uuids;
  for (const DeviceSpec& d : config.devices) {
    names.insert(d.name);
    if (!d.uuid.empty()) {
      uuids.insert(d.uuid);
    }
  }
  names.insert(config.extra_names.begin(), config.extra_names.end());
  std::set<std::string> disks;
  for (const Disk& d : config.disks) {
    disks.insert(d.name);
  }
  for (const TableDef& t : config.tables) {
    for (const Target& target : t.targets) {
      if (!target.onto.empty() && !disks.contains(target.onto)) {
        names.insert(target.onto);  // a device below, interned like any other name
      }
    }
  }
  each_call(config, [&](const ProcessSpec&, const Call& call) {
    for (const std::string* name : {&call.device, &call.new_name}) {
      if (!name->empty()) {
        names.insert(*name);
      }
    }
    if (!call.uuid.empty()) {
      uuids.insert(call.uuid);
    }
  });
  for (const std::string& name : names) {
    if (std::string why = device_name_problem(name); !why.empty()) {
      return bad(why);
    }
  }
  for (const std::string& uuid : uuids) {
    if (std::string why = uuid_problem(uuid); !why.empty()) {
      return bad(why);
    }
  }
  if (names.size() > kMaxNames - 1 || uuids.size() > kMaxNames - 1) {
    return bad(
        fmt::format("too many distinct device names or uuids: the model holds at most {} "
                    "of each",
                    kMaxNames - 1));
  }
  return {};
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
  each_call(config, [&](const ProcessSpec&, const Call& call) {
    named = named || call.device == target || call.new_name == target;
  });
  if (!named) {
    return bad("internal suspender: '" + target + "' names no device of the configuration");
  }
  if (config.actors.internal_suspend_rounds < 1 || config.actors.internal_suspend_rounds > 3) {
    return bad("internal suspender: 1 to 3 rounds");
  }
  return {};
}

}  // namespace

tl::expected<void, Error> validate(const Config& config) {
  for (auto check : {check_counts, check_tables, check_devices, check_programs, check_names,
                     check_internal_suspender}) {
    if (auto ok = check(config); !ok) {
      return ok;
    }
  }
  for (const std::string& name : config.properties) {
    if (find_in_catalogue(name) == nullptr) {
      return bad("unknown property '" + name + "': see the property catalogue");
    }
  }
  return {};
}

}  // namespace dmcheck::model
