#include <doctest/doctest.h>

#include "checker/check.h"
#include "conformance/race_universe.h"
#include "model/dm_model.h"

namespace checker = dmcheck::checker;
namespace conformance = dmcheck::conformance;
namespace model = dmcheck::model;

namespace {

/// `config` with each run of consecutive processes that have one program declared copies of
/// the first of them; whether there was one.
bool declare_copies(model::Config& config) {
  bool any = false;
  for (std::size_t p = 1; p < config.processes.size(); ++p) {
    model::ProcessSpec& before = config.processes[p - 1];
    if (config.processes[p].program == before.program) {
      if (before.copy_of.empty()) {
        before.copy_of = before.name;
      }
      config.processes[p].copy_of = before.copy_of;
      any = true;
    }
  }
  return any;
}

checker::RunResult<model::DmModel> explore(const model::DmModel& m, checker::Reduction r) {
  checker::Options options;
  options.reduction = r;
  options.threads = 1;
  options.max_states = conformance::kRaceExplorationStates;
  auto run = checker::check(m, options);
  REQUIRE(run);
  return std::move(*run);
}

}  // namespace

TEST_SUITE("conformance/race_symmetry") {
  // Generated scenarios: every race of the conformance universe whose threads repeat a sequence
  // ("suspend a || suspend a", a suspend racing two resumes, ...), explored with those threads
  // declared interchangeable and without: the verdicts and shortest traces must not differ.
  TEST_CASE("generated races with identical threads: the same verdicts with and without symmetry") {
    std::size_t symmetric = 0;
    for (conformance::Race& race : conformance::race_candidates(1)) {
      if (!declare_copies(race.config)) {
        continue;
      }
      CAPTURE(race.name);
      const auto built = model::DmModel::build(race.config);
      REQUIRE(built);
      const auto reduced = explore(*built, checker::Reduction::all);
      const auto full = explore(*built, checker::Reduction::none);
      if (full.stop != checker::StopReason::completed) {
        continue;  // the generator leaves such a race out too
      }
      ++symmetric;
      CHECK(reduced.stop == full.stop);
      CHECK(reduced.stats.reduction == checker::Reduction::symmetry);
      CHECK(reduced.stats.states < full.stats.states);
      CHECK(reduced.stats.max_depth == full.stats.max_depth);
      REQUIRE(reduced.properties.size() == full.properties.size());
      for (std::size_t i = 0; i < full.properties.size(); ++i) {
        CAPTURE(full.properties[i].name);
        CHECK(reduced.properties[i].verdict == full.properties[i].verdict);
        CHECK(reduced.properties[i].trace.has_value() == full.properties[i].trace.has_value());
        if (full.properties[i].trace) {
          CHECK(reduced.properties[i].trace->length() == full.properties[i].trace->length());
        }
      }
    }
    MESSAGE(symmetric, " generated races with interchangeable threads");
    CHECK(symmetric >= 20);
  }
}
