#include "reports/json_in.h"

#include <fmt/format.h>

#include <cmath>

namespace dmcheck::reports {

using nlohmann::json;

namespace {

/// "number", "string", "null", ... ; integers and reals are both "number".
std::string type_of(const json& j) { return j.type_name(); }

/// A short quotation of a value for a message.
std::string quote(const json& j) {
  std::string text = j.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > 40) {
    text = text.substr(0, 37) + "...";
  }
  return text;
}

}  // namespace

void JsonIn::fail(const std::string& what) const { throw JsonShapeError{path_ + " " + what}; }

void JsonIn::expect(json::value_t type, const char* name) const {
  if (value_->type() != type) {
    fail(fmt::format("must be {}, got {}", name, type_of(*value_)));
  }
}

JsonIn JsonIn::operator[](std::string_view key) const {
  expect(json::value_t::object, "an object");
  const auto found = value_->find(key);
  if (found == value_->end()) {
    throw JsonShapeError{fmt::format("{}.{} is missing", path_, key)};
  }
  return JsonIn(*found, fmt::format("{}.{}", path_, key));
}

std::optional<JsonIn> JsonIn::optional(std::string_view key) const {
  expect(json::value_t::object, "an object");
  const auto found = value_->find(key);
  if (found == value_->end() || found->is_null()) {
    return std::nullopt;
  }
  return JsonIn(*found, fmt::format("{}.{}", path_, key));
}

std::vector<JsonIn> JsonIn::items() const {
  expect(json::value_t::array, "an array");
  std::vector<JsonIn> out;
  out.reserve(value_->size());
  for (std::size_t i = 0; i < value_->size(); ++i) {
    out.emplace_back((*value_)[i], fmt::format("{}[{}]", path_, i));
  }
  return out;
}

std::string JsonIn::string() const {
  expect(json::value_t::string, "a string");
  return value_->get<std::string>();
}

std::string JsonIn::one_of(const std::vector<std::string>& allowed) const {
  std::string text = string();
  for (const std::string& a : allowed) {
    if (text == a) {
      return text;
    }
  }
  std::string names;
  for (const std::string& a : allowed) {
    names += (names.empty() ? "\"" : ", \"") + a + "\"";
  }
  fail(fmt::format("must be one of {}, got {}", names, quote(*value_)));
}

bool JsonIn::boolean() const {
  expect(json::value_t::boolean, "true or false");
  return value_->get<bool>();
}

std::uint64_t JsonIn::whole(std::uint64_t min, std::uint64_t max) const {
  const auto range = [&] {
    fail(fmt::format("must be a whole number from {} to {}, got {}", min, max, quote(*value_)));
  };
  if (value_->is_number_unsigned()) {
    const auto v = value_->get<std::uint64_t>();
    if (v < min || v > max) {
      range();
    }
    return v;
  }
  if (value_->is_number_integer()) {  // negative
    const auto v = value_->get<std::int64_t>();
    if (v < 0 || static_cast<std::uint64_t>(v) < min || static_cast<std::uint64_t>(v) > max) {
      range();
    }
    return static_cast<std::uint64_t>(v);
  }
  if (value_->is_number()) {
    range();
  }
  fail(fmt::format("must be a whole number, got {}", type_of(*value_)));
}

double JsonIn::number(double min) const {
  if (!value_->is_number()) {
    fail(fmt::format("must be a number, got {}", type_of(*value_)));
  }
  const double v = value_->get<double>();
  if (!std::isfinite(v) || v < min) {
    fail(fmt::format("must be a number of at least {}, got {}", min, quote(*value_)));
  }
  return v;
}

std::vector<std::string> JsonIn::strings() const {
  std::vector<std::string> out;
  for (const JsonIn& item : items()) {
    out.push_back(item.string());
  }
  return out;
}

}  // namespace dmcheck::reports
