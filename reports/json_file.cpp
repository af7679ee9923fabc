#include "reports/json_file.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cstring>

#include "checker/input_file.h"

namespace dmcheck::reports {

namespace {

Error bad(const std::string& file, std::string message) {
  return Error{ErrorKind::bad_input, std::move(message), SourceLocation{file}};
}

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
  auto text = checker::read_regular_file(file, limit);
  if (text) {
    return parse_json_text(*text, file);
  }
  switch (text.error().kind) {
    case checker::InputFileFailure::Kind::unreadable:
      return tl::unexpected(
          bad(file, fmt::format("cannot read the file: {}", std::strerror(text.error().error))));
    case checker::InputFileFailure::Kind::not_regular:
      return tl::unexpected(bad(file, S_ISDIR(text.error().mode)
                                          ? "is a directory, not a JSON file"
                                          : "is not a regular file (a FIFO, socket or device)"));
    case checker::InputFileFailure::Kind::too_large:
      break;
  }
  return tl::unexpected(bad(
      file, fmt::format("larger than the limit of {} bytes for a trace or report file", limit)));
}

}  // namespace dmcheck::reports
