#include "scenarios/input.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace dmcheck::scenarios {
namespace {

tl::unexpected<Error> refuse(const std::string& path, std::string message) {
  return tl::unexpected(
      Error{ErrorKind::bad_input, std::move(message), SourceLocation{path, 0, 0}});
}

/// What kind of file a non-regular one is, for the message.
std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) {
    return "a directory";
  }
  if (S_ISFIFO(mode)) {
    return "a FIFO";
  }
  if (S_ISCHR(mode) || S_ISBLK(mode)) {
    return "a device";
  }
  if (S_ISSOCK(mode)) {
    return "a socket";
  }
  return "not a regular file";
}

std::string too_big() {
  return fmt::format(
      "the scenario file is larger than {} bytes (1 MiB), the most a scenario "
      "may hold",
      kMaxScenarioBytes);
}

/// Reads at most kMaxScenarioBytes + 1 bytes of the open file.
tl::expected<std::string, Error> read_bounded(int fd, const std::string& path) {
  std::string text(kMaxScenarioBytes + 1, '\0');
  std::size_t used = 0;
  while (used < text.size()) {
    const ssize_t got = ::read(fd, text.data() + used, text.size() - used);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got < 0) {
      return refuse(path, std::string("cannot read the scenario file: ") + std::strerror(errno));
    }
    if (got == 0) {
      break;
    }
    used += static_cast<std::size_t>(got);
  }
  if (used > kMaxScenarioBytes) {
    return refuse(path, too_big());
  }
  text.resize(used);
  return text;
}

}  // namespace

tl::expected<std::string, Error> read_scenario_text(const std::string& path) {
  // Non-blocking, so opening a FIFO with no writer returns at once; fstat then refuses it.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    return refuse(path, std::string("cannot read the scenario file: ") + std::strerror(errno));
  }
  struct stat st {};
  tl::expected<std::string, Error> out;
  if (::fstat(fd, &st) != 0) {
    out = refuse(path, std::string("cannot read the scenario file: ") + std::strerror(errno));
  } else if (!S_ISREG(st.st_mode)) {
    out = refuse(path, "the scenario is " + kind_of(st.st_mode) + "; it must be a regular file");
  } else if (static_cast<std::uint64_t>(st.st_size) > kMaxScenarioBytes) {
    out = refuse(path, too_big());
  } else {
    out = read_bounded(fd, path);
  }
  ::close(fd);
  return out;
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
