#include "scenarios/expectations.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "model/catalogue.h"

namespace dmcheck::scenarios {

namespace {

/// The kind of the property called `name`: the catalogue's or one of the scenario's own.
std::optional<checker::PropertyKind> kind_of(const Scenario& s, const std::string& name) {
  if (const model::CatalogueEntry* entry = model::find_in_catalogue(name)) {
    return entry->kind;
  }
  for (const model::UserProperty& p : s.config.user_properties) {
    if (p.name == name) {
      return p.kind;
    }
  }
  return std::nullopt;
}

/// One property listed under `verdict` (none: under `any`): known, of the kind the verdict is
/// about (a goal under reachable or unreachable, an invariant under holds or violated), and not
/// listed before.
Expectation read_expectation(const Reader& r, const toml::node& item,
                             std::optional<checker::Verdict> verdict, const Scenario& s,
                             std::set<std::string>& seen) {
  const std::string name = r.string(item, "a property name");
  const bool builtin = name == checker::kDeadlockProperty;
  const auto kind = kind_of(s, name);
  if (!builtin && !kind) {
    r.fail(item, fmt::format("unknown property '{}' (dmcheck list shows the catalogue; the "
                             "scenario's own are its [[properties]])",
                             name));
  }
  const bool goal = !builtin && *kind == checker::PropertyKind::sometimes;
  const bool wants_goal =
      verdict == checker::Verdict::reached || verdict == checker::Verdict::unreachable;
  if (verdict && goal != wants_goal) {
    r.fail(item,
           fmt::format("'{}' is {}; list it under {}", name, goal ? "a goal" : "an invariant",
                       goal ? "reachable or unreachable" : "holds, holds_vacuously or violated"));
  }
  if (!seen.insert(name).second) {
    r.fail(item, fmt::format("'{}' is expected twice", name));
  }
  return {name, verdict, std::nullopt, r.at(item)};
}

/// The lists holds, holds_vacuously, violated, reachable, unreachable and any (no verdict), in
/// that order.
void read_verdict_lists(const Reader& r, const toml::table& expect, Scenario& s) {
  static const std::pair<std::string_view, std::optional<checker::Verdict>> lists[] = {
      {"holds", checker::Verdict::holds},
      {"holds_vacuously", checker::Verdict::holds_vacuously},
      {"violated", checker::Verdict::violated},
      {"reachable", checker::Verdict::reached},
      {"unreachable", checker::Verdict::unreachable},
      {"any", std::nullopt},
  };
  std::set<std::string> seen;
  for (const auto& [key, verdict] : lists) {
    const toml::node* list = expect.get(key);
    if (list == nullptr) {
      continue;
    }
    for (const toml::node& item : r.array(*list, fmt::format("'{}' in [expect]", key))) {
      s.expectations.push_back(read_expectation(r, item, verdict, s, seen));
    }
  }
}

/// [expect.shortest]: a trace length for a property expected to have a trace (a counterexample
/// or a witness).
void read_shortest(const Reader& r, const toml::table& expect, Scenario& s) {
  const toml::node* shortest = expect.get("shortest");
  if (shortest == nullptr) {
    return;
  }
  for (const auto& [key, value] : r.table(*shortest, "[expect.shortest]")) {
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

/// No [expect] where verdicts are optional: every property is named, none with a verdict.
void name_every_property(const Reader& r, const toml::table& root, Scenario& s) {
  for (const model::CatalogueEntry& entry : model::catalogue()) {
    s.expectations.push_back({std::string(entry.name), std::nullopt, std::nullopt, r.at(root)});
  }
  s.expectations.push_back(
      {std::string(checker::kDeadlockProperty), std::nullopt, std::nullopt, r.at(root)});
}

/// What dmcheck ci and the library need beyond a well-formed [expect]: every verdict stated, and
/// a reachable goal.
void require_verdicts(const Reader& r, const toml::table& expect, const Scenario& s) {
  if (const toml::node* any = expect.get("any")) {
    r.fail(*any,
           "'any' names properties without a verdict; dmcheck ci needs every verdict stated to "
           "compare it (dmcheck check reports verdicts without one)");
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

}  // namespace

void read_expectations(const Reader& r, const toml::table& root, Expectations mode, Scenario& s) {
  const toml::node* node = root.get("expect");
  if (node == nullptr && mode == Expectations::required) {
    r.fail(root,
           "the scenario has no [expect] section; dmcheck ci needs every scenario to state its "
           "verdicts (dmcheck check explores a file without one)");
  }
  if (node == nullptr) {
    name_every_property(r, root, s);
    return;
  }
  const toml::table& expect = r.table(*node, "[expect]");
  r.only(expect, "[expect]",
         {"holds", "holds_vacuously", "violated", "reachable", "unreachable", "any", "shortest"});
  read_verdict_lists(r, expect, s);
  read_shortest(r, expect, s);
  if (mode == Expectations::required) {
    require_verdicts(r, expect, s);
  }
}

void name_applicable_catalogue(Scenario& s, const model::Variant& variant) {
  for (const model::CatalogueEntry& entry : model::catalogue()) {
    const std::string name(entry.name);
    const bool named = std::any_of(s.expectations.begin(), s.expectations.end(),
                                   [&](const Expectation& e) { return e.property == name; });
    if (named || !model::applies(entry, variant)) {
      continue;
    }
    s.expectations.push_back({name, std::nullopt, std::nullopt, SourceLocation{s.file, 0, 0}});
    s.config.properties.push_back(name);
  }
}

}  // namespace dmcheck::scenarios
