// Seed 002 (verity integrity metadata attached in a finalize hook inside the swap, v18, versus
// at preresume, merged in 6.12): verdicts per variant and situation, as measured.

#include "tests/checker/trace_check.h"
#include "tests/model/seeds.h"

namespace dmcheck::model::testing {
namespace {

using checker::Verdict;

constexpr const char* kMatches = "integrity-matches-live-table";
constexpr const char* kAfterFailure = "integrity-after-failed-resume";
constexpr const char* kSuspended = "failed-resume-leaves-suspended";

struct Row {
  Seed002 situation;
  std::size_t matches;        ///< counterexample length for kMatches, 0 = holds
  std::size_t after_failure;  ///< counterexample length for kAfterFailure, 0 = holds
};

bool holds_at_all(Verdict v) { return v == Verdict::holds || v == Verdict::holds_vacuously; }

void check_rows(const std::string& variant, const std::vector<Row>& rows) {
  for (const Row& row : rows) {
    CAPTURE(variant);
    CAPTURE(to_string(row.situation));
    const auto model = build(seed002(variant, row.situation));
    const auto result = explore(model);
    CHECK(verdict(result, "no-deadlock") == Verdict::holds);
    // Whether these hold vacuously (no resume failed, no hook attaches metadata) depends on the
    // situation; tests/model/vacuity_test.cpp judges vacuity itself.
    CHECK(holds_at_all(verdict(result, kSuspended)));
    CHECK_MESSAGE((row.matches == 0 ? holds_at_all(verdict(result, kMatches))
                                    : verdict(result, kMatches) == Verdict::violated),
                  describe_trace(model, result, kMatches));
    CHECK(trace_length(result, kMatches) == row.matches);
    CHECK_MESSAGE((row.after_failure == 0 ? holds_at_all(verdict(result, kAfterFailure))
                                          : verdict(result, kAfterFailure) == Verdict::violated),
                  describe_trace(model, result, kAfterFailure));
    CHECK(trace_length(result, kAfterFailure) == row.after_failure);
    for (const auto& property : result.properties) {
      if (property.trace) {
        CHECK(dmcheck::testing::is_valid_trace(model, *property.trace));
      }
    }
  }
}

}  // namespace

TEST_SUITE("model/seed002") {
  TEST_CASE("6.1: no integrity hook, nothing to get wrong") {
    check_rows("6.1", {{Seed002::failed_preresume, 0, 0},
                       {Seed002::failed_swap, 0, 0},
                       {Seed002::alloc_failure, 0, 0},
                       {Seed002::error_table, 0, 0}});
  }

  TEST_CASE("6.12 (preresume hook)") {
    check_rows("6.12",
               {// refused signature: hash cleared (none), the next resume re-attaches it
                {Seed002::failed_preresume, 0, 0},
                {Seed002::failed_swap, 0, 0},
                // ENOMEM keeps the old hash while the new table is live: stale after failure
                {Seed002::alloc_failure, 0, 8},
                // error has no preresume: the old hash stays on a resumed error device
                {Seed002::error_table, 8, 0}});
  }

  TEST_CASE("6.12+finalize-hook (v18)") {
    check_rows("6.12+finalize-hook",
               {// the swap is cancelled with the hash cleared; a plain resume never re-attaches
                {Seed002::failed_preresume, 9, 0},
                {Seed002::failed_swap, 0, 0},
                {Seed002::alloc_failure, 0, 0},  // the cancelled swap keeps old table and hash
                {Seed002::error_table, 8, 0}});
  }
}

}  // namespace dmcheck::model::testing
