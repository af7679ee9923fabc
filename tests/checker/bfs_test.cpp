#include <doctest/doctest.h>

#include "checker/check.h"
#include "tests/checker/trace_check.h"
#include "zoo/counter_race.h"
#include "zoo/even_counter.h"
#include "zoo/peterson.h"
#include "zoo/philosophers.h"

namespace checker = dmcheck::checker;
namespace zoo = dmcheck::zoo;
using checker::Verdict;
using dmcheck::testing::is_valid_trace;

TEST_SUITE("checker/bfs") {
  TEST_CASE("Peterson: exact state count, mutual exclusion holds, a shortest witness") {
    const zoo::Peterson model;
    const auto result = checker::check(model);
    REQUIRE(result);
    CHECK(result->stop == checker::StopReason::completed);
    CHECK(result->stats.states == zoo::Peterson::kReachableStates);
    CHECK(result->find("mutual-exclusion")->verdict == Verdict::holds);
    CHECK_FALSE(result->find("mutual-exclusion")->trace);
    const auto* critical = result->find("p0-critical");
    CHECK(critical->verdict == Verdict::reached);
    REQUIRE(critical->trace);
    // Raise the flag, give the turn away, enter: three steps of process 0, none shorter.
    CHECK(critical->trace->length() == 3);
    CHECK(critical->trace->states.back().pc[0] == 3);
    CHECK(is_valid_trace(model, *critical->trace));
    CHECK(result->find("no-deadlock")->verdict == Verdict::holds);
  }

  TEST_CASE("philosophers: the deadlock is found at depth N") {
    for (std::uint8_t n = 2; n <= 5; ++n) {
      CAPTURE(n);
      const zoo::Philosophers model(n);
      const auto result = checker::check(model);
      REQUIRE(result);
      const auto* deadlock = result->find("no-deadlock");
      REQUIRE(deadlock);
      CHECK(deadlock->verdict == Verdict::violated);
      REQUIRE(deadlock->trace);
      CHECK(deadlock->trace->length() == n);
      for (std::uint8_t i = 0; i < n; ++i) {
        CHECK(deadlock->trace->states.back().holds[i] == 1);
      }
      CHECK(is_valid_trace(model, *deadlock->trace));
    }
  }

  TEST_CASE("two philosophers: six reachable states") {
    // (0,0) (1,0) (0,1) (1,1) (2,0) (0,2): a philosopher holding both forks excludes the other.
    const auto result = checker::check(zoo::Philosophers(2));
    REQUIRE(result);
    CHECK(result->stats.states == 6);
  }

  TEST_CASE("deadlock detection can be switched off") {
    checker::Options options;
    options.check_deadlock = false;
    const auto result = checker::check(zoo::Philosophers(3), options);
    REQUIRE(result);
    CHECK(result->find("no-deadlock") == nullptr);
    CHECK(result->stop == checker::StopReason::completed);
  }

  TEST_CASE("final states are not deadlocks") {
    const auto result = checker::check(zoo::CounterRace(10, 12));
    REQUIRE(result);
    CHECK(result->find("no-deadlock")->verdict == Verdict::holds);
  }

  TEST_CASE("the shortest violation is reported while longer ones exist") {
    const zoo::CounterRace model(11, 20);
    const auto result = checker::check(model);
    REQUIRE(result);
    const auto* violation = result->find("never-target");
    CHECK(violation->verdict == Verdict::violated);
    REQUIRE(violation->trace);
    CHECK(violation->trace->length() == model.shortest_violation());
    CHECK(violation->trace->states.back().value == 11);
    CHECK(is_valid_trace(model, *violation->trace));
    CHECK(result->stats.states == 21);
    CHECK(result->stats.max_depth == 10);
  }

  TEST_CASE("an unreachable goal is reported unreachable after an exhaustive run") {
    const zoo::EvenCounter model(1000);
    const auto result = checker::check(model);
    REQUIRE(result);
    CHECK(result->complete());
    CHECK(result->stats.states == model.reachable_states());
    CHECK(result->find("odd")->verdict == Verdict::unreachable);
    CHECK(result->find("even")->verdict == Verdict::holds);
    CHECK(result->find("no-deadlock")->verdict == Verdict::holds);
  }

  TEST_CASE("stop at the first violation") {
    checker::Options options;
    options.stop_at_first_violation = true;
    const auto result = checker::check(zoo::CounterRace(4, 20), options);
    REQUIRE(result);
    CHECK(result->stop == checker::StopReason::first_violation);
    CHECK(result->find("never-target")->verdict == Verdict::violated);
    CHECK(result->find("reaches-limit")->verdict == Verdict::unknown);
    CHECK(result->stats.states < 21);
  }

  TEST_CASE("a deadlock is a violation: it stops a run set to stop at the first one") {
    checker::Options options;
    options.stop_at_first_violation = true;
    const zoo::Philosophers model(3);
    const auto result = checker::check(model, options);
    REQUIRE(result);
    CHECK(result->stop == checker::StopReason::first_violation);
    const auto* deadlock = result->find("no-deadlock");
    REQUIRE(deadlock);
    CHECK(deadlock->verdict == Verdict::violated);
    REQUIRE(deadlock->trace);
    CHECK(is_valid_trace(model, *deadlock->trace));
  }
}
