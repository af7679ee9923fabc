#include "scenarios/declared.h"

#include <algorithm>

namespace dmcheck::scenarios {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // The table row by row, keeping the two rows before (a swap looks two back).
  std::vector<std::size_t> before(b.size() + 1);
  std::vector<std::size_t> previous(b.size() + 1);
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    previous[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        row[j] = std::min(row[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, row);
  }
  return previous[b.size()];
}

bool Declared::add(const std::string& name, const SourceLocation& where) {
  if (contains(name)) {
    return false;
  }
  names_.push_back({name, where});
  return true;
}

bool Declared::contains(std::string_view name) const {
  return std::any_of(names_.begin(), names_.end(), [&](const Entry& e) { return e.name == name; });
}

std::optional<std::string> Declared::closest(std::string_view name) const {
  const std::size_t limit = std::max<std::size_t>(1, name.size() / 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const Entry& e : names_) {
    const std::size_t longer = std::max(name.size(), e.name.size());
    if (longer - std::min(name.size(), e.name.size()) > limit) {
      continue;  // the lengths alone are too far apart
    }
    const std::size_t d = edit_distance(name, e.name);
    if (d < best_distance) {
      best = e.name;
      best_distance = d;
    }
  }
  return best;
}

std::string Declared::suggestion(std::string_view name) const {
  const auto best = closest(name);
  return best ? "; did you mean '" + *best + "'?" : "";
}

}  // namespace dmcheck::scenarios
