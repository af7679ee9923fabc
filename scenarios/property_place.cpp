#include "scenarios/property_place.h"

#include <string_view>

namespace dmcheck::scenarios {

namespace {

/// The byte index of (line, column), both 1-based, in `text`; npos when past its end.
std::size_t index_of(std::string_view text, std::size_t line, std::size_t column) {
  std::size_t at = 0;
  for (std::size_t l = 1; l < line; ++l) {
    at = text.find('\n', at);
    if (at == std::string_view::npos) {
      return at;
    }
    ++at;
  }
  at += column - 1;
  return at < text.size() ? at : std::string_view::npos;
}

}  // namespace

SourceLocation place_in_string(const Reader& r, const toml::node& node, std::size_t offset) {
  SourceLocation where = r.at(node);
  const std::string_view text = r.text();
  std::size_t at = where.line == 0 || where.column == 0 ? std::string_view::npos
                                                        : index_of(text, where.line, where.column);
  if (at == std::string_view::npos || (text[at] != '"' && text[at] != '\'')) {
    return where;
  }
  const bool basic = text[at] == '"';
  const bool multi_line = text.substr(at, 3) == (basic ? "\"\"\"" : "'''");
  std::size_t line = where.line;
  std::size_t column = where.column + (multi_line ? 3 : 1);
  at += multi_line ? 3 : 1;
  if (multi_line && text.substr(at, 1) == "\n") {  // TOML drops a newline right after """
    ++at;
    ++line;
    column = 1;
  } else if (multi_line && text.substr(at, 2) == "\r\n") {
    at += 2;
    ++line;
    column = 1;
  }
  for (std::size_t i = 0; i < offset; ++i, ++at) {
    if (at >= text.size() || (basic && text[at] == '\\')) {
      return where;
    }
    if (text[at] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return SourceLocation{where.file, static_cast<std::uint32_t>(line),
                        static_cast<std::uint32_t>(column)};
}

}  // namespace dmcheck::scenarios
