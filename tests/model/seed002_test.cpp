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
    CAPTURE(to_string(row.situation, variant));
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

/// seed002() with the new table (root hash 2) twice as long as the live one, on a disk grown to
/// fit it, so that the size the device shows tells which table set it.
Config resized(const std::string& variant, Seed002 situation) {
  Config c = seed002(variant, situation);
  c.disks[1].size = 8;
  for (TableDef& t : c.tables) {
    if (t.name == "ver2") {
      t.targets.front().length = 8;
    }
  }
  c.properties.push_back("size-matches-live-table");
  return c;
}

/// The Config::tables index + 1 of the table named `name` (what Device::live holds).
std::uint8_t table_id(const Config& c, const std::string& name) {
  for (std::size_t i = 0; i < c.tables.size(); ++i) {
    if (c.tables[i].name == name) {
      return static_cast<std::uint8_t>(i + 1);
    }
  }
  FAIL("no table " << name);
  return 0;
}

}  // namespace

TEST_SUITE("model/seed002") {
  TEST_CASE("6.1: no integrity hook, nothing to get wrong") {
    check_rows("6.1", {{Seed002::refused, 0, 0},
                       {Seed002::failed_swap, 0, 0},
                       {Seed002::alloc_failure, 0, 0},
                       {Seed002::error_table, 0, 0}});
  }

  TEST_CASE("6.12 (preresume hook)") {
    check_rows("6.12",
               {// refused by a module after IPE: the new hash with the old signature state on
                // the new table left live; the next resume re-attaches it
                {Seed002::refused, 0, 8},
                {Seed002::failed_swap, 0, 0},
                // ENOMEM keeps the old hash while the new table is live: stale after failure
                {Seed002::alloc_failure, 0, 8},
                // error has no preresume: the old hash stays on a resumed error device
                {Seed002::error_table, 8, 0}});
  }

  TEST_CASE("6.12+finalize-hook (v18)") {
    check_rows("6.12+finalize-hook",
               {// the swap is cancelled; IPE may hold the new hash on the old table
                // (fail-open) or none, and a plain resume never re-attaches
                {Seed002::refused, 9, 6},
                {Seed002::failed_swap, 0, 0},
                {Seed002::alloc_failure, 0, 0},  // the cancelled swap keeps old table and hash
                {Seed002::error_table, 8, 0}});
  }

  // The seed's v18 hook runs inside __bind after the capacity, the bio mempools and the queue
  // limits were set from the new table; a failed finalize undoes none of them.
  TEST_CASE("finalize-hook: a failed finalize leaves the new table's size; preresume does not") {
    for (const Seed002 situation : {Seed002::refused, Seed002::alloc_failure}) {
      CAPTURE(to_string(situation, "6.12+finalize-hook"));
      const auto hook = build(resized("6.12+finalize-hook", situation));
      const auto hook_result = explore(hook);
      CHECK_MESSAGE(verdict(hook_result, "size-matches-live-table") == Verdict::violated,
                    describe_trace(hook, hook_result, "size-matches-live-table"));
      CHECK(trace_length(hook_result, "size-matches-live-table") == 6);
      const auto merged = explore(build(resized("6.12", situation)));
      CHECK(verdict(merged, "size-matches-live-table") == Verdict::holds);
    }
  }

  // verity's preresume (and v18's finalize) makes two calls into the security modules, each
  // stopping at the first module that fails; a failed signature call clears only the root hash.
  TEST_CASE("a refusal after IPE leaves its new digest; a failed signature call keeps the flag") {
    const Config c = seed002("6.12", Seed002::refused);
    const std::uint8_t ver2 = table_id(c, "ver2");
    const auto model = build(c);
    // The root-hash call refused after IPE took the digest: the new hash with ver1's signature
    // state, on the new table left live and suspended.
    CHECK(reachable(model, [&](const State& s) {
      const Device& d = s.devices[0];
      return d.live == ver2 && d.root_hash == 2 && d.sig_valid == 1 &&
             (d.flags & model::kSuspended) != 0;
    }));
    // The signature call refused before IPE: the hash cleared, ver1's "signed" kept.
    CHECK(reachable(model, [&](const State& s) {
      return s.devices[0].root_hash == 0 && s.devices[0].sig_valid == 1;
    }));
  }

  TEST_CASE("finalize-hook: a refusal after IPE puts the new hash on the still-live old table") {
    const Config c = seed002("6.12+finalize-hook", Seed002::refused);
    const std::uint8_t ver1 = table_id(c, "ver1");
    const auto model = build(c);
    // Fail-open: the old table runs again (the plain resume after the failure) while IPE acts on
    // the new table's root hash.
    CHECK(reachable(model, [&](const State& s) {
      const Device& d = s.devices[0];
      return d.live == ver1 && d.root_hash == 2 && (d.flags & model::kSuspended) == 0;
    }));
  }
}

}  // namespace dmcheck::model::testing
