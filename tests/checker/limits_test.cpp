#include <doctest/doctest.h>

#include <csignal>

#include "checker/check.h"
#include "checker/observed_model.h"
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
