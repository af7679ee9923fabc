// Interleavings: reads against suspend and resume, destroy waiting for holders, resume races,
// and tables holding the devices they sit on.

#include "tests/model/fixtures.h"

namespace dmcheck::model::testing {
namespace {

Config with_a(std::vector<ProcessSpec> processes) {
  Config c = base_config();
  c.devices = {{"a", "", "lin0", false, 0, 0, "", false}};
  c.processes = std::move(processes);
  return c;
}

}  // namespace

TEST_SUITE("model/concurrency") {
  TEST_CASE("a read queued by a suspend completes after resume, through the new table") {
    const auto model = build(with_a({process("reader", {"open a", "read a", "close a"}),
                                     process("admin", {"suspend a", "load a zero", "resume a"})}));
    for (const State& s : end_states(model)) {
      CHECK(model.is_final(s));
    }
    // close's observation is last, so look at each step that completes a queued read: the
    // admin loads the zero table before it resumes, so every one returns zeros.
    std::size_t completed = 0;
    search_reachable(model, [&](const State& s, bool) {
      if (s.processes[0].phase == kIoQueued) {
        model.successors(s, [&](const Action&, const State& n) {
          if (n.processes[0].phase == kBetweenCalls && n.processes[0].pc == 2) {
            ++completed;
            CHECK(n.processes[0].last.data == kReadZeros);
          }
        });
      }
      return false;
    });
    CHECK(completed > 0);
    CHECK(reachable(model, [](const State& s) {
      return s.processes[0].phase == kIoQueued && (s.devices[0].flags & kSuspended) != 0;
    }));
    CHECK(reachable(model, [](const State& s) {
      return s.processes[0].pc == 2 && s.processes[0].last.data == kReadZeros;
    }));
    CHECK(reachable(model, [](const State& s) {
      return s.processes[0].pc == 2 && s.processes[0].last.data == kReadDisk + 0;
    }));
  }

  TEST_CASE("suspend holds suspend_lock while it waits for an in-flight read") {
    const auto model =
        build(with_a({process("reader", {"open a", "read a", "close a"}),
                      process("admin", {"suspend a", "resume a", "suspend a", "resume a"}),
                      process("other", {"resume a"})}));
    CHECK(reachable(model, [](const State& s) {
      return s.processes[1].phase == kSuspendWait && s.devices[0].suspend_owner == 2 &&
             s.processes[0].phase == kIoInflight;
    }));
    // While it waits, another resume that found the device suspended earlier (an earlier
    // suspend) and is now at dm_resume is not enabled.
    bool waited = false;
    CHECK_FALSE(reachable(model, [&](const State& s) {
      if (s.processes[1].phase != kSuspendWait || s.processes[2].phase != kResumeResume) {
        return false;
      }
      waited = true;
      bool other_moves = false;
      model.successors(
          s, [&](const Action& a, const State&) { other_moves = other_moves || a.actor == 2; });
      return other_moves;
    }));
    CHECK(waited);
    const auto result = explore(model);
    CHECK(verdict(result, "no-deadlock") == checker::Verdict::holds);
  }

  TEST_CASE("a destroy waits while a resume in progress holds the device") {
    const auto model =
        build(with_a({process("p0", {"load a zero", "resume a"}), process("p1", {"remove a"})}));
    CHECK(reachable(model, [](const State& s) {
      return s.processes[1].phase == kRemoveDestroy && s.processes[0].phase == kResumeSwap &&
             s.devices[0].life == Life::unhashed;
    }));
    std::set<int> resume_results;
    for (const State& s : end_states(model)) {
      CHECK(model.is_final(s));
      CHECK(s.devices[0].life == Life::freed);
      CHECK(s.processes[1].last.err == kOk);
      resume_results.insert(s.processes[0].last.err);
    }
    // The resume ends normally on the unhashed device, or finds it gone; a load after the
    // removal fails ENXIO at staging or lookup.
    CHECK(resume_results == std::set<int>{kOk, kENXIO});
    const auto result = explore(model);
    CHECK(verdict(result, "no-handle-to-freed-device") == checker::Verdict::holds);
    CHECK(verdict(result, "open-count-matches-references") == checker::Verdict::holds);
  }

  TEST_CASE("two resumes race: the swap finds the device resumed and fails, not suspended") {
    Config c = with_a({process("p0", {"load a zero", "resume a"}), process("p1", {"resume a"})});
    c.properties = {"failed-resume-leaves-suspended", "live-table-changes-only-while-suspended"};
    const auto model = build(c);
    const auto result = explore(model);
    CHECK_MESSAGE(verdict(result, "failed-resume-leaves-suspended") == checker::Verdict::violated,
                  describe_trace(model, result, "failed-resume-leaves-suspended"));
    CHECK(trace_length(result, "failed-resume-leaves-suspended") == 9);
    CHECK(verdict(result, "live-table-changes-only-while-suspended") == checker::Verdict::holds);
  }

  TEST_CASE("a table on another device holds it open: remove is EBUSY until the table goes") {
    auto r = run(base_config(), {"create a --table lin0", "create b --table onto_a", "remove a",
                                 "remove b", "remove a"});
    CHECK_ERRNOS(r, {0, 0, kEBUSY, 0, 0});
  }

  TEST_CASE("destroying the upper table is the lower device's last close") {
    auto r = run(base_config(), {"create a --table lin0", "create b --table onto_a",
                                 "remove a --deferred", "info a", "remove b", "info a"});
    CHECK_ERRNOS(r, {0, 0, 0, 0, 0, kENXIO});
    CHECK(r.steps[3].obs.open_count == 1);
  }

  TEST_CASE("a load onto a device being removed: ENODEV, or it holds the device open") {
    Config c = base_config();
    c.devices = {{"a", "", "lin0", false, 0, 0, "", false}, {"b", "", "", false, 0, 0, "", false}};
    c.processes = {process("p0", {"remove a"}), process("p1", {"load b onto_a"})};
    const auto model = build(c);
    std::set<std::pair<int, int>> outcomes;
    for (const State& s : end_states(model)) {
      outcomes.insert({s.processes[0].last.err, s.processes[1].last.err});
    }
    CHECK(outcomes == std::set<std::pair<int, int>>{{kOk, kENODEV}, {kEBUSY, kOk}});
  }

  TEST_CASE("the prober opens after a resume; its open makes a plain remove EBUSY") {
    Config c = base_config();
    c.actors.prober = true;
    c.processes = {process("p0", {"create a --table lin0", "remove a"})};
    const auto model = build(c);
    std::set<int> results;
    for (const State& s : end_states(model)) {
      results.insert(s.processes[0].last.err);
    }
    CHECK(results == std::set<int>{kOk, kEBUSY});
  }
}

}  // namespace dmcheck::model::testing
