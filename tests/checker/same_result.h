#pragma once
/// Whether two runs of the same model gave the same result, field by field.

#include <doctest/doctest.h>

#include "checker/result.h"
#include "tests/checker/trace_check.h"

namespace dmcheck::testing {

/// Two runs gave the same result: counts, depth, frontier, verdicts and traces step by step.
template <class A, class B>
void check_same_result(const dmcheck::checker::RunResult<A>& a,
                       const dmcheck::checker::RunResult<B>& b) {
  CHECK(a.stop == b.stop);
  CHECK(a.stats.states == b.stats.states);
  CHECK(a.stats.transitions == b.stats.transitions);
  CHECK(a.stats.max_depth == b.stats.max_depth);
  CHECK(a.stats.peak_frontier == b.stats.peak_frontier);
  REQUIRE(a.properties.size() == b.properties.size());
  for (std::size_t i = 0; i < a.properties.size(); ++i) {
    CAPTURE(a.properties[i].name);
    CHECK(a.properties[i].verdict == b.properties[i].verdict);
    REQUIRE(a.properties[i].trace.has_value() == b.properties[i].trace.has_value());
    if (a.properties[i].trace) {
      const auto& ta = *a.properties[i].trace;
      const auto& tb = *b.properties[i].trace;
      CHECK(ta.successors == tb.successors);
      REQUIRE(ta.states.size() == tb.states.size());
      for (std::size_t s = 0; s < ta.states.size(); ++s) {
        CHECK(same_bytes(ta.states[s], tb.states[s]));
      }
    }
  }
}

}  // namespace dmcheck::testing
