// Seed 000 (deferred remove "no new opens" flag and its two alternatives): the verdict of each
// variant on each property, with the shortest counterexample or witness length, as measured.

#include "tests/checker/trace_check.h"
#include "tests/model/seeds.h"

namespace dmcheck::model::testing {
namespace {

using checker::Verdict;

struct Cell {
  Verdict verdict;
  std::size_t length;  ///< shortest trace length (0 when there is none)
};

/// One variant's row: the state count and the cells of one-shot-device,
/// no-open-after-no-open-mark and holder-can-reopen; no-open-flag-implies-deferred always holds,
/// vacuously where no variant sets the flag.
void check_row(const std::string& variant, std::uint64_t states, Cell one_shot, Cell after_mark,
               Cell reopen) {
  CAPTURE(variant);
  const auto model = build(seed000(variant));
  const auto result = explore(model);
  CHECK(result.stats.states == states);
  CHECK(verdict(result, "no-deadlock") == Verdict::holds);
  const std::pair<const char*, Cell> cells[] = {
      {"one-shot-device", one_shot},
      {"no-open-after-no-open-mark", after_mark},
      {"holder-can-reopen", reopen},
      {"no-open-flag-implies-deferred",
       {variant.find("no-open-flag") != std::string::npos ? Verdict::holds
                                                          : Verdict::holds_vacuously,
        0}},
  };
  for (const auto& [property, cell] : cells) {
    CAPTURE(property);
    CHECK_MESSAGE(verdict(result, property) == cell.verdict,
                  describe_trace(model, result, property));
    CHECK(trace_length(result, property) == cell.length);
    if (const auto* p = result.find(property); p != nullptr && p->trace) {
      CHECK(dmcheck::testing::is_valid_trace(model, *p->trace));
    }
  }
}

}  // namespace

TEST_SUITE("model/seed000") {
  // The create takes nine steps (create ioctl, load in two, resume in six: take the table, test
  // SUSPENDED, suspend, swap, test SUSPENDED, dm_resume), so every trace starts with them.
  TEST_CASE("6.1: deferred remove keeps the device openable by anyone") {
    check_row("6.1", 305, {Verdict::violated, 11},  // another process opens after swapon
              {Verdict::violated, 12}, {Verdict::reached, 12});
  }

  TEST_CASE("6.1+no-open-flag: no opens after the mark, but the holder cannot reopen") {
    check_row("6.1+no-open-flag", 329, {Verdict::violated, 11},  // the window before the mark
              {Verdict::holds, 0}, {Verdict::unreachable, 0});
  }

  TEST_CASE("6.1+open-limit-ioctl: the limit stops concurrent opens, not later ones") {
    check_row("6.1+open-limit-ioctl", 876,
              {Verdict::violated, 11},  // the window before the limit is set
              // after the owner's last close the count is below the limit until the worker runs
              {Verdict::violated, 14}, {Verdict::unreachable, 0});
  }

  TEST_CASE("6.1+create-open-limit: no window at create, but open-close-open still succeeds") {
    check_row("6.1+create-open-limit", 836,
              {Verdict::violated, 12},  // another opens and closes first
              {Verdict::violated, 13}, {Verdict::unreachable, 0});
  }

  // The thread's create-time design: DM_ENFORCE_OPEN_COUNT_FLAG says the limit is enforced, so
  // an enforced count of 0 is a limit of its own, not "no limit".
  TEST_CASE("create-open-limit: an enforced limit of 0 refuses every open") {
    auto r = run(base_config("6.1+create-open-limit"),
                 {"create swap --table crypt --open-limit 0", "open swap",
                  "create other --table "
                  "crypt",
                  "open other", "info swap"});
    CHECK_ERRNOS(r, {0, kEBUSY, 0, 0, 0});
    CHECK(r.steps.back().obs.open_count == 0);
  }

  // "Baked into the device from the start": with both designs, the ioctl cannot change a
  // limit the create enforced.
  TEST_CASE("create-open-limit+open-limit-ioctl: the ioctl cannot override the create's limit") {
    auto r = run(base_config("6.1+create-open-limit+open-limit-ioctl"),
                 {"create swap --table crypt --open-limit 1", "set_open_limit swap 2",
                  "set_open_limit swap 0", "open swap", "open swap", "close swap",
                  "create other --table crypt", "set_open_limit other 1", "open other",
                  "open other", "set_open_limit other 0", "open other"});
    // A limit the ioctl set on a device created without one stays the ioctl's to change.
    CHECK_ERRNOS(r, {0, kEPERM, kEPERM, 0, kEBUSY, 0, 0, 0, 0, kEBUSY, 0, 0});
  }
}

}  // namespace dmcheck::model::testing
