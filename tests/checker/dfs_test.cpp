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

namespace {
checker::Options dfs() {
  checker::Options options;
  options.strategy = checker::Strategy::dfs;
  return options;
}
}  // namespace

TEST_SUITE("checker/dfs") {
  TEST_CASE("DFS finds the same states and verdicts as the known answers") {
    const auto peterson = checker::check(zoo::Peterson{}, dfs());
    REQUIRE(peterson);
    CHECK(peterson->complete());
    CHECK(peterson->stats.states == zoo::Peterson::kReachableStates);
    CHECK(peterson->find("mutual-exclusion")->verdict == Verdict::holds);
    CHECK(peterson->find("p0-critical")->verdict == Verdict::reached);

    const zoo::Philosophers philosophers(4);
    const auto deadlock = checker::check(philosophers, dfs());
    REQUIRE(deadlock);
    CHECK(deadlock->find("no-deadlock")->verdict == Verdict::violated);
    CHECK(is_valid_trace(philosophers, *deadlock->find("no-deadlock")->trace));

    const auto even = checker::check(zoo::EvenCounter(64), dfs());
    REQUIRE(even);
    CHECK(even->stats.states == 32);
    CHECK(even->find("odd")->verdict == Verdict::unreachable);
  }

  TEST_CASE("DFS follows the first successor down, so its counterexample is the long one") {
    const zoo::CounterRace model(11, 20);
    const auto result = checker::check(model, dfs());
    REQUIRE(result);
    const auto* violation = result->find("never-target");
    REQUIRE(violation->trace);
    // Depth-first from 0 the first successor (+1) goes first; states already discovered are not
    // re-entered, so 11 is first discovered along 1, 3, 4, 6, 7, 9: seven steps, not the shortest
    // six.
    CHECK(violation->trace->length() == 7);
    CHECK(is_valid_trace(model, *violation->trace));
  }

  TEST_CASE("a depth bound finds exactly the states BFS finds within it") {
    // DFS reaches 2 first by +1+1 (depth 2) before +2 (depth 1): the state must be expanded
    // again from the shorter path, or states near the bound would be missed.
    for (std::uint32_t bound = 1; bound <= 8; ++bound) {
      CAPTURE(bound);
      checker::Options options = dfs();
      options.max_depth = bound;
      const auto by_dfs = checker::check(zoo::CounterRace(100, 200), options);
      options.strategy = checker::Strategy::bfs;
      const auto by_bfs = checker::check(zoo::CounterRace(100, 200), options);
      REQUIRE(by_dfs);
      REQUIRE(by_bfs);
      CHECK(by_dfs->stats.states == 2 * bound + 1);
      CHECK(by_bfs->stats.states == 2 * bound + 1);
      CHECK(by_dfs->stop == checker::StopReason::depth_bound);
      CHECK(by_dfs->find("reaches-limit")->verdict == Verdict::unknown);
    }
  }

  TEST_CASE("a depth-bounded DFS relinks a state found again by a shorter path: traces fit") {
    // 2 * bound lies exactly at the bound: the only path of at most `bound` steps reaching it
    // is all +2. Depth-first, the states on that path (2, 4, ...) are first found along longer
    // paths through +1 steps and found again later by shorter ones; 2 * bound is then found as
    // a successor of such a state. The engine keeps one parent link per state and rebuilds the
    // trace from those links, so unless a state found again by a shorter path has its link moved
    // to that path, the trace to 2 * bound runs through an old, longer prefix: longer than the
    // bound that found it. With the links moved, every trace fits in the bound, so this one is
    // exactly the `bound` +2 steps.
    for (std::uint32_t bound = 3; bound <= 8; ++bound) {
      CAPTURE(bound);
      const zoo::CounterRace model(2 * bound, 200);
      checker::Options options = dfs();
      options.max_depth = bound;
      const auto result = checker::check(model, options);
      REQUIRE(result);
      const auto* violation = result->find("never-target");
      REQUIRE(violation->verdict == Verdict::violated);
      REQUIRE(violation->trace);
      CHECK(violation->trace->length() == bound);
      CHECK(is_valid_trace(model, *violation->trace));
      for (const auto& action : violation->trace->actions) {
        CHECK(action.step == 2);
      }
    }
  }

  TEST_CASE("a depth-bounded DFS counts each transition once, however often it expands a state") {
    // Within depth 7 the counter reaches 0..14 (15 states); 0..12 lie within depth 6 and are
    // expanded, each with two successors (+1, +2): 13 * 2 = 26 transitions, as BFS counts. DFS
    // first reaches 4, 6, 7, 8, 9, 10 by longer paths and expands them again when it finds the
    // shorter one (19 expansions); counting each of those would give 19 * 2 = 38.
    checker::Options options = dfs();
    options.max_depth = 7;
    const auto by_dfs = checker::check(zoo::CounterRace(100, 200), options);
    options.strategy = checker::Strategy::bfs;
    const auto by_bfs = checker::check(zoo::CounterRace(100, 200), options);
    REQUIRE(by_dfs);
    REQUIRE(by_bfs);
    CHECK(by_bfs->stats.states == 15);
    CHECK(by_bfs->stats.transitions == 26);
    CHECK(by_dfs->stats.states == 15);
    CHECK(by_dfs->stats.transitions == 26);
    CHECK(by_dfs->stop == checker::StopReason::depth_bound);
  }
}
