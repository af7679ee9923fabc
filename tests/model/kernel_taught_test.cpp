/// Rules the real kernel (Debian's 6.1 under User-Mode Linux) showed in conformance runs where
/// the model first predicted otherwise; each is now part of the model.

#include <doctest/doctest.h>

#include "tests/model/fixtures.h"

using namespace dmcheck::model;
using namespace dmcheck::model::testing;

namespace {

/// base_config() plus "half": a zero table half as long as lin0.
Config with_half_table() {
  Config c = base_config();
  Target half = of_kind(TargetKind::zero);
  half.length = 2;
  c.tables.push_back({"half", {half}});
  return c;
}

}  // namespace

TEST_SUITE("model/kernel-taught") {
  TEST_CASE("a key message to a device without a live table succeeds and does nothing") {
    auto r = run(base_config(),
                 {"create c --notable", "message c 0 key wipe", "message c 0 key set", "info c"});
    CHECK_ERRNOS(r, {0, 0, 0, 0});
    CHECK(last_flags(r) == kReplyStatus);
  }

  TEST_CASE("a thin-pool's metadata outlives its device: a later, shorter pool fails preresume") {
    auto r = run(base_config(), {"create p --table pool8", "remove p", "create p --table pool4",
                                 "create q --notable", "load q pool4", "resume q", "info q"});
    // create's resume fails, so dmsetup removes the half-made device.
    CHECK_ERRNOS(r, {0, 0, kEINVAL, 0, 0, kEINVAL, 0});
    CHECK(last_flags(r) == (kReplyStatus | kReplyLive | kReplySuspended));
  }

  TEST_CASE("a pool's metadata serves one device at a time: EBUSY for a second device") {
    auto r = run(base_config(),
                 {"create p --table pool8", "create q --table pool8", "create r --notable",
                  "load r pool4", "remove p", "load r pool8", "resume r"});
    CHECK_ERRNOS(r, {0, kEBUSY, 0, kEBUSY, 0, 0, 0});
  }

  TEST_CASE("a table onto a DM device must fit its live table: a first table at load") {
    const Config c = with_half_table();
    auto r =
        run(c, {"create a --table half", "create b --table onto_a", "create b --notable",
                "load b onto_a", "load a lin0", "resume a", "load b onto_a", "resume b", "info a"});
    CHECK_ERRNOS(r, {0, kEINVAL, 0, kEINVAL, 0, 0, 0, 0, 0});
    CHECK(r.steps.back().obs.open_count == 1);  // b's live table holds a
  }

  TEST_CASE("a later table onto a shrunken DM device fails at the swap, the old table stays") {
    const Config c = with_half_table();
    auto r = run(c, {"create a --table lin0", "create b --table onto_a", "load a half", "resume a",
                     "load b onto_a", "resume b", "info b"});
    CHECK_ERRNOS(r, {0, 0, 0, 0, 0, kEINVAL, 0});
    CHECK(last_flags(r) == (kReplyStatus | kReplyLive | kReplySuspended));
  }

  TEST_CASE("a device's tables share one open of the device below") {
    auto r = run(base_config(), {"create a --table lin0", "create b --table onto_a", "info a",
                                 "load b onto_a", "info a", "resume b", "info a", "load b onto_a",
                                 "remove b", "info a", "remove a"});
    CHECK_ERRNOS(r, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    CHECK(r.steps[2].obs.open_count == 1);
    CHECK(r.steps[4].obs.open_count == 1);  // live and inactive tables of b: one open
    CHECK(r.steps[6].obs.open_count == 1);  // the swap moved the reference, the old table went
    CHECK(r.steps[9].obs.open_count == 0);  // b's removal closed a once
  }

  TEST_CASE("rename's reply does not report an inactive table") {
    auto r = run(base_config(), {"create a --table lin0", "load a lin1", "rename a c", "info c"});
    CHECK_ERRNOS(r, {0, 0, 0, 0});
    CHECK(r.steps[2].obs.flags == (kReplyStatus | kReplyLive));
    CHECK(r.steps[3].obs.flags == (kReplyStatus | kReplyLive | kReplyInactive));
  }

  TEST_CASE("a table onto a device of size zero skips the size check") {
    auto r = run(base_config(), {"create a --notable", "load a lin0", "create b --table onto_a"});
    CHECK_ERRNOS(r, {0, 0, 0});
  }

  // 6.1's dm_get_device has no self-reference check (added in 6.2, 077a4033541f; 6.12's
  // refuses with EINVAL), so the table opens the device it is loaded into.
  TEST_CASE("6.1: a table mapping a device onto itself pins it until clear") {
    auto r = run(base_config(), {"create a --table lin0", "suspend a", "load a onto_a", "info a",
                                 "remove a", "clear a", "info a", "resume a", "remove a"});
    CHECK_ERRNOS(r, {0, 0, 0, 0, kEBUSY, 0, 0, 0, 0});
    CHECK(r.steps[3].obs.open_count == 1);
    CHECK(r.steps[3].obs.flags == (kReplyStatus | kReplyLive | kReplyInactive | kReplySuspended));
    // table_clear takes the status before it destroys the table: the self-open still counts.
    CHECK(r.steps[5].obs.open_count == 1);
    CHECK(r.steps[5].obs.flags == (kReplyStatus | kReplyLive | kReplySuspended));
    CHECK(r.steps[6].obs.open_count == 0);
  }

  TEST_CASE("6.1: a load that replaces an inactive self-map still counts its open in the reply") {
    auto r = run(base_config(),
                 {"create a --table lin0", "suspend a", "load a onto_a", "load a lin0", "info a"});
    CHECK_ERRNOS(r, {0, 0, 0, 0, 0});
    // table_load takes the status before it destroys the table it replaced.
    CHECK(r.steps[3].obs.open_count == 1);
    CHECK(r.steps[4].obs.open_count == 0);
  }

  TEST_CASE("a message to a device without a live table: 6.1 succeeds, 6.12 refuses") {
    const std::vector<std::string> calls = {"create a --notable", "message a 0 key wipe"};
    CHECK_ERRNOS(run(base_config(), calls), {0, 0});
    CHECK_ERRNOS(run(base_config("6.12"), calls), {0, kEINVAL});
  }

  TEST_CASE("a table naming a device that does not exist: 6.1 ENODEV, 6.12 ENOENT") {
    const std::vector<std::string> calls = {"create b --table onto_a"};
    CHECK_ERRNOS(run(base_config(), calls), {kENODEV});
    CHECK_ERRNOS(run(base_config("6.12"), calls), {kENOENT});
  }

  TEST_CASE("6.12: a table mapping a device onto itself is refused with EINVAL") {
    auto r = run(base_config("6.12"), {"create a --table lin0", "suspend a", "load a onto_a",
                                       "info a", "resume a", "remove a"});
    CHECK_ERRNOS(r, {0, 0, kEINVAL, 0, 0, 0});
    CHECK(r.steps[3].obs.open_count == 0);
  }

  TEST_CASE("6.1: a live self-map pins the device; a read of it never completes") {
    auto r = run(base_config(),
                 {"create a --table lin0", "suspend a", "load a onto_a", "resume a", "info a",
                  "remove a", "suspend a", "load a lin0", "resume a", "info a", "remove a"});
    CHECK_ERRNOS(r, {0, 0, 0, 0, 0, kEBUSY, 0, 0, 0, 0, 0});
    CHECK(r.steps[4].obs.open_count == 1);
    // do_resume destroys the old table before it takes the reply's status.
    CHECK(r.steps[8].obs.open_count == 0);
    CHECK(r.steps[9].obs.open_count == 0);  // the replaced table closed the device
    auto hang = run(base_config(), {"create a --table lin0", "suspend a", "load a onto_a",
                                    "resume a", "open a", "read a"});
    CHECK(hang.blocked);
    CHECK(hang.steps.size() == 5);
  }
}
