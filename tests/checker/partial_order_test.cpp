#include <doctest/doctest.h>

#include "checker/check.h"
#include "checker/replay.h"
#include "tests/checker/trace_check.h"
#include "zoo/counters.h"
#include "zoo/private_work.h"

namespace checker = dmcheck::checker;
namespace zoo = dmcheck::zoo;
using checker::Reduction;
using checker::Verdict;
using dmcheck::testing::is_valid_trace;

namespace {

checker::Options with(Reduction reduction, unsigned threads = 1) {
  checker::Options options;
  options.reduction = reduction;
  options.threads = threads;
  return options;
}

/// Every verdict of `a` is `b`'s.
template <class M>
void check_same_verdicts(const checker::RunResult<M>& a, const checker::RunResult<M>& b) {
  REQUIRE(a.properties.size() == b.properties.size());
  for (std::size_t i = 0; i < a.properties.size(); ++i) {
    CAPTURE(a.properties[i].name);
    CHECK(a.properties[i].verdict == b.properties[i].verdict);
  }
}

}  // namespace

TEST_SUITE("checker/partial_order") {
  TEST_CASE("private steps in one order: workers * steps + 2^workers states, the same verdicts") {
    for (std::uint8_t workers = 1; workers <= 5; ++workers) {
      CAPTURE(int{workers});
      const zoo::PrivateWork model(workers, 3);
      const auto full = checker::check(model, with(Reduction::none));
      const auto reduced = checker::check(model, with(Reduction::por));
      REQUIRE(full);
      REQUIRE(reduced);
      std::uint64_t all = 1;
      for (int w = 0; w < workers; ++w) {
        all *= 5;
      }
      CHECK(full->stats.states == all);
      CHECK(full->stats.reduction == Reduction::none);
      CHECK(reduced->stats.states == workers * 3U + (1U << workers));
      CHECK(reduced->stats.reduction == Reduction::por);
      check_same_verdicts(*full, *reduced);
      for (const auto& p : reduced->properties) {
        if (p.trace) {
          CHECK(is_valid_trace(model, *p.trace));
          checker::Path path;
          path.initial = p.trace->initial;
          path.actions = p.trace->successors;
          CHECK(checker::replay(model, path));
        }
      }
    }
  }

  TEST_CASE("a private cycle does not hide the others' moves (the cycle proviso)") {
    const zoo::PrivateWork model(3, 2, true);
    const auto full = checker::check(model, with(Reduction::none));
    const auto reduced = checker::check(model, with(Reduction::all));
    REQUIRE(full);
    REQUIRE(reduced);
    CHECK(full->find("half-published")->verdict == Verdict::reached);
    check_same_verdicts(*full, *reduced);
    CHECK(reduced->stats.transitions < full->stats.transitions);
    CHECK(is_valid_trace(model, *reduced->find("half-published")->trace));
  }

  TEST_CASE("the reduced run is the same on any number of threads") {
    const zoo::PrivateWork model(6, 4, true);
    const auto one = checker::check(model, with(Reduction::por, 1));
    const auto two = checker::check(model, with(Reduction::por, 2));
    REQUIRE(one);
    REQUIRE(two);
    CHECK(one->stats.states == two->stats.states);
    CHECK(one->stats.transitions == two->stats.transitions);
    CHECK(one->stats.max_depth == two->stats.max_depth);
    check_same_verdicts(*one, *two);
    for (std::size_t i = 0; i < one->properties.size(); ++i) {
      REQUIRE(one->properties[i].trace.has_value() == two->properties[i].trace.has_value());
      if (one->properties[i].trace) {
        CHECK(one->properties[i].trace->successors == two->properties[i].trace->successors);
      }
    }
  }

  TEST_CASE("--reduction por does not apply symmetry") {
    const zoo::Counters model(3, 4, true);
    const auto result = checker::check(model, with(Reduction::por));
    REQUIRE(result);
    CHECK(result->stats.reduction == Reduction::none);
    CHECK(result->stats.states == 64);
  }

  TEST_CASE("only breadth-first reduces, and only when asked") {
    const zoo::PrivateWork model(3, 2);
    const auto symmetry_only = checker::check(model, with(Reduction::symmetry));
    REQUIRE(symmetry_only);
    CHECK(symmetry_only->stats.reduction == Reduction::none);
    CHECK(symmetry_only->stats.states == 64);
    checker::Options dfs = with(Reduction::all);
    dfs.strategy = checker::Strategy::dfs;
    const auto depth_first = checker::check(model, dfs);
    REQUIRE(depth_first);
    CHECK(depth_first->stats.reduction == Reduction::none);
    CHECK(depth_first->stats.states == 64);
  }
}
