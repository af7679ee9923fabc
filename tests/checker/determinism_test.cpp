#include <doctest/doctest.h>

#include "checker/check.h"
#include "tests/checker/trace_check.h"
#include "zoo/philosophers.h"

namespace checker = dmcheck::checker;
namespace zoo = dmcheck::zoo;
using dmcheck::testing::same_bytes;

TEST_SUITE("checker/determinism") {
  TEST_CASE("two runs give identical counts and traces") {
    for (auto strategy : {checker::Strategy::bfs, checker::Strategy::dfs}) {
      CAPTURE(checker::to_string(strategy));
      checker::Options options;
      options.strategy = strategy;
      const zoo::Philosophers model(6);
      const auto a = checker::check(model, options);
      const auto b = checker::check(model, options);
      REQUIRE(a);
      REQUIRE(b);
      CHECK(a->stats.states == b->stats.states);
      CHECK(a->stats.transitions == b->stats.transitions);
      CHECK(a->stats.max_depth == b->stats.max_depth);
      const auto& ta = *a->find("no-deadlock")->trace;
      const auto& tb = *b->find("no-deadlock")->trace;
      REQUIRE(ta.length() == tb.length());
      for (std::size_t i = 0; i < ta.states.size(); ++i) {
        CHECK(same_bytes(ta.states[i], tb.states[i]));
      }
      for (std::size_t i = 0; i < ta.actions.size(); ++i) {
        CHECK(ta.actions[i].philosopher == tb.actions[i].philosopher);
      }
    }
  }
}
