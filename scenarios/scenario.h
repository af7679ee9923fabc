#pragma once
/// A scenario: a situation for the model (a model::Config), how far to explore it, and the
/// verdicts it expects. Loaded from a TOML file (see docs/scenarios.md).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checker/error.h"
#include "checker/result.h"
#include "model/config.h"

namespace dmcheck::scenarios {

/// Exploration bounds a scenario sets for itself; the command line may override them.
struct Bounds {
  std::optional<std::uint64_t> max_states;
  std::optional<std::uint32_t> max_depth;
  std::optional<double> max_seconds;
};

/// One property to check and the verdict expected of it, with where the file names it (for
/// messages). No verdict: the file names the property without stating one (under `any` in
/// [expect], or every property when a scenario has no [expect]); its verdict is reported and
/// never compared.
struct Expectation {
  std::string property;
  std::optional<checker::Verdict> verdict;
  std::optional<std::size_t> shortest;  ///< expected counterexample / witness length
  SourceLocation where;
};

struct Scenario {
  std::string file;
  std::string name;  ///< the file's stem
  std::string description;
  model::Config config;
  Bounds bounds;
  std::vector<Expectation> expectations;  ///< in file order: holds, violated, reachable, ..., any
  SourceLocation variant_where;

  /// Whether the built-in deadlock check runs (only when the scenario names it, or names nothing).
  [[nodiscard]] bool checks_deadlock() const;
};

}  // namespace dmcheck::scenarios
