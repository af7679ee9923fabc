#include <doctest/doctest.h>

#include <csignal>

#include "checker/check.h"
#include "checker/observed_model.h"
#include "zoo/counter_race.h"
#include "zoo/counters.h"
#include "zoo/even_counter.h"
#include "zoo/peterson.h"

namespace checker = dmcheck::checker;
namespace zoo = dmcheck::zoo;
using checker::StopReason;
using checker::Verdict;

namespace {

/// Raises SIGINT itself after a given number of expansions, as a user pressing Ctrl-C would.
struct InterruptAfter {
  std::uint64_t after;
  std::uint64_t calls = 0;
  void expanding(const zoo::Counters::State&) {
    if (++calls == after) {
      std::raise(SIGINT);
    }
  }
  void generated(const zoo::Counters::Action&) {}
};

/// Counts the model's successors() calls and the successors it generates.
struct Counting {
  std::uint64_t expansions = 0;
  std::uint64_t successors = 0;
  void expanding(const zoo::CounterRace::State&) { ++expansions; }
  void generated(const zoo::CounterRace::Action&) { ++successors; }
};

checker::ObservedModel<zoo::Counters, InterruptAfter> self_interrupting(std::uint64_t after) {
  return {zoo::Counters(8, 8), InterruptAfter{after}};
}

}  // namespace

TEST_SUITE("checker/limits") {
  TEST_CASE("state limit stops with exactly that many states") {
    checker::Options options;
    options.max_states = 5;
    const auto result = checker::check(zoo::Peterson{}, options);
    REQUIRE(result);
    CHECK(result->stop == StopReason::state_limit);
    CHECK(result->stats.states == 5);
    CHECK_FALSE(result->complete());
    CHECK(result->find("mutual-exclusion")->verdict == Verdict::unknown);
  }

  TEST_CASE("a state limit at or above the reachable count does not truncate") {
    checker::Options options;
    options.max_states = zoo::Peterson::kReachableStates;
    const auto result = checker::check(zoo::Peterson{}, options);
    REQUIRE(result);
    CHECK(result->stop == StopReason::completed);
    CHECK(result->find("mutual-exclusion")->verdict == Verdict::holds);
  }

  TEST_CASE("depth bound: partial result naming the bound, goal beyond it unknown") {
    checker::Options options;
    options.max_depth = 10;
    const auto result = checker::check(zoo::EvenCounter(1000), options);
    REQUIRE(result);
    CHECK(result->stop == StopReason::depth_bound);
    CHECK(result->stats.states == 11);
    CHECK(result->stats.max_depth == 10);
    CHECK(result->find("odd")->verdict == Verdict::unknown);
  }

  TEST_CASE("past the depth bound, successors are generated only until one is new") {
    // CounterRace steps +1 or +2. Bound 7 by BFS: 0..12 (within depth 6) are expanded, 13 and
    // 14 sit at the bound. 13's successor 15 is new, so the bound cut the run short; 14 need not
    // be looked at: 13 + 1 = 14 calls of successors(), 13 * 2 + 2 = 28 successors generated
    // (checking every state at the bound would make 15 and 30).
    for (const auto strategy : {checker::Strategy::bfs, checker::Strategy::dfs}) {
      CAPTURE(checker::to_string(strategy));
      checker::Options options;
      options.strategy = strategy;
      options.max_depth = 7;
      const checker::ObservedModel<zoo::CounterRace, Counting> observed(zoo::CounterRace(100, 200),
                                                                        {});
      const auto result = checker::check(observed, options);
      REQUIRE(result);
      CHECK(result->stop == StopReason::depth_bound);
      CHECK(result->stats.states == 15);
      CHECK(result->stats.transitions == 26);
      CHECK(result->find("reaches-limit")->verdict == Verdict::unknown);
      if (strategy == checker::Strategy::bfs) {
        CHECK(observed.observer().expansions == 14);
        CHECK(observed.observer().successors == 28);
      } else {
        // DFS expands 19 times within the bound (a state reached again by a shorter path is
        // expanded again) and the first state it meets at the bound, 10 at depth 7 by 1, 3, 4,
        // 6, 7, 9, 10, already has a new successor 12: 20 calls, 40 successors.
        CHECK(observed.observer().expansions == 20);
        CHECK(observed.observer().successors == 40);
      }
    }
  }

  TEST_CASE("a depth bound that cuts nothing off completes; one that cuts a state does not") {
    // Bound 7 by BFS leaves 13 and 14 at the bound. With the limit at 14, 13's only successor
    // (14) is known and 14 is final: nothing lies beyond, so the run is complete. With the limit
    // at 15, 13's successor 15 is new, so it is not.
    checker::Options options;
    options.max_depth = 7;
    const auto within = checker::check(zoo::CounterRace(100, 14), options);
    REQUIRE(within);
    CHECK(within->stop == StopReason::completed);
    CHECK(within->find("reaches-limit")->verdict == Verdict::reached);
    CHECK(within->find("never-target")->verdict == Verdict::holds);
    const auto beyond = checker::check(zoo::CounterRace(100, 15), options);
    REQUIRE(beyond);
    CHECK(beyond->stop == StopReason::depth_bound);
    CHECK(beyond->find("reaches-limit")->verdict == Verdict::unknown);
    CHECK(beyond->find("never-target")->verdict == Verdict::unknown);
  }

  TEST_CASE("a depth bound the model never reaches does not truncate") {
    checker::Options options;
    options.max_depth = 6;  // Peterson's deepest shortest path is 6
    const auto result = checker::check(zoo::Peterson{}, options);
    REQUIRE(result);
    CHECK(result->stop == StopReason::completed);
    CHECK(result->stats.states == zoo::Peterson::kReachableStates);
  }

  TEST_CASE("time limit stops a run that would take far longer") {
    checker::Options options;
    options.max_time = std::chrono::milliseconds(50);
    const zoo::Counters model(12, 16);  // 16^12 states: no machine finishes this
    const auto result = checker::check(model, options);
    REQUIRE(result);
    CHECK(result->stop == StopReason::time_limit);
    CHECK(result->stats.states > 0);
    CHECK(result->stats.states < model.reachable_states());
    CHECK(result->find("all-at-top")->verdict == Verdict::unknown);
  }

  TEST_CASE("a time limit of centuries is no limit, not an overflow that stops at once") {
    checker::Options options;
    options.max_time = std::chrono::milliseconds(10'000'000'000'000);  // 1e10 seconds
    const zoo::Counters model(4, 8);
    const auto result = checker::check(model, options);
    REQUIRE(result);
    CHECK(result->stop == StopReason::completed);
    CHECK(result->stats.states == model.reachable_states());
  }

  TEST_CASE("memory limit stops when the engine's storage passes it") {
    checker::Options options;
    options.max_memory = 4u << 20;
    const zoo::Counters model(12, 16);
    const auto result = checker::check(model, options);
    REQUIRE(result);
    CHECK(result->stop == StopReason::memory_limit);
    CHECK(result->stats.store_bytes < (8u << 20));
  }

  TEST_CASE("SIGINT stops the run with a partial result") {
    for (auto strategy :
         {checker::Strategy::bfs, checker::Strategy::dfs, checker::Strategy::random_walk}) {
      CAPTURE(checker::to_string(strategy));
      checker::Options options;
      options.strategy = strategy;
      options.walks = 1'000'000;
      const auto result = checker::check(self_interrupting(5000), options);
      REQUIRE(result);
      CHECK(result->stop == StopReason::interrupted);
      CHECK(result->stats.states > 0);
      CHECK(result->find("all-at-top")->verdict == Verdict::unknown);
    }
  }

  TEST_CASE("after a run the previous SIGINT disposition is restored") {
    struct sigaction before {};
    sigaction(SIGINT, nullptr, &before);
    REQUIRE(checker::check(zoo::Peterson{}));
    struct sigaction after {};
    sigaction(SIGINT, nullptr, &after);
    CHECK(reinterpret_cast<void*>(before.sa_handler) == reinterpret_cast<void*>(after.sa_handler));
  }
}
