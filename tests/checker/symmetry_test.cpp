#include <doctest/doctest.h>

#include <string>

#include "checker/check.h"
#include "checker/replay.h"
#include "tests/checker/trace_check.h"
#include "zoo/counters.h"

namespace checker = dmcheck::checker;
namespace zoo = dmcheck::zoo;
using dmcheck::testing::is_valid_trace;
using dmcheck::testing::same_bytes;

namespace {

/// Counters whose "representative" of (1, 0) is (2, 0): outside its orbit, which a concrete trace
/// through it must reveal.
class BrokenSymmetry : public zoo::Counters {
 public:
  BrokenSymmetry() : Counters(2, 3, true) {}
  void canonicalize(State& s) const {
    if (s.value[0] == 1 && s.value[1] == 0) {
      s.value[0] = 2;
    }
  }
};

checker::Options with(checker::Reduction reduction, unsigned threads = 1) {
  checker::Options options;
  options.reduction = reduction;
  options.threads = threads;
  return options;
}

}  // namespace

TEST_SUITE("checker/symmetry") {
  TEST_CASE("interchangeable counters: one state per multiset, the same verdict and trace length") {
    const zoo::Counters model(3, 4, true);
    const auto full = checker::check(model, with(checker::Reduction::none));
    const auto reduced = checker::check(model, with(checker::Reduction::all));
    REQUIRE(full);
    REQUIRE(reduced);
    CHECK(full->stats.states == 64);
    CHECK(full->stats.reduction == checker::Reduction::none);
    CHECK(reduced->stats.states == 20);  // C(3 + 4 - 1, 3)
    CHECK(reduced->stats.reduction == checker::Reduction::symmetry);
    CHECK(reduced->stats.max_depth == full->stats.max_depth);
    const auto* goal = reduced->find("all-at-top");
    REQUIRE(goal != nullptr);
    CHECK(goal->verdict == full->find("all-at-top")->verdict);
    REQUIRE(goal->trace);
    CHECK(goal->trace->length() == 9);
    CHECK(goal->trace->length() == full->find("all-at-top")->trace->length());
    // Concrete: every step is the model's own, and its successor numbers replay it.
    CHECK(is_valid_trace(model, *goal->trace));
    checker::Path path;
    path.initial = goal->trace->initial;
    path.actions = goal->trace->successors;
    const auto again = checker::replay(model, path);
    REQUIRE(again);
    CHECK(same_bytes(again->states.back(), goal->trace->states.back()));
  }

  TEST_CASE("symmetry: the same result on any number of threads, and depth-first") {
    const zoo::Counters model(4, 5, true);
    const auto one = checker::check(model, with(checker::Reduction::symmetry, 1));
    const auto three = checker::check(model, with(checker::Reduction::symmetry, 3));
    REQUIRE(one);
    REQUIRE(three);
    CHECK(one->stats.states == 70);  // C(4 + 5 - 1, 4)
    CHECK(three->stats.states == one->stats.states);
    CHECK(three->stats.transitions == one->stats.transitions);
    CHECK(three->find("all-at-top")->trace->successors ==
          one->find("all-at-top")->trace->successors);
    auto dfs = with(checker::Reduction::symmetry);
    dfs.strategy = checker::Strategy::dfs;
    const auto deep = checker::check(model, dfs);
    REQUIRE(deep);
    CHECK(deep->stats.states == 70);
    CHECK(is_valid_trace(model, *deep->find("all-at-top")->trace));
  }

  TEST_CASE("a model without interchangeable actors is explored as it is") {
    const zoo::Counters model(3, 4);
    const auto run = checker::check(model, with(checker::Reduction::all));
    REQUIRE(run);
    CHECK(run->stats.states == 64);
    CHECK(run->stats.reduction == checker::Reduction::none);
  }

  TEST_CASE("a representative outside its orbit is reported, not turned into a wrong trace") {
    const auto run = checker::check(BrokenSymmetry(), with(checker::Reduction::symmetry));
    REQUIRE_FALSE(run);
    CHECK(run.error().kind == dmcheck::ErrorKind::model);
    CHECK(run.error().message.find("model is not symmetric") != std::string::npos);
  }

  TEST_CASE("reductions by name") {
    for (const auto r : {checker::Reduction::none, checker::Reduction::symmetry,
                         checker::Reduction::por, checker::Reduction::all}) {
      CHECK(checker::parse_reduction(checker::to_string(r)) == r);
    }
    CHECK_FALSE(checker::parse_reduction("sleep"));
  }
}
