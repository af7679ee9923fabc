#include "scenarios/declarations.h"

#include <fmt/format.h>

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/state.h"
#include "model/step.h"

namespace dmcheck::scenarios {

namespace {

/// Declares each name in file order; the first past the model's bound is refused where it is
/// written (names are byte indices in the model's state, 0 meaning none).
Declared declare(const std::vector<std::pair<std::string, SourceLocation>>& places,
                 std::string_view what) {
  Declared declared;
  for (const auto& [name, where] : places) {
    if (declared.add(name, where) && declared.size() > model::kMaxNames - 1) {
      fail_at(where, fmt::format("too many distinct {}: the model holds at most {}", what,
                                 model::kMaxNames - 1));
    }
  }
  return declared;
}

/// A step may only name devices and tables the scenario declares, and close or read only a
/// name its own process opens somewhere in its program.
void check_step_names(const Reader& r, const Loading& l, const Declared& devices) {
  const Declared tables = table_names(l.s.config);
  for (std::size_t p = 0; p < l.s.config.processes.size(); ++p) {
    const model::ProcessSpec& process = l.s.config.processes[p];
    std::set<std::string> opened;
    model::for_each_call(process.program, [&](const model::Call& call) {
      if (call.op == model::Op::open) {
        opened.insert(call.device);
      }
    });
    for (std::size_t i = 0; i < process.program.size(); ++i) {
      const SourceLocation where = r.at(*l.places.steps[p][i]);
      model::for_each_call(process.program[i], [&](const model::Call& call) {
        if (call.op != model::Op::remove_all && !devices.contains(call.device)) {
          fail_at(where, fmt::format("unknown device '{}'; a step names only devices the "
                                     "scenario declares ([[devices]], a create, a rename's new "
                                     "name, or 'names' for one that never exists){}",
                                     call.device, devices.suggestion(call.device)));
        }
        if (!call.table.empty() && !tables.contains(call.table)) {
          const bool forced = process.program[i].composite == model::Composite::remove_force;
          fail_at(where, forced ? fmt::format("'remove --force {}' loads table '{}': declare it "
                                              "in [[tables]] with an error target",
                                              call.device, call.table)
                                : fmt::format("unknown table '{}'{}", call.table,
                                              tables.suggestion(call.table)));
        }
        const bool uses_handle = call.op == model::Op::close || call.op == model::Op::read ||
                                 call.op == model::Op::write;
        if (uses_handle && !opened.contains(call.device)) {
          fail_at(where,
                  fmt::format("process '{}' {}s '{}' but never opens it; a close, read or write "
                              "needs an 'open {}' in the same process",
                              process.name, model::to_string(call.op), call.device, call.device));
        }
      });
    }
  }
}

/// A linear target may sit on a disk or on a device-mapper device; a name that is neither a
/// disk nor a declared device is a typo, not a device that never appears.
void check_onto(const Reader& r, const Loading& l, const Declared& devices) {
  Declared known = devices;
  for (const auto& d : l.s.config.disks) {
    known.add(d.name, {});
  }
  for (std::size_t i = 0; i < l.s.config.tables.size(); ++i) {
    const model::TableDef& table = l.s.config.tables[i];
    for (std::size_t j = 0; j < table.targets.size(); ++j) {
      const model::Target& target = table.targets[j];
      const toml::node* node = l.places.targets[i][j];
      if (!target.onto.empty() && !known.contains(target.onto)) {
        r.fail(*node, fmt::format("table '{}': 'onto' names '{}', which is neither a disk nor a "
                                  "device this scenario has or creates{}",
                                  table.name, target.onto, known.suggestion(target.onto)));
      }
    }
  }
}

}  // namespace

/// The tables defined so far, to suggest one for a misspelt name.
Declared table_names(const model::Config& config) {
  Declared tables;
  for (const auto& t : config.tables) {
    tables.add(t.name, {});
  }
  return tables;
}

void check_declared(const Reader& r, const Loading& l) {
  const Declared devices = declare(l.name_places, "device names");
  declare(l.uuid_places, "uuids");
  check_step_names(r, l, devices);
  check_onto(r, l, devices);
  const std::string& suspender = l.s.config.actors.internal_suspender;
  if (l.suspender && !devices.contains(suspender)) {
    fail_at(*l.suspender, fmt::format("internal_suspender names '{}', which is no device this "
                                      "scenario declares{}",
                                      suspender, devices.suggestion(suspender)));
  }
}

}  // namespace dmcheck::scenarios
