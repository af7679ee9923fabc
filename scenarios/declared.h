#pragma once
/// The names a scenario declares (devices, tables), each with where it is first declared, and
/// the suggestion for a name that is not one of them: a step may only use declared names, so a
/// typo is caught at load instead of passing as a device that never appears.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checker/error.h"

namespace dmcheck::scenarios {

/// The number of single-byte insertions, deletions, substitutions and swaps of two neighbours
/// turning `a` into `b` (a swap is the commonest typo: "sawp" for "swap").
std::size_t edit_distance(std::string_view a, std::string_view b);

class Declared {
 public:
  /// Declares `name` at `where`; false when it was declared already (the first place stays).
  bool add(const std::string& name, const SourceLocation& where);
  [[nodiscard]] bool contains(std::string_view name) const;
  [[nodiscard]] std::size_t size() const { return names_.size(); }
  /// The declared name closest to `name` when it is close enough to be a likely typo (an edit
  /// distance of at most a third of its length, and at least 1), the first one on a tie.
  [[nodiscard]] std::optional<std::string> closest(std::string_view name) const;
  /// "; did you mean 'x'?" for the closest name, or "".
  [[nodiscard]] std::string suggestion(std::string_view name) const;

 private:
  struct Entry {
    std::string name;
    SourceLocation where;
  };
  std::vector<Entry> names_;
};

}  // namespace dmcheck::scenarios
