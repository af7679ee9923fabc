#include "scenarios/loader.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <filesystem>

#include "model/names.h"
#include "model/state.h"
#include "model/step.h"
#include "model/variant.h"
#include "scenarios/catalogue_texts.h"
#include "scenarios/declarations.h"
#include "scenarios/expectations.h"
#include "scenarios/input.h"
#include "scenarios/loading.h"
#include "scenarios/places.h"
#include "scenarios/reader.h"
#include "scenarios/user_properties.h"

namespace dmcheck::scenarios {

namespace {

model::TargetKind target_kind(const Reader& r, const toml::node& node) {
  static const std::pair<std::string_view, model::TargetKind> kinds[] = {
      {"linear", model::TargetKind::linear},   {"zero", model::TargetKind::zero},
      {"error", model::TargetKind::error},     {"verity", model::TargetKind::verity},
      {"crypt", model::TargetKind::crypt},     {"thin-pool", model::TargetKind::thin_pool},
      {"generic", model::TargetKind::generic}, {"thin", model::TargetKind::thin},
  };
  const std::string text = r.string(node, "a target's 'type'");
  for (const auto& [name, kind] : kinds) {
    if (text == name) {
      return kind;
    }
  }
  r.fail(node, fmt::format("unknown target type '{}'; expected linear, zero, error, verity, "
                           "crypt, thin-pool, thin or generic",
                           text));
}

model::Target target(const Reader& r, const toml::node& node) {
  const toml::table& t = r.table(node, "a target");
  r.only(
      t, "a target",
      {"type", "onto", "length", "offset", "root_hash", "signature", "hash_matches", "key", "id"});
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
  if (const auto* n = t.get("offset")) {
    out.offset = static_cast<std::uint8_t>(r.integer(*n, "'offset'", 0, 254));
  }
  if (const auto* n = t.get("id")) {
    out.thin_id = static_cast<std::uint32_t>(r.integer(*n, "'id'", 0, model::kMaxThinId));
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

/// A device's initial inactive table (checked further with the whole config).
void read_inactive(const Reader& r, const toml::table& t, const Loading& l, model::DeviceSpec& d) {
  if (const auto* n = t.get("inactive")) {
    d.inactive = r.string(*n, "'inactive'");
    const Declared tables = table_names(l.s.config);
    if (!tables.contains(d.inactive)) {
      r.fail(*n, fmt::format("unknown table '{}'; define it under [[tables]] first{}", d.inactive,
                             tables.suggestion(d.inactive)));
    }
  }
  if (const auto* n = t.get("inactive_readonly")) {
    d.inactive_readonly = r.boolean(*n, "'inactive_readonly'");
  }
}

void read_devices(const Reader& r, const toml::table& root, Loading& l) {
  each_entry(r, root, "devices", [&](const toml::table& t) {
    r.only(t, "[[devices]]",
           {"name", "uuid", "table", "readonly", "open_limit", "open_count", "inactive",
            "inactive_readonly"});
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
      const Declared tables = table_names(l.s.config);
      if (!tables.contains(d.table)) {
        r.fail(*n, fmt::format("unknown table '{}'; define it under [[tables]] first{}", d.table,
                               tables.suggestion(d.table)));
      }
    }
    if (const auto* n = t.get("readonly")) {
      d.readonly = r.boolean(*n, "'readonly'");
    }
    read_inactive(r, t, l, d);
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

/// How many copies a `[[processes]]` entry asks for: `count`, 1 when it has none.
std::size_t copies(const Reader& r, const toml::table& t) {
  const toml::node* count = t.get("count");
  if (count == nullptr) {
    return 1;
  }
  // How many interchangeable copies of the process run.
  return static_cast<std::size_t>(
      r.integer(*count, "'count'", 1, static_cast<std::int64_t>(model::kMaxProcesses)));
}

void read_processes(const Reader& r, const toml::table& root, Loading& l) {
  each_entry(r, root, "processes", [&](const toml::table& t) {
    r.only(t, "[[processes]]", {"name", "steps", "count"});
    model::ProcessSpec p;
    p.name = r.required_string(t, "name", "[[processes]]");
    if (p.name.empty() || p.name.find_first_of(" \t") != std::string::npos) {
      r.fail(*t.get("name"), "a process name must be one word");
    }
    const toml::node* steps = t.get("steps");
    if (steps == nullptr) {
      r.fail(t, fmt::format("process '{}' needs 'steps'", p.name));
    }
    std::vector<const toml::node*> step_places;
    for (const toml::node& each : r.array(*steps, "'steps'")) {
      // A composite such as `remove --force` is one line and several steps, each placed there.
      auto expanded = model::parse_steps(r.string(each, "a step"));
      if (!expanded) {
        r.fail(each, expanded.error().message);
      }
      for (model::Step& step : *expanded) {
        step_places.push_back(&each);
        read_step_names(r, each, step, l);
        p.program.push_back(std::move(step));
      }
    }
    // `count = N` runs N interchangeable copies, NAME1 ... NAMEN.
    const std::size_t n = copies(r, t);
    for (std::size_t copy = 1; copy <= n; ++copy) {
      model::ProcessSpec one = p;
      if (n > 1) {
        one.name = p.name + std::to_string(copy);
        one.copy_of = p.name;
      }
      l.places.processes.push_back(&t);
      l.places.steps.push_back(step_places);
      l.s.config.processes.push_back(std::move(one));
    }
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

/// The catalogue's properties are checked by their texts, compiled by the same front end as the
/// scenario's own.
void attach_catalogue_texts(model::Config& config) {
  const auto& texts = catalogue_texts();
  if (!texts) {
    throw Failure{texts.error()};
  }
  config.catalogue_texts = *texts;
}

Scenario read(const Reader& r, const toml::table& root, Expectations expectations) {
  r.only(root, "the scenario",
         {"description", "variant", "disks", "tables", "devices", "processes", "actors", "failures",
          "bounds", "expect", "names", "properties"});
  Loading l;
  read_head(r, root, l);
  read_disks_and_tables(r, root, l);
  read_devices(r, root, l);
  read_processes(r, root, l);
  read_actors_and_failures(r, root, l);
  read_bounds(r, root, l.s);
  check_declared(r, l);
  read_user_properties(r, root, l);
  attach_catalogue_texts(l.s.config);
  read_expectations(r, root, expectations, l.s);
  if (expectations == Expectations::required) {
    check_user_properties_expected(r, l);
  } else {
    name_unexpected_user_properties(r, l);
  }
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

tl::expected<Scenario, Error> parse_scenario(std::string_view text, const std::string& file,
                                             Expectations expectations) {
  if (auto shallow = check_nesting(text, file); !shallow) {
    return tl::unexpected(shallow.error());
  }
  try {
    const toml::table root = toml::parse(text, file);
    return read(Reader(file, text), root, expectations);
  } catch (const toml::parse_error& e) {
    const auto& begin = e.source().begin;
    return tl::unexpected(Error{ErrorKind::bad_input, std::string(e.description()),
                                SourceLocation{file, static_cast<std::uint32_t>(begin.line),
                                               static_cast<std::uint32_t>(begin.column)}});
  } catch (const Failure& f) {
    return tl::unexpected(f.error);
  }
}

tl::expected<Scenario, Error> load_scenario(const std::string& path, Expectations expectations) {
  auto text = read_scenario_text(path);
  if (!text) {
    return tl::unexpected(text.error());
  }
  return parse_scenario(*text, path, expectations);
}

}  // namespace dmcheck::scenarios
