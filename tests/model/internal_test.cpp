// Internal suspend and resume (6.1 against 6.12), the implicit suspend inside resume failing,
// and what --noflush and --nolockfs change.

#include "tests/checker/trace_check.h"
#include "tests/model/fixtures.h"

namespace dmcheck::model::testing {
namespace {

using checker::Verdict;

constexpr const char* kAlternate = "postsuspend-resume-alternate";
constexpr const char* kKeepsTable = "failed-implicit-suspend-keeps-table";

/// Device a with live table `table`, internally suspended and resumed once by another device's
/// target, and the given processes.
Config internally(const std::string& variant, const std::string& table,
                  std::vector<ProcessSpec> processes) {
  Config c = base_config(variant);
  c.devices = {{"a", "", table, false, 0, 0, "", false}};
  c.actors.internal_suspender = "a";
  c.processes = std::move(processes);
  return c;
}

/// Device a (lin0) and the given processes, with the implicit suspend allowed to fail.
Config implicit_failing(std::vector<ProcessSpec> processes) {
  Config c = base_config();
  c.devices = {{"a", "", "lin0", false, 0, 0, "", false}};
  c.failures.implicit_suspend = true;
  c.processes = std::move(processes);
  return c;
}

/// Whether process `pid` may finish its call (not only take a sub-step) from `s`.
bool can_finish(const DmModel& model, const State& s, std::size_t pid) {
  bool done = false;
  model.successors(s, [&](const Action& a, const State&) {
    done = done || (a.actor == pid && a.event == Event::call_done);
  });
  return done;
}

/// Whether process `pid` has any move from `s`.
bool can_move(const DmModel& model, const State& s, std::size_t pid) {
  bool moves = false;
  model.successors(s, [&](const Action& a, const State&) { moves = moves || a.actor == pid; });
  return moves;
}

/// The errnos process 0's last call returned, over every end state.
std::set<int> resume_errnos(const DmModel& model) {
  std::set<int> seen;
  for (const State& s : end_states(model)) {
    seen.insert(s.processes[0].last.err);
  }
  return seen;
}

}  // namespace

TEST_SUITE("model/internal") {
  TEST_CASE(
      "internal suspend: counted, SUSPENDED_INTERNALLY, I/O held, in-flight reads waited for") {
    const auto model =
        build(internally("6.1", "lin0", {process("reader", {"open a", "read a", "close a"})}));
    CHECK_FALSE(reachable(model, [](const State& s) {
      const Device& d = s.devices[0];
      const bool held = s.kernel.internal_md == 1;
      return d.internal_suspend_count != (held ? 1 : 0) ||
             ((d.flags & kSuspendedInternally) != 0) != held ||
             (held && (d.flags & kBlockIo) == 0) || (d.flags & kSuspended) != 0;
    }));
    // A linear target does not requeue under noflush: the internal suspend waits for the
    // in-flight read, so it never holds the device while that read is in flight.
    CHECK_FALSE(reachable(model, [](const State& s) {
      return s.kernel.internal_md == 1 && s.devices[0].internal_suspend_count == 1 &&
             s.processes[0].phase == kIoInflight;
    }));
    // A read submitted while the device is held waits in the queue.
    CHECK(reachable(model, [](const State& s) {
      return s.kernel.internal_md == 1 && s.processes[0].phase == kIoQueued;
    }));
    const auto result = explore(model);
    CHECK(verdict(result, "no-deadlock") == Verdict::holds);
    CHECK(verdict(result, "no-handle-to-freed-device") == Verdict::holds);
  }

  TEST_CASE("a user suspend, and a resume of a suspended device, wait while SUSPENDED_INTERNALLY") {
    const auto model = build(internally(
        "6.12", "lin0", {process("admin", {"suspend a", "resume a", "suspend a", "resume a"})}));
    bool suspend_waited = false;
    bool resume_waited = false;
    CHECK_FALSE(reachable(model, [&](const State& s) {
      const Device& d = s.devices[0];
      const Process& p = s.processes[0];
      if ((d.flags & kSuspendedInternally) == 0) {
        return false;
      }
      if ((d.flags & kSuspended) == 0 && p.phase == kSuspendLock && (p.pc == 0 || p.pc == 2)) {
        suspend_waited = true;
        return can_move(model, s, 0);  // dm_suspend waits on the bit
      }
      if ((d.flags & kSuspended) != 0 && p.phase == kResumeResume) {
        resume_waited = true;
        return can_move(model, s, 0);  // dm_resume waits on the bit
      }
      return false;
    }));
    CHECK(suspend_waited);
    CHECK(resume_waited);
    // An internal suspend of a user-suspended device only nests: its resume calls nothing and
    // leaves the device SUSPENDED.
    CHECK_FALSE(reachable(model, [](const State& s) {
      return s.kernel.internal_rounds == 1 && s.kernel.internal_md == 0 && s.processes[0].pc == 1 &&
             s.processes[0].phase == kBetweenCalls && (s.devices[0].flags & kSuspended) == 0;
    }));
    const auto result = explore(model);
    CHECK(verdict(result, "no-deadlock") == Verdict::holds);
    CHECK(verdict(result, kAlternate) == Verdict::holds);
  }

  TEST_CASE("6.1: internal resume lets I/O through without resume; 6.12 pairs them") {
    for (const std::string variant : {"6.1", "6.12"}) {
      CAPTURE(variant);
      const auto model =
          build(internally(variant, "lin0", {process("admin", {"suspend a", "resume a"})}));
      const auto result = explore(model);
      CHECK(verdict(result, "no-deadlock") == Verdict::holds);
      if (variant == "6.1") {
        // kernel internally suspends a, kernel internally resumes a: serving I/O, not resumed.
        CHECK_MESSAGE(verdict(result, kAlternate) == Verdict::violated,
                      describe_trace(model, result, kAlternate));
        CHECK(trace_length(result, kAlternate) == 2);
        CHECK(dmcheck::testing::is_valid_trace(model, *result.find(kAlternate)->trace));
      } else {
        CHECK_MESSAGE(verdict(result, kAlternate) == Verdict::holds,
                      describe_trace(model, result, kAlternate));
      }
    }
  }

  TEST_CASE("6.1: the next user suspend postsuspends the targets a second time") {
    const auto model = build(internally("6.1", "lin0", {process("admin", {"suspend a"})}));
    CHECK(reachable(
        model, [](const State& s) { return (s.devices[0].ghost & kGhostDoublePostsuspend) != 0; }));
    CHECK_FALSE(reachable(
        build(internally("6.12", "lin0", {process("admin", {"suspend a"})})),
        [](const State& s) { return (s.devices[0].ghost & kGhostDoublePostsuspend) != 0; }));
  }

  TEST_CASE("6.12: a failed preresume in internal resume leaves the device SUSPENDED") {
    for (const std::string variant : {"6.1", "6.12"}) {
      CAPTURE(variant);
      Config c = internally(variant, "gen", {process("admin", {"resume a", "resume a"})});
      c.failures.preresume = true;
      const auto model = build(c);
      // After the internal round, before the user's first resume.
      const bool fake_suspend = reachable(model, [](const State& s) {
        return s.kernel.internal_rounds == 1 && s.kernel.internal_md == 0 &&
               s.processes[0].pc == 0 && (s.devices[0].flags & kSuspended) != 0;
      });
      CHECK(fake_suspend == (variant == "6.12"));
      const auto result = explore(model);
      CHECK(verdict(result, "no-deadlock") == Verdict::holds);
      // 6.12's internal resume can fail its preresume; 6.1's never fails, so nothing to judge.
      CHECK(verdict(result, "failed-resume-leaves-suspended") ==
            (variant == "6.12" ? Verdict::holds : Verdict::holds_vacuously));
      CHECK(verdict(result, kAlternate) ==
            (variant == "6.12" ? Verdict::holds : Verdict::violated));
      if (variant == "6.12") {
        // The user's resume re-runs preresume: EIO again, or 0.
        CHECK(reachable(model, [](const State& s) {
          return s.processes[0].pc == 1 && s.processes[0].last.err == kEIO &&
                 s.kernel.internal_rounds == 1;
        }));
      }
    }
  }

  TEST_CASE("a destroy waits for the internal resume") {
    const auto model = build(internally("6.12", "lin0", {process("admin", {"remove a"})}));
    CHECK(reachable(model, [](const State& s) {
      return s.kernel.internal_md == 1 && s.processes[0].phase == kRemoveDestroy;
    }));
    CHECK_FALSE(reachable(model, [](const State& s) {
      return s.kernel.internal_md == 1 && s.devices[0].life == Life::freed;
    }));
    const auto result = explore(model);
    CHECK(verdict(result, "no-deadlock") == Verdict::holds);
    CHECK(verdict(result, "no-handle-to-freed-device") == Verdict::holds);
  }

  TEST_CASE("a failed implicit suspend puts the table back into the inactive slot") {
    const auto model = build(implicit_failing({process("p0", {"load a zero", "resume a"})}));
    CHECK(resume_errnos(model) == std::set<int>{kOk, kEBUSY});
    for (const State& s : end_states(model)) {
      const Device& d = s.devices[0];
      if (s.processes[0].last.err == kEBUSY) {
        CHECK(model.table_name(d.live) == "lin0");
        CHECK(model.table_name(d.inactive) == "zero");
        CHECK((d.flags & (kSuspended | kBlockIo)) == 0);
      }
    }
    const auto result = explore(model);
    CHECK(verdict(result, kKeepsTable) == Verdict::holds);
    CHECK(verdict(result, kAlternate) == Verdict::holds);
    // A failed implicit suspend fails the resume before it starts: no resume fails after a swap.
    CHECK(verdict(result, "failed-resume-leaves-suspended") == Verdict::holds_vacuously);
    // Alone, a replay takes the success.
    auto r = run(implicit_failing({}), {"load a zero", "resume a", "info a"});
    CHECK_ERRNOS(r, {0, 0, 0});
  }

  TEST_CASE("--nolockfs and --noflush skip the freeze, so it cannot fail") {
    for (const std::string flag : {"--nolockfs", "--noflush"}) {
      CAPTURE(flag);
      const auto model =
          build(implicit_failing({process("p0", {"load a zero", "resume a " + flag})}));
      CHECK(resume_errnos(model) == std::set<int>{kOk});
    }
  }

  TEST_CASE("an interrupted wait gives EINTR; a refilled slot or a gone cell ENXIO") {
    const auto reader = process("reader", {"open a", "read a", "close a"});
    const auto waiting =
        build(implicit_failing({process("p0", {"load a zero", "resume a --nolockfs"}), reader}));
    CHECK(reachable(waiting, [](const State& s) {
      return s.processes[0].pc == 2 && s.processes[0].last.err == kEINTR &&
             s.devices[0].inactive != 0;
    }));
    // --noflush skips the freeze, but a linear target's read is still waited for: the wait
    // can be interrupted, the freeze cannot fail.
    const auto noflush =
        build(implicit_failing({process("p0", {"load a zero", "resume a --noflush"}), reader}));
    CHECK(reachable(noflush, [](const State& s) { return s.processes[0].last.err == kEINTR; }));
    CHECK_FALSE(
        reachable(noflush, [](const State& s) { return s.processes[0].last.err == kEBUSY; }));
    const auto refill = build(implicit_failing(
        {process("p0", {"load a zero", "resume a"}), process("p1", {"load a lin1"})}));
    CHECK(reachable(refill, [&](const State& s) {
      return s.processes[0].pc == 2 && s.processes[0].last.err == kENXIO &&
             refill.table_name(s.devices[0].inactive) == "lin1";
    }));
    const auto gone = build(implicit_failing(
        {process("p0", {"load a zero", "resume a"}), process("p1", {"remove a"})}));
    CHECK(reachable(gone, [](const State& s) {
      return s.processes[0].pc == 2 && s.processes[0].last.err == kENXIO;
    }));
    for (const DmModel* model : {&waiting, &refill, &gone}) {
      const auto result = explore(*model);
      CHECK(verdict(result, kKeepsTable) == Verdict::holds);
      CHECK(verdict(result, "open-count-matches-references") == Verdict::holds);
      CHECK(verdict(result, "no-deadlock") == Verdict::holds);
    }
  }

  TEST_CASE("a failed implicit suspend while internally suspended: EINTR, the table kept") {
    Config c = internally("6.12", "lin0", {process("p0", {"load a zero", "resume a"})});
    c.failures.implicit_suspend = true;
    const auto model = build(c);
    CHECK(reachable(model, [](const State& s) {
      return s.processes[0].pc == 2 && s.processes[0].last.err == kEINTR &&
             s.kernel.internal_md == 1 && s.devices[0].inactive != 0;
    }));
    const auto result = explore(model);
    CHECK(verdict(result, kKeepsTable) == Verdict::holds);
    CHECK(verdict(result, "no-deadlock") == Verdict::holds);
  }

  TEST_CASE("suspend --noflush: a requeueing target does not wait for a read, linear does") {
    // thin-pool requeues under NOFLUSH_SUSPENDING (as thin and multipath do in the kernel);
    // linear completes its bios, so the suspend waits for them with or without --noflush.
    for (const std::string table : {"lin0", "pool8"}) {
      for (const std::string flag : {"", " --noflush"}) {
        CAPTURE(table);
        CAPTURE(flag);
        const bool requeued = table == "pool8" && !flag.empty();
        Config c = base_config();
        c.devices = {{"a", "", table, false, 0, 0, "", false}};
        c.processes = {process("reader", {"open a", "read a", "close a"}),
                       process("admin", {"suspend a" + flag, "resume a"})};
        const auto model = build(c);
        bool seen = false;
        CHECK_FALSE(reachable(model, [&](const State& s) {
          if (s.processes[0].phase != kIoInflight || s.processes[1].pc != 0 ||
              s.processes[1].phase != kSuspendLock) {
            return false;
          }
          seen = true;
          return can_finish(model, s, 1) != requeued;
        }));
        CHECK(seen);
        CHECK(reachable(model, [](const State& s) {
                return s.processes[1].phase == kSuspendWait;
              }) == !requeued);
        const auto result = explore(model);
        CHECK(verdict(result, "no-deadlock") == Verdict::holds);
      }
    }
  }

  TEST_CASE("the internal suspender is validated and described") {
    Config c = internally("6.1", "lin0", {});
    c.actors.internal_suspender = "nosuch";
    CHECK_FALSE(validate(c).has_value());
    c.actors.internal_suspender = "a";
    c.actors.internal_suspend_rounds = 0;
    CHECK_FALSE(validate(c).has_value());
    c.actors.internal_suspend_rounds = 2;
    CHECK(validate(c).has_value());
    const auto model = build(c);
    std::vector<std::string> texts;
    model.successors(model.initial_states().front(), [&](const Action& a, const State& n) {
      texts.push_back(model.describe_action(a));
      CHECK(model.describe_state(n).find("SUSPENDED_INTERNALLY") != std::string::npos);
    });
    CHECK(texts == std::vector<std::string>{"kernel internally suspends a (dm0)"});
    // Two rounds: it may suspend again after resuming, and then stops.
    CHECK(reachable(model, [](const State& s) { return s.kernel.internal_rounds == 2; }));
    CHECK(explore(model).stats.states == 5);
  }
}

}  // namespace dmcheck::model::testing
