#include "scenarios/input.h"

#include <fmt/format.h>

#include <cstring>

#include "checker/input_file.h"

namespace dmcheck::scenarios {
namespace {

tl::unexpected<Error> refuse(const std::string& path, std::string message) {
  return tl::unexpected(
      Error{ErrorKind::bad_input, std::move(message), SourceLocation{path, 0, 0}});
}

std::string too_big() {
  return fmt::format(
      "the scenario file is larger than {} bytes (1 MiB), the most a scenario "
      "may hold",
      kMaxScenarioBytes);
}

}  // namespace

tl::expected<std::string, Error> read_scenario_text(const std::string& path) {
  auto text = checker::read_regular_file(path, kMaxScenarioBytes);
  if (text) {
    return std::move(*text);
  }
  switch (text.error().kind) {
    case checker::InputFileFailure::Kind::unreadable:
      return refuse(
          path, std::string("cannot read the scenario file: ") + std::strerror(text.error().error));
    case checker::InputFileFailure::Kind::not_regular:
      return refuse(path, "the scenario is " + checker::file_kind(text.error().mode) +
                              "; it must be a regular file");
    case checker::InputFileFailure::Kind::too_large:
      break;
  }
  return refuse(path, too_big());
}

namespace {

/// Walks TOML text keeping only what nesting depends on: brackets and braces outside strings
/// and comments, and the dots of the key being written.
class NestingScan {
 public:
  NestingScan(std::string_view text, const std::string& file) : text_(text), file_(file) {}

  tl::expected<void, Error> run() {
    while (at_ < text_.size()) {
      const char ch = text_[at_];
      if (ch == '"' || ch == '\'') {
        skip_string(ch);
        continue;
      }
      if (ch == '#') {
        skip_comment();
        continue;
      }
      if (!structure(ch)) {
        return tl::unexpected(Error{
            ErrorKind::bad_input,
            fmt::format("nesting deeper than {} levels (arrays, inline tables, table headers and "
                        "dotted keys count together); the loader refuses it",
                        kMaxNesting),
            SourceLocation{file_, line_, column_}});
      }
      advance();
    }
    return {};
  }

 private:
  /// Accounts for one structural character; false when the depth goes past the limit.
  bool structure(char ch) {
    switch (ch) {
      case '[':
      case '{':
        open_.push_back(ch);
        // A '[' in key position opens a table header, whose dotted key follows; a '[' in a
        // value is an array.
        in_key_ = ch == '{' || in_key_;
        key_dots_ = ch == '{' ? 0 : key_dots_;
        return depth() <= kMaxNesting;
      case ']':
      case '}':
        if (!open_.empty()) {
          open_.pop_back();
        }
        in_key_ = false;
        key_dots_ = 0;
        return true;
      case '=':
        in_key_ = false;
        key_dots_ = 0;
        return true;
      case ',':
        if (!open_.empty() && open_.back() == '{') {
          in_key_ = true;
          key_dots_ = 0;
        }
        return true;
      case '.':
        key_dots_ += in_key_ ? 1 : 0;
        return depth() <= kMaxNesting;
      case '\n':
        if (open_.empty()) {
          in_key_ = true;
          key_dots_ = 0;
        }
        return true;
      default:
        return true;
    }
  }

  [[nodiscard]] std::size_t depth() const { return open_.size() + key_dots_; }

  void advance() {
    if (text_[at_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++at_;
  }

  void skip_comment() {
    while (at_ < text_.size() && text_[at_] != '\n') {
      advance();
    }
  }

  /// Skips a basic ("...", """...""") or literal ('...', '''...''') string.
  void skip_string(char quote) {
    const bool triple = text_.substr(at_, 3) == std::string(3, quote);
    const std::size_t width = triple ? 3 : 1;
    for (std::size_t i = 0; i < width; ++i) {
      advance();
    }
    while (at_ < text_.size()) {
      if (quote == '"' && text_[at_] == '\\' && at_ + 1 < text_.size()) {
        advance();
        advance();
        continue;
      }
      if (!triple && text_[at_] == '\n') {
        return;  // unterminated: the parser reports it
      }
      if (text_.substr(at_, width) == std::string(width, quote)) {
        for (std::size_t i = 0; i < width; ++i) {
          advance();
        }
        return;
      }
      advance();
    }
  }

  std::string_view text_;
  const std::string& file_;
  std::size_t at_ = 0;
  std::uint32_t line_ = 1;
  std::uint32_t column_ = 1;
  std::string open_;  ///< the brackets and braces open, innermost last
  bool in_key_ = true;
  std::size_t key_dots_ = 0;
};

}  // namespace

tl::expected<void, Error> check_nesting(std::string_view text, const std::string& file) {
  return NestingScan(text, file).run();
}

}  // namespace dmcheck::scenarios
