#pragma once
/// Runs a scenario: builds the model from its configuration (optionally under another
/// variant), explores it within the scenario's bounds or the caller's, and reports verdicts
/// against the expectations, with the steps that fired.

#include <optional>
#include <set>
#include <string>
#include <tl/expected.hpp>

#include "checker/options.h"
#include "model/variant.h"
#include "reports/report.h"
#include "scenarios/scenario.h"

namespace dmcheck::scenarios {

struct RunSettings {
  /// Strategy, seed, progress and the caller's limits; a limit the caller leaves unset is
  /// taken from the scenario's [bounds].
  checker::Options options;
  std::optional<model::Variant> variant;  ///< run under this variant instead of the file's
};

struct ScenarioRun {
  reports::Report report;
  std::set<std::string> coverage;
};

tl::expected<ScenarioRun, Error> run_scenario(const Scenario& scenario,
                                              const RunSettings& settings);

}  // namespace dmcheck::scenarios
