#pragma once
/// Typed access to a parsed scenario file for the loader: each value is read as the kind it must
/// be, and any mistake fails with the file, line and column where it is written and what was
/// expected there.

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "checker/error.h"

namespace dmcheck::scenarios {

/// Thrown inside the loader only; parse_scenario turns it into an Error result, so each reading
/// function can fail where it stands without threading a result through the whole file.
struct Failure {
  Error error;
};

/// Fails the loading with a bad_input error at `where`.
[[noreturn]] void fail_at(const SourceLocation& where, std::string message);

class Reader {
 public:
  /// `text` is the file's text, for places inside a string (PropertyPlace).
  explicit Reader(std::string file, std::string_view text = {})
      : file_(std::move(file)), text_(text) {}

  /// Where `node` is written.
  [[nodiscard]] SourceLocation at(const toml::node& node) const;

  /// Fails at `node`.
  [[noreturn]] void fail(const toml::node& node, std::string message) const;

  /// Rejects keys other than `allowed`, naming them and the section.
  void only(const toml::table& table, std::string_view section,
            std::initializer_list<std::string_view> allowed) const {
    only(table, section, std::vector<std::string_view>(allowed));
  }
  void only(const toml::table& table, std::string_view section,
            const std::vector<std::string_view>& allowed) const;

  /// The node as a table, an array, a string, a boolean; `what` names it in the message.
  [[nodiscard]] const toml::table& table(const toml::node& node, std::string_view what) const;
  [[nodiscard]] const toml::array& array(const toml::node& node, std::string_view what) const;
  [[nodiscard]] std::string string(const toml::node& node, std::string_view what) const;
  [[nodiscard]] bool boolean(const toml::node& node, std::string_view what) const;

  /// The node as an integer from `low` to `high`.
  [[nodiscard]] std::int64_t integer(const toml::node& node, std::string_view what,
                                     std::int64_t low, std::int64_t high) const;

  /// `t[key]` as a string; its absence fails at `t`, naming `section`.
  [[nodiscard]] std::string required_string(const toml::table& t, std::string_view key,
                                            std::string_view section) const;

  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] std::string_view text() const { return text_; }

 private:
  std::string file_;
  std::string_view text_;
};

/// Calls `each` with every entry of the array of tables `root[key]` (none when it is absent).
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

}  // namespace dmcheck::scenarios
