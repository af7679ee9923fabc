// model::explore_outcomes and group_outcomes: every distinct end of a race, with each process's
// call results and the devices' final state; a hang is an outcome marked as such; a cut-short
// run says it is incomplete.

#include "model/outcomes.h"

#include <doctest/doctest.h>

#include "tests/model/fixtures.h"

namespace dmcheck::model::testing {
namespace {

Config race(std::vector<ProcessSpec> processes) {
  Config c = base_config();
  c.devices = {{"a", "", "lin0", false, 0, 0, "", false}};
  c.processes = std::move(processes);
  return c;
}

TEST_SUITE("model/outcomes") {
  TEST_CASE("open || remove: the two ends a kernel shows, exactly") {
    const auto model =
        build(race({process("opener", {"open a"}), process("remover", {"remove a"})}));
    const auto run = explore_outcomes(model, {});
    REQUIRE(run);
    CHECK(run->complete());
    const auto outcomes = group_outcomes(model, run->ends);
    REQUIRE(outcomes.size() == 2);
    const Outcome held{{{{"open a", "0"}}, {{"remove a", "EBUSY"}}},
                       {{"a", true, false, false, false, 1, "lin0", ""}},
                       false,
                       1};
    const Outcome gone{{{{"open a", "ENXIO"}}, {{"remove a", "0"}}},
                       {{"dm0", false, false, false, false, 0, "", ""}},
                       false,
                       1};
    CHECK(outcomes[0] == held);
    CHECK(outcomes[1] == gone);
  }

  TEST_CASE("a read that waits on a device nobody resumes is a deadlock outcome") {
    const auto model =
        build(race({process("admin", {"suspend a"}), process("reader", {"open a", "read a"})}));
    const auto run = explore_outcomes(model, {});
    REQUIRE(run);
    bool hang = false;
    for (const Outcome& o : group_outcomes(model, run->ends)) {
      if (o.deadlock) {
        hang = true;
        CHECK(o.processes[1].size() == 1);  // the read never returned
        CHECK(o.devices[0].suspended);
      }
    }
    CHECK(hang);
  }

  TEST_CASE("a run cut short by a limit is not complete") {
    const auto model = build(
        race({process("p0", {"suspend a", "resume a"}), process("p1", {"suspend a", "resume a"})}));
    checker::Options limits;
    limits.max_states = 5;
    const auto run = explore_outcomes(model, limits);
    REQUIRE(run);
    CHECK_FALSE(run->complete());
    CHECK(run->stop == checker::StopReason::state_limit);
  }
}

}  // namespace
}  // namespace dmcheck::model::testing
