#include <doctest/doctest.h>

#include <vector>

#include "checker/check.h"
#include "tests/checker/trace_check.h"
#include "zoo/counter_race.h"
#include "zoo/counters.h"
#include "zoo/peterson.h"
#include "zoo/philosophers.h"

namespace checker = dmcheck::checker;
namespace zoo = dmcheck::zoo;
using dmcheck::testing::is_valid_trace;

namespace {

/// Checks that a run on `threads` threads gives exactly the one-threaded run's result.
template <class M>
void same_as_one_thread(const M& model, checker::Options options) {
  options.threads = 1;
  const auto one = checker::check(model, options);
  REQUIRE(one);
  CHECK(one->stats.threads == 1);
  for (const unsigned threads : {2u, 3u, 4u}) {
    CAPTURE(threads);
    options.threads = threads;
    const auto many = checker::check(model, options);
    REQUIRE(many);
    CHECK(many->stats.threads == threads);
    CHECK(many->stop == one->stop);
    CHECK(many->stats.states == one->stats.states);
    CHECK(many->stats.transitions == one->stats.transitions);
    CHECK(many->stats.max_depth == one->stats.max_depth);
    CHECK(many->stats.peak_frontier == one->stats.peak_frontier);
    REQUIRE(many->properties.size() == one->properties.size());
    for (std::size_t i = 0; i < one->properties.size(); ++i) {
      const auto& a = one->properties[i];
      const auto& b = many->properties[i];
      CAPTURE(a.name);
      CHECK(a.verdict == b.verdict);
      REQUIRE(a.trace.has_value() == b.trace.has_value());
      if (a.trace) {
        CHECK(a.trace->initial == b.trace->initial);
        CHECK(a.trace->successors == b.trace->successors);
        CHECK(is_valid_trace(model, *b.trace));
      }
    }
  }
}

}  // namespace

TEST_SUITE("checker/parallel") {
  TEST_CASE("every number of threads gives the same states, verdicts and traces") {
    checker::Options options;
    same_as_one_thread(zoo::Philosophers(7), options);  // a deadlock, found at the least depth
    same_as_one_thread(zoo::Peterson(), options);
    same_as_one_thread(zoo::CounterRace(10, 12), options);  // a violation, shortest
    same_as_one_thread(zoo::Counters(6, 6), options);       // many states reached many ways
  }

  TEST_CASE("limits and bounds cut every number of threads at the same place") {
    checker::Options options;
    options.max_states = 5000;
    same_as_one_thread(zoo::Counters(6, 6), options);
    options = {};
    options.max_depth = 9;
    same_as_one_thread(zoo::Counters(6, 6), options);
    options = {};
    options.stop_at_first_violation = true;
    same_as_one_thread(zoo::Philosophers(7), options);
  }

  TEST_CASE("the states one thread numbers are the breadth-first order: ids follow depth") {
    // Counters(3, 4): every state's depth is the sum of its counters (no wrap is shorter), so
    // the violating "all at top" witness is at depth 9 whatever the threads.
    checker::Options options;
    options.threads = 2;
    const zoo::Counters model(3, 4);
    const auto result = checker::check(model, options);
    REQUIRE(result);
    CHECK(result->stats.states == 64);
    CHECK(result->stats.max_depth == 9);
    const auto* top = result->find("all-at-top");
    REQUIRE(top);
    REQUIRE(top->trace);
    CHECK(top->trace->length() == 9);
  }
}
