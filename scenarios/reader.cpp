#include "scenarios/reader.h"

#include <fmt/format.h>

namespace dmcheck::scenarios {

namespace {

SourceLocation location(const std::string& file, const toml::source_region& region) {
  return {file, static_cast<std::uint32_t>(region.begin.line),
          static_cast<std::uint32_t>(region.begin.column)};
}

}  // namespace

void fail_at(const SourceLocation& where, std::string message) {
  throw Failure{Error{ErrorKind::bad_input, std::move(message), where}};
}

SourceLocation Reader::at(const toml::node& node) const { return location(file_, node.source()); }

void Reader::fail(const toml::node& node, std::string message) const {
  fail_at(at(node), std::move(message));
}

void Reader::only(const toml::table& table, std::string_view section,
                  const std::vector<std::string_view>& allowed) const {
  for (const auto& [key, value] : table) {
    bool known = false;
    for (auto a : allowed) {
      known = known || key.str() == a;
    }
    if (known) {
      continue;
    }
    std::string list;
    for (auto a : allowed) {
      list += (list.empty() ? "" : ", ") + std::string(a);
    }
    fail_at(location(file_, key.source()),
            fmt::format("unknown key '{}' in {}; expected one of: {}", key.str(), section, list));
  }
}

const toml::table& Reader::table(const toml::node& node, std::string_view what) const {
  if (const auto* t = node.as_table()) {
    return *t;
  }
  fail(node, fmt::format("{} must be a table", what));
}

const toml::array& Reader::array(const toml::node& node, std::string_view what) const {
  if (const auto* a = node.as_array()) {
    return *a;
  }
  fail(node, fmt::format("{} must be an array", what));
}

std::string Reader::string(const toml::node& node, std::string_view what) const {
  if (const auto* s = node.as_string()) {
    return s->get();
  }
  fail(node, fmt::format("{} must be a string", what));
}

bool Reader::boolean(const toml::node& node, std::string_view what) const {
  if (const auto* b = node.as_boolean()) {
    return b->get();
  }
  fail(node, fmt::format("{} must be true or false", what));
}

std::int64_t Reader::integer(const toml::node& node, std::string_view what, std::int64_t low,
                             std::int64_t high) const {
  const auto* i = node.as_integer();
  if (i == nullptr) {
    fail(node, fmt::format("{} must be an integer", what));
  }
  if (i->get() < low || i->get() > high) {
    fail(node, fmt::format("{} is {}, out of range; expected {} to {}", what, i->get(), low, high));
  }
  return i->get();
}

std::string Reader::required_string(const toml::table& t, std::string_view key,
                                    std::string_view section) const {
  const toml::node* node = t.get(key);
  if (node == nullptr) {
    fail(t, fmt::format("{} needs '{}'", section, key));
  }
  return string(*node, fmt::format("'{}' in {}", key, section));
}

}  // namespace dmcheck::scenarios
