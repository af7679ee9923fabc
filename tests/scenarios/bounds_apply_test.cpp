// A scenario's [bounds] limit its run when the caller sets no limit of its own, and the caller's
// limit takes precedence when it does.

#include <doctest/doctest.h>

#include <string>

#include "scenarios/loader.h"
#include "scenarios/run.h"

namespace scenarios = dmcheck::scenarios;
using dmcheck::checker::StopReason;

namespace {

/// A scenario whose one process needs several steps to free its device, with `bounds`.
scenarios::Scenario bounded(const std::string& bounds) {
  const std::string text =
      "variant = \"6.1\"\n"
      "\n[[tables]]\nname = \"z\"\ntargets = [{ type = \"zero\" }]\n"
      "\n[[devices]]\nname = \"swap\"\ntable = \"z\"\n"
      "\n[[processes]]\nname = \"p\"\n"
      "steps = [\"open swap\", \"close swap\", \"info swap\", \"remove swap\"]\n"
      "\n[bounds]\n" +
      bounds + "\n[expect]\nreachable = [\"device-freed\"]\n";
  auto loaded = scenarios::parse_scenario(text, "s.toml");
  REQUIRE_MESSAGE(loaded, (loaded ? "" : loaded.error().describe()));
  return *loaded;
}

}  // namespace

TEST_SUITE("scenarios/run") {
  TEST_CASE("without bounds the example runs to its end, deeper than the bounds below") {
    const auto run = scenarios::run_scenario(bounded("max_seconds = 60"), {});
    REQUIRE_MESSAGE(run, (run ? "" : run.error().describe()));
    CHECK(run->report.stop == StopReason::completed);
    CHECK(run->report.stats.max_depth > 2);
    CHECK(run->report.stats.states > 3);
  }

  TEST_CASE("[bounds] max_depth limits a run when the caller sets no depth") {
    const auto run = scenarios::run_scenario(bounded("max_depth = 2"), {});
    REQUIRE_MESSAGE(run, (run ? "" : run.error().describe()));
    CHECK(run->report.stop == StopReason::depth_bound);
    CHECK(run->report.stats.max_depth == 2);

    scenarios::RunSettings deeper;
    deeper.options.max_depth = 3;
    const auto caller = scenarios::run_scenario(bounded("max_depth = 2"), deeper);
    REQUIRE_MESSAGE(caller, (caller ? "" : caller.error().describe()));
    CHECK(caller->report.stats.max_depth == 3);
  }

  TEST_CASE("[bounds] max_states limits a run when the caller sets no state limit") {
    const auto run = scenarios::run_scenario(bounded("max_states = 3"), {});
    REQUIRE_MESSAGE(run, (run ? "" : run.error().describe()));
    CHECK(run->report.stop == StopReason::state_limit);
    CHECK(run->report.stats.states == 3);
  }
}
