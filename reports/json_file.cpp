#include "reports/json_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace dmcheck::reports {

namespace {

Error bad(const std::string& file, std::string message) {
  return Error{ErrorKind::bad_input, std::move(message), SourceLocation{file}};
}

/// Closes a file descriptor when it goes out of scope.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
};

/// The line and column of byte `at`, 1-based.
std::pair<std::size_t, std::size_t> line_column(const std::string& text, std::size_t at) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < at && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

/// The offset where nesting first exceeds kMaxJsonDepth, or npos. Brackets inside strings do not
/// count.
std::size_t too_deep_at(const std::string& text) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) {
        return i;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string::npos;
}

}  // namespace

tl::expected<nlohmann::json, Error> parse_json_text(const std::string& text,
                                                    const std::string& file) {
  if (const std::size_t at = too_deep_at(text); at != std::string::npos) {
    const auto [line, column] = line_column(text, at);
    return tl::unexpected(Error{ErrorKind::bad_input,
                                fmt::format("nested more than {} levels deep", kMaxJsonDepth),
                                SourceLocation{file, static_cast<std::uint32_t>(line),
                                               static_cast<std::uint32_t>(column)}});
  }
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    const auto [line, column] = line_column(text, e.byte == 0 ? 0 : e.byte - 1);
    return tl::unexpected(Error{ErrorKind::bad_input, "not JSON: the text does not parse here",
                                SourceLocation{file, static_cast<std::uint32_t>(line),
                                               static_cast<std::uint32_t>(column)}});
  }
}

tl::expected<nlohmann::json, Error> read_json_file(const std::string& file, std::uint64_t limit) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; the type is checked on the open file.
  const Fd in{::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  if (in.fd < 0) {
    return tl::unexpected(bad(file, fmt::format("cannot read the file: {}", std::strerror(errno))));
  }
  struct stat st {};
  if (::fstat(in.fd, &st) != 0) {
    return tl::unexpected(bad(file, fmt::format("cannot read the file: {}", std::strerror(errno))));
  }
  if (!S_ISREG(st.st_mode)) {
    return tl::unexpected(bad(file, S_ISDIR(st.st_mode)
                                        ? "is a directory, not a JSON file"
                                        : "is not a regular file (a FIFO, socket or device)"));
  }
  const auto too_large = [&] {
    return tl::unexpected(bad(
        file, fmt::format("larger than the limit of {} bytes for a trace or report file", limit)));
  };
  if (static_cast<std::uint64_t>(st.st_size) > limit) {
    return too_large();
  }
  // At most limit + 1 bytes are read: the file may grow after fstat.
  std::string text;
  char buffer[64 * 1024];
  for (;;) {
    const std::size_t want = std::min<std::uint64_t>(sizeof buffer, limit + 1 - text.size());
    const ssize_t got = ::read(in.fd, buffer, want);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got < 0) {
      return tl::unexpected(
          bad(file, fmt::format("cannot read the file: {}", std::strerror(errno))));
    }
    if (got == 0) {
      break;
    }
    text.append(buffer, static_cast<std::size_t>(got));
    if (text.size() > limit) {
      return too_large();
    }
  }
  return parse_json_text(text, file);
}

}  // namespace dmcheck::reports
