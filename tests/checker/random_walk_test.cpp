#include <doctest/doctest.h>

#include "checker/check.h"
#include "tests/checker/trace_check.h"
#include "zoo/counter_race.h"
#include "zoo/peterson.h"
#include "zoo/philosophers.h"

namespace checker = dmcheck::checker;
namespace zoo = dmcheck::zoo;
using checker::Verdict;
using dmcheck::testing::is_valid_trace;

namespace {
checker::Options walks(std::uint64_t seed, std::uint64_t count) {
  checker::Options options;
  options.strategy = checker::Strategy::random_walk;
  options.seed = seed;
  options.walks = count;
  return options;
}
}  // namespace

TEST_SUITE("checker/random_walk") {
  TEST_CASE("walks find the violation with a valid trace but never prove absence") {
    const zoo::CounterRace model(11, 20);
    const auto result = checker::check(model, walks(7, 50));
    REQUIRE(result);
    CHECK(result->stop == checker::StopReason::walks_done);
    const auto* violation = result->find("never-target");
    // From 0, +1 and +2 steps hit 11 unless they jump from 10 to 12: a walk misses with
    // probability about 1/3, so 50 walks miss with probability below 1e-23.
    CHECK(violation->verdict == Verdict::violated);
    REQUIRE(violation->trace);
    CHECK(violation->trace->states.back().value == 11);
    CHECK(is_valid_trace(model, *violation->trace));
    const auto peterson = checker::check(zoo::Peterson{}, walks(1, 100));
    REQUIRE(peterson);
    CHECK(peterson->find("mutual-exclusion")->verdict == Verdict::unknown);
  }

  TEST_CASE("the same seed gives the same walks; another seed other walks") {
    const zoo::Philosophers model(5);
    const auto a = checker::check(model, walks(42, 20));
    const auto b = checker::check(model, walks(42, 20));
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->stats.states == b->stats.states);
    CHECK(a->stats.transitions == b->stats.transitions);
    const auto* da = a->find("no-deadlock");
    const auto* db = b->find("no-deadlock");
    REQUIRE(da->trace);
    REQUIRE(db->trace);
    CHECK(da->trace->length() == db->trace->length());
    CHECK(is_valid_trace(model, *da->trace));
    bool any_differs = false;
    for (std::uint64_t seed = 43; seed < 53; ++seed) {
      const auto c = checker::check(model, walks(seed, 20));
      REQUIRE(c);
      any_differs = any_differs || c->stats.transitions != a->stats.transitions;
    }
    CHECK(any_differs);
  }

  TEST_CASE("the walk length bounds each walk") {
    checker::Options options = walks(3, 10);
    options.max_depth = 4;
    const auto result = checker::check(zoo::CounterRace(100, 200), options);
    REQUIRE(result);
    CHECK(result->stats.max_depth <= 4);
    CHECK(result->stats.states <= 9);
  }
}
