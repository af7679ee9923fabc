#include "model/config.h"

#include <set>

#include "model/catalogue.h"
#include "model/state.h"

namespace dmcheck::model {
namespace {

tl::unexpected<Error> bad(std::string message) {
  return tl::unexpected(Error{ErrorKind::bad_input, std::move(message), {}});
}

}  // namespace

tl::expected<void, Error> validate(const Config& config) {
  const Variant& v = config.variant;
  if (config.devices.size() > kMaxDevices) {
    return bad("too many devices: the model holds at most " + std::to_string(kMaxDevices));
  }
  if (config.disks.size() > kMaxDisks) {
    return bad("too many disks: the model holds at most " + std::to_string(kMaxDisks));
  }
  if (config.processes.size() > kMaxProcesses) {
    return bad("too many processes: the model runs at most " + std::to_string(kMaxProcesses));
  }
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
    if (t.targets.empty() || t.targets.size() > 4) {
      return bad("table '" + t.name + "' must have 1 to 4 targets");
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
  auto known_table = [&](const std::string& name) { return tables.contains(name); };
  std::set<std::string> names;
  for (const DeviceSpec& d : config.devices) {
    if (!names.insert(d.name).second) {
      return bad("device '" + d.name + "' is defined twice");
    }
    if (!d.table.empty() && !known_table(d.table)) {
      return bad("device '" + d.name + "': unknown table '" + d.table + "'");
    }
    if (d.open_limit != 0 && !v.has_open_limit()) {
      return bad("device '" + d.name + "': an open limit needs variant open-limit-ioctl or " +
                 "create-open-limit");
    }
  }
  for (const ProcessSpec& p : config.processes) {
    if (p.program.size() > kMaxProgramSteps) {
      return bad("process '" + p.name + "': program too long; at most " +
                 std::to_string(kMaxProgramSteps) + " steps");
    }
    for (const Step& step : p.program) {
      if (step.sequences.empty() || step.sequences.size() > 8) {
        return bad("process '" + p.name + "': a choice takes 1 to 8 alternatives");
      }
      for (const auto& sequence : step.sequences) {
        if (sequence.empty()) {
          return bad("process '" + p.name + "': an empty call sequence");
        }
        for (const Call& call : sequence) {
          const std::string where = "process '" + p.name + "', step '" + to_string(call) + "': ";
          if ((call.op == Op::load || call.op == Op::create) && !call.table.empty() &&
              !known_table(call.table)) {
            return bad(where + "unknown table '" + call.table + "'");
          }
          if (call.no_open && !v.has(kNoOpenFlag)) {
            return bad(where + "--no-open needs the no-open-flag patch (variant " + to_string(v) +
                       ")");
          }
          if (call.op == Op::set_open_limit && !v.has(kOpenLimitIoctl)) {
            return bad(where + "set_open_limit needs the open-limit-ioctl patch (variant " +
                       to_string(v) + ")");
          }
          if (call.op == Op::create && call.open_limit != 0 && !v.has(kCreateOpenLimit)) {
            return bad(where + "--open-limit needs the create-open-limit patch (variant " +
                       to_string(v) + ")");
          }
        }
      }
    }
  }
  if (!config.actors.internal_suspender.empty()) {
    const std::string& target = config.actors.internal_suspender;
    bool named = names.contains(target);
    for (const std::string& extra : config.extra_names) {
      named = named || extra == target;
    }
    for (const ProcessSpec& p : config.processes) {
      for (const Step& step : p.program) {
        for (const auto& sequence : step.sequences) {
          for (const Call& call : sequence) {
            named = named || call.device == target || call.new_name == target;
          }
        }
      }
    }
    if (!named) {
      return bad("internal suspender: '" + target + "' names no device of the configuration");
    }
    if (config.actors.internal_suspend_rounds < 1 || config.actors.internal_suspend_rounds > 3) {
      return bad("internal suspender: 1 to 3 rounds");
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
