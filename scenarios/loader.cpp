#include "scenarios/loader.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <filesystem>
#include <set>

#include "model/catalogue.h"
#include "model/names.h"
#include "model/state.h"
#include "model/step.h"
#include "model/variant.h"
#include "scenarios/declared.h"
#include "scenarios/input.h"

namespace dmcheck::scenarios {

namespace {

/// Thrown inside the loader only; load_scenario turns it into an Error result.
struct Failure {
  Error error;
};

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[nodiscard]] SourceLocation at(const toml::node& node) const {
    const auto& begin = node.source().begin;
    return {file_, static_cast<std::uint32_t>(begin.line),
            static_cast<std::uint32_t>(begin.column)};
  }

  [[noreturn]] void fail(const toml::node& node, std::string message) const {
    throw Failure{Error{ErrorKind::bad_input, std::move(message), at(node)}};
  }

  /// Rejects keys other than `allowed`, naming them and the section.
  void only(const toml::table& table, std::string_view section,
            std::initializer_list<std::string_view> allowed) const {
    only(table, section, std::vector<std::string_view>(allowed));
  }

  void only(const toml::table& table, std::string_view section,
            const std::vector<std::string_view>& allowed) const {
    for (const auto& [key, value] : table) {
      bool known = false;
      for (auto a : allowed) {
        known = known || key.str() == a;
      }
      if (!known) {
        std::string list;
        for (auto a : allowed) {
          list += (list.empty() ? "" : ", ") + std::string(a);
        }
        const auto& begin = key.source().begin;
        throw Failure{Error{
            ErrorKind::bad_input,
            fmt::format("unknown key '{}' in {}; expected one of: {}", key.str(), section, list),
            SourceLocation{file_, static_cast<std::uint32_t>(begin.line),
                           static_cast<std::uint32_t>(begin.column)}}};
      }
    }
  }

  [[nodiscard]] const toml::table& table(const toml::node& node, std::string_view what) const {
    if (const auto* t = node.as_table()) {
      return *t;
    }
    fail(node, fmt::format("{} must be a table", what));
  }

  [[nodiscard]] const toml::array& array(const toml::node& node, std::string_view what) const {
    if (const auto* a = node.as_array()) {
      return *a;
    }
    fail(node, fmt::format("{} must be an array", what));
  }

  [[nodiscard]] std::string string(const toml::node& node, std::string_view what) const {
    if (const auto* s = node.as_string()) {
      return s->get();
    }
    fail(node, fmt::format("{} must be a string", what));
  }

  [[nodiscard]] bool boolean(const toml::node& node, std::string_view what) const {
    if (const auto* b = node.as_boolean()) {
      return b->get();
    }
    fail(node, fmt::format("{} must be true or false", what));
  }

  [[nodiscard]] std::int64_t integer(const toml::node& node, std::string_view what,
                                     std::int64_t low, std::int64_t high) const {
    const auto* i = node.as_integer();
    if (i == nullptr) {
      fail(node, fmt::format("{} must be an integer", what));
    }
    if (i->get() < low || i->get() > high) {
      fail(node,
           fmt::format("{} is {}, out of range; expected {} to {}", what, i->get(), low, high));
    }
    return i->get();
  }

  [[nodiscard]] std::string required_string(const toml::table& t, std::string_view key,
                                            std::string_view section) const {
    const toml::node* node = t.get(key);
    if (node == nullptr) {
      fail(t, fmt::format("{} needs '{}'", section, key));
    }
    return string(*node, fmt::format("'{}' in {}", key, section));
  }

  [[nodiscard]] const std::string& file() const { return file_; }

 private:
  std::string file_;
};

model::TargetKind target_kind(const Reader& r, const toml::node& node) {
  static const std::pair<std::string_view, model::TargetKind> kinds[] = {
      {"linear", model::TargetKind::linear},   {"zero", model::TargetKind::zero},
      {"error", model::TargetKind::error},     {"verity", model::TargetKind::verity},
      {"crypt", model::TargetKind::crypt},     {"thin-pool", model::TargetKind::thin_pool},
      {"generic", model::TargetKind::generic},
  };
  const std::string text = r.string(node, "a target's 'type'");
  for (const auto& [name, kind] : kinds) {
    if (text == name) {
      return kind;
    }
  }
  r.fail(node, fmt::format("unknown target type '{}'; expected linear, zero, error, verity, "
                           "crypt, thin-pool or generic",
                           text));
}

model::Target target(const Reader& r, const toml::node& node) {
  const toml::table& t = r.table(node, "a target");
  r.only(t, "a target",
         {"type", "onto", "length", "root_hash", "signature", "hash_matches", "key"});
  model::Target out;
  const toml::node* type = t.get("type");
  if (type == nullptr) {
    r.fail(t, "a target needs 'type'");
  }
  out.kind = target_kind(r, *type);
  if (const auto* n = t.get("onto")) {
    out.onto = r.string(*n, "'onto'");
  }
  if (const auto* n = t.get("length")) {
    out.length = static_cast<std::uint8_t>(r.integer(*n, "'length'", 1, 255));
  }
  if (const auto* n = t.get("root_hash")) {
    out.root_hash = static_cast<std::uint8_t>(r.integer(*n, "'root_hash'", 1, 255));
  }
  if (const auto* n = t.get("signature")) {
    out.signature = r.boolean(*n, "'signature'");
  }
  if (const auto* n = t.get("hash_matches")) {
    out.hash_matches = r.boolean(*n, "'hash_matches'");
  }
  if (const auto* n = t.get("key")) {
    const std::string key = r.string(*n, "'key'");
    if (key != "set" && key != "wiped") {
      r.fail(*n, fmt::format("'key' is '{}'; expected \"set\" or \"wiped\"", key));
    }
    out.key_set = key == "set";
  }
  return out;
}

template <class Each>
void each_entry(const Reader& r, const toml::table& root, std::string_view key, Each each) {
  const toml::node* node = root.get(key);
  if (node == nullptr) {
    return;
  }
  const toml::array& entries = r.array(*node, fmt::format("'{}'", key));
  for (const toml::node& entry : entries) {
    each(r.table(entry, fmt::format("each entry of [[{}]]", key)));
  }
}

void read_expectations(const Reader& r, const toml::table& root, Scenario& s) {
  const toml::node* node = root.get("expect");
  if (node == nullptr) {
    r.fail(root, "the scenario has no [expect] section; it must state its verdicts");
  }
  const toml::table& expect = r.table(*node, "[expect]");
  r.only(expect, "[expect]", {"holds", "violated", "reachable", "unreachable", "shortest"});
  static const std::pair<std::string_view, checker::Verdict> lists[] = {
      {"holds", checker::Verdict::holds},
      {"violated", checker::Verdict::violated},
      {"reachable", checker::Verdict::reached},
      {"unreachable", checker::Verdict::unreachable},
  };
  std::set<std::string> seen;
  for (const auto& [key, verdict] : lists) {
    const toml::node* list = expect.get(key);
    if (list == nullptr) {
      continue;
    }
    for (const toml::node& item : r.array(*list, fmt::format("'{}' in [expect]", key))) {
      const std::string name = r.string(item, "a property name");
      const bool builtin = name == checker::kDeadlockProperty;
      const model::CatalogueEntry* entry = model::find_in_catalogue(name);
      if (!builtin && entry == nullptr) {
        r.fail(item, fmt::format("unknown property '{}' (dmcheck list shows the catalogue)", name));
      }
      const bool goal = !builtin && entry->kind == checker::PropertyKind::sometimes;
      const bool wants_goal =
          verdict == checker::Verdict::reached || verdict == checker::Verdict::unreachable;
      if (goal != wants_goal) {
        r.fail(item,
               fmt::format("'{}' is {}; list it under {}", name, goal ? "a goal" : "an invariant",
                           goal ? "reachable or unreachable" : "holds or violated"));
      }
      if (!seen.insert(name).second) {
        r.fail(item, fmt::format("'{}' is expected twice", name));
      }
      s.expectations.push_back({name, verdict, std::nullopt, r.at(item)});
    }
  }
  if (const toml::node* shortest = expect.get("shortest")) {
    const toml::table& lengths = r.table(*shortest, "[expect.shortest]");
    for (const auto& [key, value] : lengths) {
      auto found =
          std::find_if(s.expectations.begin(), s.expectations.end(),
                       [&name = key](const Expectation& e) { return e.property == name.str(); });
      if (found == s.expectations.end() || (found->verdict != checker::Verdict::violated &&
                                            found->verdict != checker::Verdict::reached)) {
        r.fail(value, fmt::format("a shortest length for '{}', which is not expected violated "
                                  "or reachable",
                                  key.str()));
      }
      found->shortest = static_cast<std::size_t>(r.integer(value, "a shortest length", 0, 100000));
    }
  }
  const bool has_goal =
      std::any_of(s.expectations.begin(), s.expectations.end(),
                  [](const auto& e) { return e.verdict == checker::Verdict::reached; });
  if (!has_goal) {
    r.fail(expect,
           "[expect] names no reachable goal; a scenario proves it is not vacuous by "
           "naming at least one under 'reachable'");
  }
}

/// Where each part of the configuration was written: nodes of the parsed file, which outlives
/// the loading. An error model::check_config reports about a part is placed at its node.
struct Places {
  std::vector<const toml::table*> disks;
  std::vector<const toml::table*> tables;
  std::vector<std::vector<const toml::node*>> targets;  ///< per table, per target
  std::vector<const toml::table*> devices;
  std::vector<const toml::table*> processes;
  std::vector<std::vector<const toml::node*>> steps;  ///< per process, per step
  std::vector<const toml::node*> extra_names;
  const toml::table* actors = nullptr;
  std::vector<SourceLocation> properties;  ///< per Config::properties entry, its expectation
};

template <class Node>
const toml::node* nth(const std::vector<Node*>& nodes, std::size_t i) {
  return i < nodes.size() ? nodes[i] : nullptr;
}

template <class Node>
const toml::node* nth(const std::vector<std::vector<Node*>>& nodes, std::size_t i,
                      std::optional<std::size_t> j) {
  return i < nodes.size() && j ? nth(nodes[i], *j) : nullptr;
}

/// The node a part of the configuration was read from; null for the whole configuration.
const toml::node* node_of(const Places& places, const model::ConfigPart& part) {
  using Section = model::ConfigPart::Section;
  switch (part.section) {
    case Section::disks:
      return nth(places.disks, part.index);
    case Section::tables:
      return part.item ? nth(places.targets, part.index, part.item)
                       : nth(places.tables, part.index);
    case Section::devices:
      return nth(places.devices, part.index);
    case Section::processes:
      return part.item ? nth(places.steps, part.index, part.item)
                       : nth(places.processes, part.index);
    case Section::extra_names:
      return nth(places.extra_names, part.index);
    case Section::actors:
      return places.actors;
    case Section::properties:
    case Section::whole:
      break;
  }
  return nullptr;
}

/// Where the file states the part an error is about: its field's value when it has one there,
/// else the entry or item itself.
SourceLocation place(const Reader& r, const Places& places, const model::ConfigPart& part) {
  if (part.section == model::ConfigPart::Section::properties &&
      part.index < places.properties.size()) {
    return places.properties[part.index];
  }
  const toml::node* node = node_of(places, part);
  if (node == nullptr) {
    return SourceLocation{r.file(), 0, 0};
  }
  if (const toml::table* t = node->as_table(); t != nullptr && !part.field.empty()) {
    if (const toml::node* field = t->get(part.field)) {
      return r.at(*field);
    }
  }
  return r.at(*node);
}

/// A section of on/off switches, e.g. [actors]: each key sets one boolean of the config.
/// `other_keys` are the section's keys that are not switches (the caller reads them).
void read_switches(const Reader& r, const toml::table& root, std::string_view section,
                   std::initializer_list<std::pair<std::string_view, bool*>> switches,
                   std::initializer_list<std::string_view> other_keys = {}) {
  const toml::node* node = root.get(section);
  if (node == nullptr) {
    return;
  }
  const std::string name = fmt::format("[{}]", section);
  const toml::table& t = r.table(*node, name);
  std::vector<std::string_view> keys;
  for (const auto& [key, target] : switches) {
    keys.push_back(key);
  }
  keys.insert(keys.end(), other_keys.begin(), other_keys.end());
  r.only(t, name, keys);
  for (const auto& [key, target] : switches) {
    if (const auto* value = t.get(key)) {
      *target = r.boolean(*value, fmt::format("'{}'", key));
    }
  }
}

/// What the loader keeps while reading: the scenario, and where each part was written.
struct Loading {
  Scenario s;
  Places places;
  /// Where each declaration of a device name or a uuid was written, in file order.
  std::vector<std::pair<std::string, SourceLocation>> name_places;
  std::vector<std::pair<std::string, SourceLocation>> uuid_places;
  std::optional<SourceLocation> suspender;  ///< [actors] internal_suspender's value
};

/// A device name or uuid the kernel would refuse is refused here, where it is written.
void check_name(const Reader& r, const toml::node& node, const std::string& name) {
  if (std::string why = model::device_name_problem(name); !why.empty()) {
    r.fail(node, why);
  }
}

void check_uuid(const Reader& r, const toml::node& node, const std::string& uuid) {
  if (std::string why = model::uuid_problem(uuid); !why.empty()) {
    r.fail(node, why);
  }
}

void read_head(const Reader& r, const toml::table& root, Loading& l) {
  Scenario& s = l.s;
  s.file = r.file();
  s.name = std::filesystem::path(r.file()).stem().string();
  if (const auto* n = root.get("description")) {
    s.description = r.string(*n, "'description'");
  }
  const toml::node* variant = root.get("variant");
  if (variant == nullptr) {
    r.fail(root, "the scenario needs 'variant' (e.g. \"6.1\" or \"6.12+finalize-hook\")");
  }
  auto parsed = model::parse_variant(r.string(*variant, "'variant'"));
  if (!parsed) {
    r.fail(*variant, parsed.error().message);
  }
  s.config.variant = *parsed;
  s.variant_where = r.at(*variant);
}

void read_disks_and_tables(const Reader& r, const toml::table& root, Loading& l) {
  each_entry(r, root, "disks", [&](const toml::table& t) {
    r.only(t, "[[disks]]", {"name", "size"});
    l.places.disks.push_back(&t);
    model::Disk disk{r.required_string(t, "name", "[[disks]]"), 1};
    if (const auto* n = t.get("size")) {
      disk.size = static_cast<std::uint8_t>(r.integer(*n, "'size'", 1, 255));
    }
    l.s.config.disks.push_back(disk);
  });
  each_entry(r, root, "tables", [&](const toml::table& t) {
    r.only(t, "[[tables]]", {"name", "targets"});
    l.places.tables.push_back(&t);
    l.places.targets.emplace_back();
    model::TableDef table{r.required_string(t, "name", "[[tables]]"), {}};
    const toml::node* targets = t.get("targets");
    if (targets == nullptr) {
      r.fail(t, fmt::format("table '{}' needs 'targets'", table.name));
    }
    for (const toml::node& each : r.array(*targets, "'targets'")) {
      table.targets.push_back(target(r, each));
      l.places.targets.back().push_back(&each);
    }
    if (table.targets.empty()) {
      r.fail(*targets, fmt::format("table '{}' has no targets", table.name));
    }
    l.s.config.tables.push_back(std::move(table));
  });
}

/// The tables defined so far, to suggest one for a misspelt name.
Declared table_names(const Scenario& s) {
  Declared tables;
  for (const auto& t : s.config.tables) {
    tables.add(t.name, {});
  }
  return tables;
}

void read_devices(const Reader& r, const toml::table& root, Loading& l) {
  each_entry(r, root, "devices", [&](const toml::table& t) {
    r.only(t, "[[devices]]", {"name", "uuid", "table", "readonly", "open_limit", "open_count"});
    model::DeviceSpec d;
    l.places.devices.push_back(&t);
    d.name = r.required_string(t, "name", "[[devices]]");
    check_name(r, *t.get("name"), d.name);
    l.name_places.emplace_back(d.name, r.at(*t.get("name")));
    if (const auto* n = t.get("uuid")) {
      d.uuid = r.string(*n, "'uuid'");
      check_uuid(r, *n, d.uuid);
      l.uuid_places.emplace_back(d.uuid, r.at(*n));
    }
    if (const auto* n = t.get("table")) {
      d.table = r.string(*n, "'table'");
      const Declared tables = table_names(l.s);
      if (!tables.contains(d.table)) {
        r.fail(*n, fmt::format("unknown table '{}'; define it under [[tables]] first{}", d.table,
                               tables.suggestion(d.table)));
      }
    }
    if (const auto* n = t.get("readonly")) {
      d.readonly = r.boolean(*n, "'readonly'");
    }
    if (const auto* n = t.get("open_limit")) {
      d.open_limit = static_cast<std::uint8_t>(r.integer(*n, "'open_limit'", 0, 255));
    }
    if (const auto* n = t.get("open_count")) {
      d.open_count = static_cast<std::uint8_t>(
          r.integer(*n, "'open_count'", 0, static_cast<std::int64_t>(model::kMaxInitialOpenCount)));
    }
    l.s.config.devices.push_back(std::move(d));
  });
}

/// The kernel's name rules for every name a step passes to the kernel, and the names and uuids
/// the step declares (a create's name and uuid, a rename's new name).
void read_step_names(const Reader& r, const toml::node& node, const model::Step& step, Loading& l) {
  for (const auto& sequence : step.sequences) {
    for (const model::Call& call : sequence) {
      if (call.op != model::Op::remove_all) {
        check_name(r, node, call.device);
      }
      if (call.op == model::Op::create) {
        l.name_places.emplace_back(call.device, r.at(node));
      }
      if (call.op == model::Op::rename) {
        check_name(r, node, call.new_name);
        l.name_places.emplace_back(call.new_name, r.at(node));
      }
      if (!call.uuid.empty()) {
        check_uuid(r, node, call.uuid);
        l.uuid_places.emplace_back(call.uuid, r.at(node));
      }
    }
  }
}

void read_processes(const Reader& r, const toml::table& root, Loading& l) {
  each_entry(r, root, "processes", [&](const toml::table& t) {
    r.only(t, "[[processes]]", {"name", "steps"});
    model::ProcessSpec p;
    l.places.processes.push_back(&t);
    p.name = r.required_string(t, "name", "[[processes]]");
    if (p.name.empty() || p.name.find_first_of(" \t") != std::string::npos) {
      r.fail(*t.get("name"), "a process name must be one word");
    }
    const toml::node* steps = t.get("steps");
    if (steps == nullptr) {
      r.fail(t, fmt::format("process '{}' needs 'steps'", p.name));
    }
    l.places.steps.emplace_back();
    for (const toml::node& each : r.array(*steps, "'steps'")) {
      l.places.steps.back().push_back(&each);
      auto step = model::parse_step(r.string(each, "a step"));
      if (!step) {
        r.fail(each, step.error().message);
      }
      read_step_names(r, each, *step, l);
      p.program.push_back(std::move(*step));
    }
    l.s.config.processes.push_back(std::move(p));
  });
  if (const auto* n = root.get("names")) {
    for (const toml::node& each : r.array(*n, "'names'")) {
      const std::string name = r.string(each, "a name");
      check_name(r, each, name);
      l.name_places.emplace_back(name, r.at(each));
      l.places.extra_names.push_back(&each);
      l.s.config.extra_names.push_back(name);
    }
  }
}

void read_actors_and_failures(const Reader& r, const toml::table& root, Loading& l) {
  model::Config& c = l.s.config;
  read_switches(r, root, "actors",
                {{"worker", &c.actors.deferred_remove_worker},
                 {"prober", &c.actors.prober},
                 {"probe_initial_devices", &c.actors.probe_initial_devices}},
                {"internal_suspender", "internal_suspend_rounds"});
  if (const auto* actors = root.get("actors"); actors != nullptr && actors->is_table()) {
    const toml::table& t = *actors->as_table();
    l.places.actors = &t;
    if (const auto* v = t.get("internal_suspender")) {
      c.actors.internal_suspender = r.string(*v, "'internal_suspender'");
      l.suspender = r.at(*v);
    }
    if (const auto* v = t.get("internal_suspend_rounds")) {
      c.actors.internal_suspend_rounds =
          static_cast<std::uint8_t>(r.integer(*v, "'internal_suspend_rounds'", 1, 3));
    }
  }
  read_switches(r, root, "failures",
                {{"preresume", &c.failures.preresume},
                 {"integrity_alloc", &c.failures.integrity_alloc},
                 {"integrity_refused", &c.failures.integrity_refused},
                 {"swap_size", &c.failures.swap_size},
                 {"implicit_suspend", &c.failures.implicit_suspend}});
}

void read_bounds(const Reader& r, const toml::table& root, Scenario& s) {
  const toml::node* n = root.get("bounds");
  if (n == nullptr) {
    return;
  }
  const toml::table& t = r.table(*n, "[bounds]");
  r.only(t, "[bounds]", {"max_states", "max_depth", "max_seconds"});
  if (const auto* v = t.get("max_states")) {
    s.bounds.max_states = r.integer(*v, "'max_states'", 1, 4'000'000'000);
  }
  if (const auto* v = t.get("max_depth")) {
    s.bounds.max_depth = static_cast<std::uint32_t>(r.integer(*v, "'max_depth'", 1, 100'000));
  }
  if (const auto* v = t.get("max_seconds")) {
    s.bounds.max_seconds = static_cast<double>(r.integer(*v, "'max_seconds'", 1, 86'400));
  }
}

/// Declares each name in file order; the first past the model's bound is refused where it is
/// written (names are byte indices in the model's state, 0 meaning none).
Declared declare(const std::vector<std::pair<std::string, SourceLocation>>& places,
                 std::string_view what) {
  Declared declared;
  for (const auto& [name, where] : places) {
    if (declared.add(name, where) && declared.size() > model::kMaxNames - 1) {
      throw Failure{Error{ErrorKind::bad_input,
                          fmt::format("too many distinct {}: the model holds at most {}", what,
                                      model::kMaxNames - 1),
                          where}};
    }
  }
  return declared;
}

[[noreturn]] void fail_at(const SourceLocation& where, std::string message) {
  throw Failure{Error{ErrorKind::bad_input, std::move(message), where}};
}

/// A step may only name devices and tables the scenario declares, and close or read only a
/// name its own process opens somewhere in its program.
void check_step_names(const Reader& r, const Loading& l, const Declared& devices) {
  const Declared tables = table_names(l.s);
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
          fail_at(where,
                  fmt::format("unknown table '{}'{}", call.table, tables.suggestion(call.table)));
        }
        const bool uses_handle = call.op == model::Op::close || call.op == model::Op::read;
        if (uses_handle && !opened.contains(call.device)) {
          fail_at(where,
                  fmt::format("process '{}' {}s '{}' but never opens it; a close or read "
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

/// Every name a part of the scenario uses must be declared.
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

Scenario read(const Reader& r, const toml::table& root) {
  r.only(root, "the scenario",
         {"description", "variant", "disks", "tables", "devices", "processes", "actors", "failures",
          "bounds", "expect", "names"});
  Loading l;
  read_head(r, root, l);
  read_disks_and_tables(r, root, l);
  read_devices(r, root, l);
  read_processes(r, root, l);
  read_actors_and_failures(r, root, l);
  read_bounds(r, root, l.s);
  check_declared(r, l);
  read_expectations(r, root, l.s);
  for (const auto& e : l.s.expectations) {
    if (e.property != checker::kDeadlockProperty) {
      l.s.config.properties.push_back(e.property);
      l.places.properties.push_back(e.where);
    }
  }
  if (auto valid = model::check_config(l.s.config); !valid) {
    fail_at(place(r, l.places, valid.error().part), valid.error().error.message);
  }
  return std::move(l.s);
}

}  // namespace

bool Scenario::checks_deadlock() const {
  return std::any_of(expectations.begin(), expectations.end(),
                     [](const Expectation& e) { return e.property == checker::kDeadlockProperty; });
}

tl::expected<Scenario, Error> parse_scenario(std::string_view text, const std::string& file) {
  if (auto shallow = check_nesting(text, file); !shallow) {
    return tl::unexpected(shallow.error());
  }
  try {
    const toml::table root = toml::parse(text, file);
    return read(Reader(file), root);
  } catch (const toml::parse_error& e) {
    const auto& begin = e.source().begin;
    return tl::unexpected(Error{ErrorKind::bad_input, std::string(e.description()),
                                SourceLocation{file, static_cast<std::uint32_t>(begin.line),
                                               static_cast<std::uint32_t>(begin.column)}});
  } catch (const Failure& f) {
    return tl::unexpected(f.error);
  }
}

tl::expected<Scenario, Error> load_scenario(const std::string& path) {
  auto text = read_scenario_text(path);
  if (!text) {
    return tl::unexpected(text.error());
  }
  return parse_scenario(*text, path);
}

}  // namespace dmcheck::scenarios
