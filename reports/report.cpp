#include "reports/report.h"

#include <set>

namespace dmcheck::reports {

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::as_expected:
      return "as expected";
    case Outcome::changed:
      return "CHANGED";
    case Outcome::incomplete:
      return "undecided";
    case Outcome::unchecked:
      return "no expectation";
  }
  return "?";
}

Outcome PropertyReport::outcome() const {
  if (!expected) {  // a verdict nobody stated is still undecided when the run stopped first
    return verdict == checker::Verdict::unknown ? Outcome::incomplete : Outcome::unchecked;
  }
  if (verdict == checker::Verdict::unknown) {
    return Outcome::incomplete;
  }
  if (verdict != *expected) {
    return Outcome::changed;
  }
  if (expected_shortest && trace_length() != *expected_shortest) {
    return Outcome::changed;
  }
  return Outcome::as_expected;
}

Outcome Report::outcome() const {
  bool incomplete = false;
  bool stated = properties.empty();
  for (const auto& p : properties) {
    const Outcome o = p.outcome();
    if (o == Outcome::changed) {
      return Outcome::changed;
    }
    incomplete = incomplete || o == Outcome::incomplete;
    stated = stated || p.expected.has_value();
  }
  if (incomplete) {
    return Outcome::incomplete;
  }
  return stated ? Outcome::as_expected : Outcome::unchecked;
}

namespace {
/// Splits a state description into its parts: devices are separated by "; ", processes by " | ".
std::vector<std::string> split_parts(std::string text) {
  for (std::size_t at = text.find(" | "); at != std::string::npos; at = text.find(" | ", at)) {
    text.replace(at, 3, "; ");
  }
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find("; ", start);
    std::string part =
        text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!part.empty()) {
      parts.push_back(std::move(part));
    }
    if (end == std::string::npos) {
      break;
    }
    start = end + 2;
  }
  return parts;
}
}  // namespace

std::vector<std::string> changed_parts(const std::string& before, const std::string& after) {
  const auto old_parts = split_parts(before);
  const std::set<std::string> old(old_parts.begin(), old_parts.end());
  std::vector<std::string> changed;
  for (auto& part : split_parts(after)) {
    if (!old.contains(part)) {
      changed.push_back(std::move(part));
    }
  }
  return changed;
}

}  // namespace dmcheck::reports
