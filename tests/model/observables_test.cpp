// Section 1 of kernel-observables.md: each rule a real 6.1.176 kernel showed, as a test.

#include "tests/model/fixtures.h"

namespace dmcheck::model::testing {
namespace {

/// Config with device `a` (lin0) present and the given processes.
Config with_device_a(std::vector<ProcessSpec> processes, const std::string& variant = "6.1") {
  Config c = base_config(variant);
  c.devices = {{"a", "", "lin0", false, 0, 0, "", false}};
  c.processes = std::move(processes);
  return c;
}

}  // namespace

TEST_SUITE("model/observables") {
  TEST_CASE("open count counts opens and every device whose tables reference it, inactive too") {
    auto r = run(base_config(), {"create a --table lin0", "open a", "create b --notable",
                                 "load b onto_a", "info a", "resume b", "info a", "load b onto_a",
                                 "info a", "clear b", "info a", "close a", "info a"});
    CHECK_ERRNOS(r, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    CHECK(r.steps[4].obs.open_count == 2);   // handle + b's inactive table
    CHECK(r.steps[6].obs.open_count == 2);   // handle + b's live table
    CHECK(r.steps[8].obs.open_count == 2);   // b's new inactive table shares b's open of a
    CHECK(r.steps[10].obs.open_count == 2);  // clear dropped a reference, not the open
    CHECK(r.steps[12].obs.open_count == 1);  // b's live table still holds a open
  }

  TEST_CASE("remove: ENXIO unknown, EBUSY open, deferred on busy succeeds without removing") {
    auto r = run(base_config(), {"remove a", "create a --table lin0", "open a", "remove a",
                                 "remove a --deferred", "info a", "close a", "info a"});
    CHECK_ERRNOS(r, {kENXIO, 0, 0, kEBUSY, 0, 0, 0, kENXIO});
    CHECK(r.steps[5].obs.flags == (kReplyStatus | kReplyLive | kReplyDeferred));
  }

  TEST_CASE("deferred remove: no uevent is sent when a busy device is marked") {
    // The initial device is not probed, so the only uevent could come from the mark itself: no
    // reachable state (not only end states, where a pending probe has always been consumed) may
    // hold one, and the prober never opens the device.
    Config c = with_device_a({process("p0", {"open a", "remove a --deferred"})});
    c.actors.prober = true;
    const auto model = build(c);
    std::size_t states = 0;
    std::size_t marked = 0;
    search_reachable(model, [&](const State& s, bool) {
      ++states;
      marked += (s.devices[0].flags & kDeferred) != 0;
      CHECK((s.devices[0].flags & kProbePending) == 0);
      CHECK(s.kernel.prober_md == 0);
      return false;
    });
    CHECK(marked > 0);  // the mark was reached: the checks above saw it
    CHECK(states > marked);
  }

  TEST_CASE("deferred flag is sticky: opens still succeed; rename, reload, suspend keep it") {
    auto r = run(base_config(),
                 {"create a --table lin0", "open a", "remove a --deferred", "open a", "close a",
                  "rename a b", "load b lin1", "resume b", "suspend b", "info b"});
    CHECK_ERRNOS(r, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    CHECK(last_flags(r) == (kReplyStatus | kReplyLive | kReplySuspended | kReplyDeferred));
  }

  TEST_CASE("the last close removes asynchronously, even while SUSPENDED") {
    auto r = run(base_config(), {"create a --table lin0", "open a", "remove a --deferred",
                                 "suspend a", "close a", "info a", "create a --notable"});
    CHECK_ERRNOS(r, {0, 0, 0, 0, 0, kENXIO, 0});
    bool worker_ran = false;
    for (const auto& line : r.trace) {
      worker_ran = worker_ran || line.starts_with("worker unhashes");
    }
    CHECK(worker_ran);
  }

  TEST_CASE("deferred removal is asynchronous: a reopen before the worker runs keeps it") {
    // p0 closes the last handle; p1 may reopen before the worker scans.
    Config c = with_device_a(
        {process("p0", {"open a", "remove a --deferred", "close a"}), process("p1", {"open a"})});
    const auto model = build(c);
    bool survived = false;
    bool removed = false;
    for (const State& s : end_states(model)) {
      // Only ends where p0 closed and p1 holds the device prove the reopen kept it.
      const bool p0_closed = s.processes[0].handle_md[0] == 0;
      const bool p1_holds = s.processes[1].handle_md[0] == 1;
      // Never left half-removed: the worker only takes a device nobody holds, so its destroy
      // never waits forever on p1's handle.
      CHECK(s.devices[0].life != Life::unhashed);
      if (s.devices[0].life == Life::hashed) {
        CHECK(p1_holds);  // a device nobody holds is removed by the worker in the end
        CHECK((s.devices[0].flags & kDeferred) != 0);
        CHECK(s.devices[0].open_count == 1);
        survived = survived || (p0_closed && p1_holds);
      }
      // Removal happens only once nobody holds it: p1 either failed to open or never got it.
      if (s.devices[0].life == Life::freed) {
        removed = true;
        CHECK(s.processes[1].last.err != kOk);
        CHECK_FALSE(p1_holds);
      }
    }
    CHECK(survived);
    CHECK(removed);
  }

  TEST_CASE("cancel: 0 without a flag, EINVAL with extra arguments, ENXIO once gone") {
    auto r = run(base_config(), {"create a --table lin0", "message a 0 @cancel_deferred_remove",
                                 "message a 0 @cancel_deferred_remove x", "remove a",
                                 "message a 0 @cancel_deferred_remove"});
    CHECK_ERRNOS(r, {0, 0, kEINVAL, 0, kENXIO});
  }

  TEST_CASE("cancel: EBUSY if the device is already DELETING") {
    Config c = with_device_a(
        {process("p0", {"message a 0 @cancel_deferred_remove"}), process("p1", {"remove a"})});
    const auto model = build(c);
    std::set<int> seen;
    for (const State& s : end_states(model)) {
      seen.insert(s.processes[0].last.err);
      CHECK(s.processes[1].last.err == kOk);
    }
    CHECK(seen == std::set<int>{kOk, kEBUSY, kENXIO});
  }

  TEST_CASE("load: replaces the inactive table; EINVAL for ctr, immutable and type rules") {
    auto r = run(base_config(), {"create p --table pool8", "load p pool4", "load p pool8",
                                 "load p lin0", "load p err", "create v --table ver1 --readonly",
                                 "load v lin0", "load v err", "load v ver2"});
    CHECK_ERRNOS(r, {0, 0, 0, kEINVAL, 0, 0, kEINVAL, 0, kEINVAL});
  }

  TEST_CASE("load: device-size limits are checked at load only for the first table") {
    auto r = run(base_config(), {"create a --notable", "load a big", "load a lin0", "resume a",
                                 "load a big", "resume a", "info a"});
    CHECK_ERRNOS(r, {0, kEINVAL, 0, 0, 0, kEINVAL, 0});
  }

  TEST_CASE("clear: always succeeds on an existing device") {
    auto r = run(base_config(),
                 {"create a --notable", "clear a", "clear a", "load a lin0", "clear a", "info a"});
    CHECK_ERRNOS(r, {0, 0, 0, 0, 0, 0});
    CHECK(last_flags(r) == kReplyStatus);
  }

  TEST_CASE("suspend: idempotent and works with no table") {
    auto r = run(base_config(), {"create a --notable", "suspend a", "suspend a", "info a"});
    CHECK_ERRNOS(r, {0, 0, 0, 0});
    CHECK(last_flags(r) == (kReplyStatus | kReplySuspended));
  }

  TEST_CASE("resume: a failed swap keeps the old table live, drops the new one, stays suspended") {
    Config c = base_config();
    c.failures.swap_size = true;
    c.devices = {{"a", "", "lin0", false, 0, 0, "", false}};
    c.processes = {process("p0", {"load a zero", "resume a"})};
    const auto model = build(c);
    std::set<int> seen;
    for (const State& s : end_states(model)) {
      seen.insert(s.processes[0].last.err);
      if (s.processes[0].last.err == kEINVAL) {
        CHECK(model.table_name(s.devices[0].live) == "lin0");
        CHECK(s.devices[0].inactive == 0);
        CHECK((s.devices[0].flags & kSuspended) != 0);
      }
    }
    CHECK(seen == std::set<int>{kOk, kEINVAL});
  }

  TEST_CASE("resume: a failed preresume leaves the new table live, old destroyed, suspended") {
    auto r = run(base_config(), {"create p --table pool8", "load p pool4", "resume p", "info p",
                                 "resume p", "info p"});
    CHECK_ERRNOS(r, {0, 0, kEINVAL, 0, kEINVAL, 0});
    CHECK(r.steps[3].obs.flags == (kReplyStatus | kReplyLive | kReplySuspended));
    const auto model = build(base_config());
    CHECK(model.table_name(r.final_state.devices[0].live) == "pool4");
    CHECK(r.final_state.devices[0].inactive == 0);
  }

  TEST_CASE("resume: EINVAL when suspended with no table; nothing when active without one") {
    auto r = run(base_config(),
                 {"create a --notable", "resume a", "info a", "suspend a", "resume a", "info a"});
    CHECK_ERRNOS(r, {0, 0, 0, 0, kEINVAL, 0});
    CHECK(r.steps[2].obs.flags == kReplyStatus);
    CHECK(last_flags(r) == (kReplyStatus | kReplySuspended));
  }

  TEST_CASE("names and uuids are unique, also against a deferred-pending device") {
    auto r = run(base_config(),
                 {"create a --table lin0 --uuid U", "open a", "remove a --deferred",
                  "create a --notable", "create b --notable --uuid U", "create b --notable"});
    CHECK_ERRNOS(r, {0, 0, 0, kEBUSY, kEBUSY, 0});
  }

  TEST_CASE("removing a SUSPENDED device works") {
    auto r = run(base_config(), {"create a --table lin0", "suspend a", "remove a", "info a"});
    CHECK_ERRNOS(r, {0, 0, 0, kENXIO});
  }

  TEST_CASE("verity: needs a read-only table; a wrong root hash shows only on read") {
    auto r = run(base_config(), {"create v --table ver1", "create v --table ver_bad --readonly",
                                 "open v", "read v"});
    CHECK_ERRNOS(r, {kEINVAL, 0, 0, kEIO});
  }
}

}  // namespace dmcheck::model::testing
