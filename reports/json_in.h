#pragma once
/// Checked reading of a JSON document: every field's presence, type and range, with the JSON
/// path of anything wrong ("$.steps[3].call must be a string, got number"). A reader of trace or
/// report files goes through JsonIn so malformed input is a message, never a crash.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <type_traits>
#include <vector>

#include "checker/error.h"

namespace dmcheck::reports {

/// Thrown by JsonIn's accessors; read_checked turns it into an Error. It never leaves a reader.
struct JsonShapeError {
  std::string message;
};

/// A JSON value and the path that reached it. Accessors check what they read; their results may
/// be ignored when only the check is wanted.
class JsonIn {
 public:
  explicit JsonIn(const nlohmann::json& value, std::string path = "$")
      : value_(&value), path_(std::move(path)) {}

  [[nodiscard]] const nlohmann::json& raw() const { return *value_; }
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] bool is_null() const { return value_->is_null(); }

  /// A required member of an object.
  [[nodiscard]] JsonIn operator[](std::string_view key) const;
  /// A member that may be absent or null.
  [[nodiscard]] std::optional<JsonIn> optional(std::string_view key) const;
  /// The elements of an array.
  std::vector<JsonIn> items() const;

  std::string string() const;
  /// A string that must be one of `allowed`.
  std::string one_of(const std::vector<std::string>& allowed) const;
  bool boolean() const;
  /// A whole number in [min, max] (a JSON integer, not 1.0).
  std::uint64_t whole(std::uint64_t min, std::uint64_t max) const;
  /// A finite number, at least `min`.
  double number(double min) const;
  std::vector<std::string> strings() const;

  /// Throws JsonShapeError "PATH WHAT".
  [[noreturn]] void fail(const std::string& what) const;

 private:
  void expect(nlohmann::json::value_t type, const char* name) const;

  const nlohmann::json* value_;
  std::string path_;
};

/// Runs `read` (which uses JsonIn) and turns a shape error into a bad-input Error on `file`.
template <class Read>
auto read_checked(const std::string& file, Read&& read)
    -> tl::expected<std::invoke_result_t<Read>, Error> {
  try {
    return read();
  } catch (const JsonShapeError& e) {
    return tl::unexpected(Error{ErrorKind::bad_input, e.message, SourceLocation{file}});
  }
}

}  // namespace dmcheck::reports
