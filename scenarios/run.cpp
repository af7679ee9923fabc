#include "scenarios/run.h"

#include <chrono>

#include "checker/check.h"
#include "model/dm_model.h"
#include "reports/from_result.h"
#include "scenarios/coverage.h"

namespace dmcheck::scenarios {

tl::expected<ScenarioRun, Error> run_scenario(const Scenario& scenario,
                                              const RunSettings& settings) {
  model::Config config = scenario.config;
  if (settings.variant) {
    config.variant = *settings.variant;
  }
  auto built = model::DmModel::build(config);
  if (!built) {
    Error error = built.error();
    if (!error.where) {
      error.where = SourceLocation{scenario.file, 0, 0};
    }
    if (settings.variant) {
      error.message += " (under variant " + model::to_string(*settings.variant) + ")";
    }
    return tl::unexpected(error);
  }
  const CoveredModel model(std::move(*built), CoverageObserver{});

  checker::Options options = settings.options;
  options.check_deadlock = scenario.checks_deadlock();
  if (!options.max_states) {
    options.max_states = scenario.bounds.max_states;
  }
  if (!options.max_depth) {
    options.max_depth = scenario.bounds.max_depth;
  }
  if (!options.max_time && scenario.bounds.max_seconds) {
    options.max_time =
        std::chrono::milliseconds(static_cast<std::int64_t>(*scenario.bounds.max_seconds * 1000));
  }
  const auto result = checker::check(model, options);
  if (!result) {
    return tl::unexpected(result.error());
  }
  ScenarioRun run;
  run.report.name = scenario.name;
  run.report.file = scenario.file;
  run.report.description = scenario.description;
  run.report.variant = model::to_string(config.variant);
  std::map<std::string, std::pair<checker::Verdict, std::optional<std::size_t>>> expected;
  for (const auto& e : scenario.expectations) {
    if (e.verdict) {  // a property named without a verdict is reported, never compared
      expected[e.property] = {*e.verdict, e.shortest};
    }
  }
  reports::fill_report(run.report, model, *result, expected);
  run.coverage = model.observer().units(model.inner());
  return run;
}

}  // namespace dmcheck::scenarios
