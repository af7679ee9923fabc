#pragma once
/// Target parameters are words separated by blanks; the agent and the host both rewrite them
/// word by word (device names to numbers and back).

#include <sstream>
#include <string>

namespace dmcheck::conformance {

/// `text` with each blank-separated word replaced by `f(word)`, joined by single blanks.
template <typename F>
std::string map_words(const std::string& text, F f) {
  std::istringstream words(text);
  std::string out;
  for (std::string word; words >> word;) {
    if (!out.empty()) {
      out += ' ';
    }
    out += f(word);
  }
  return out;
}

}  // namespace dmcheck::conformance
