#include "scenarios/user_properties.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "checker/result.h"
#include "model/catalogue.h"
#include "scenarios/declarations.h"
#include "scenarios/property_compile.h"
#include "scenarios/property_place.h"
#include "scenarios/property_premise.h"

namespace dmcheck::scenarios {

namespace {

constexpr std::size_t kMaxPropertyName = 64;
/// Long enough for any property a person writes; short enough to bound the parser's work.
constexpr std::size_t kMaxPropertyText = 4096;

PropertyNames names_of(const Loading& l) {
  PropertyNames names;
  for (const auto& [name, where] : l.name_places) {
    names.devices.add(name, where);
  }
  names.tables = table_names(l.s.config);
  const auto& processes = l.s.config.processes;
  for (std::size_t i = 0; i < processes.size(); ++i) {
    names.processes.push_back(processes[i].name.empty() ? "p" + std::to_string(i)
                                                        : processes[i].name);
    names.copy_of.push_back(processes[i].copy_of);
    auto& calls = names.calls.emplace_back();
    model::for_each_call(processes[i].program,
                         [&](const model::Call& c) { calls.push_back(model::to_string(c)); });
  }
  return names;
}

void check_property_name(const Reader& r, const toml::node& node, const std::string& name,
                         const model::Config& config) {
  const bool well_formed =
      !name.empty() && name.size() <= kMaxPropertyName && name.front() >= 'a' &&
      name.front() <= 'z' && std::all_of(name.begin(), name.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
      });
  if (!well_formed) {
    r.fail(node, fmt::format("a property name is 1 to {} lowercase letters, digits and '-', "
                             "starting with a letter (got '{}')",
                             kMaxPropertyName, name));
  }
  if (model::find_in_catalogue(name) != nullptr || name == checker::kDeadlockProperty) {
    r.fail(node,
           fmt::format("'{}' is a catalogue property (dmcheck list); choose another name", name));
  }
  for (const model::UserProperty& p : config.user_properties) {
    if (p.name == name) {
      r.fail(node, fmt::format("property '{}' is defined twice", name));
    }
  }
}

model::UserProperty read_one(const Reader& r, const toml::table& t, const PropertyNames& names,
                             const model::Config& config) {
  r.only(t, "[[properties]]", {"name", "meaning", "always", "sometimes"});
  model::UserProperty p;
  p.name = r.required_string(t, "name", "[[properties]]");
  check_property_name(r, *t.get("name"), p.name, config);
  if (const toml::node* meaning = t.get("meaning")) {
    p.meaning = r.string(*meaning, "'meaning'");
  }
  const toml::node* always = t.get("always");
  const toml::node* sometimes = t.get("sometimes");
  if ((always == nullptr) == (sometimes == nullptr)) {
    r.fail(always != nullptr ? *always : static_cast<const toml::node&>(t),
           fmt::format("property '{}' needs exactly one of 'always' (an invariant) and "
                       "'sometimes' (a goal)",
                       p.name));
  }
  const toml::node& text = always != nullptr ? *always : *sometimes;
  p.kind = always != nullptr ? checker::PropertyKind::always : checker::PropertyKind::sometimes;
  p.text = r.string(text, always != nullptr ? "'always'" : "'sometimes'");
  if (p.text.size() > kMaxPropertyText) {
    r.fail(text, fmt::format("the expression is {} bytes long; at most {}", p.text.size(),
                             kMaxPropertyText));
  }
  auto syntax = parse_property(p.text);
  if (!syntax) {
    fail_at(place_in_string(r, text, syntax.error().offset), syntax.error().message);
  }
  auto expr = compile_property(*syntax, names);
  if (!expr) {
    fail_at(place_in_string(r, text, expr.error().offset), expr.error().message);
  }
  p.expr = std::move(*expr);
  if (p.kind == checker::PropertyKind::always) {
    p.premise = model::premise(p.expr);
    p.premise_text = premise_text(*syntax);
  }
  return p;
}

}  // namespace

void check_user_properties_expected(const Reader& r, const Loading& l) {
  const auto& user = l.s.config.user_properties;
  for (std::size_t i = 0; i < user.size(); ++i) {
    const auto& expected = l.s.expectations;
    if (std::none_of(expected.begin(), expected.end(),
                     [&](const Expectation& e) { return e.property == user[i].name; })) {
      r.fail(*l.places.user_properties[i]->get("name"),
             fmt::format("property '{}' has no verdict in [expect]; list it under {}", user[i].name,
                         user[i].kind == checker::PropertyKind::always
                             ? "holds, holds_vacuously or violated"
                             : "reachable or unreachable"));
    }
  }
}

void name_unexpected_user_properties(const Reader& r, Loading& l) {
  const auto& user = l.s.config.user_properties;
  for (std::size_t i = 0; i < user.size(); ++i) {
    auto& expected = l.s.expectations;
    if (std::none_of(expected.begin(), expected.end(),
                     [&](const Expectation& e) { return e.property == user[i].name; })) {
      expected.push_back(
          {user[i].name, std::nullopt, std::nullopt, r.at(*l.places.user_properties[i])});
    }
  }
}

void read_user_properties(const Reader& r, const toml::table& root, Loading& l) {
  const PropertyNames names = names_of(l);
  each_entry(r, root, "properties", [&](const toml::table& t) {
    l.s.config.user_properties.push_back(read_one(r, t, names, l.s.config));
    l.places.user_properties.push_back(&t);
  });
}

}  // namespace dmcheck::scenarios
