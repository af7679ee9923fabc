#pragma once
/// The characters HTML and XML read as markup, shared by the renderers that emit either.

#include <string_view>

namespace dmcheck::reports {

/// The entity that stands for '&', '<' or '>' in HTML and XML text; empty for any other
/// character, which stands for itself.
constexpr std::string_view markup_entity(char c) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    default:
      return {};
  }
}

}  // namespace dmcheck::reports
