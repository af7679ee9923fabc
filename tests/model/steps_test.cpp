// Every step and every errno path, through the model, one process at a time.

#include <functional>
#include <set>
#include <string>

#include "tests/model/fixtures.h"

namespace dmcheck::model::testing {
namespace {

using V = std::vector<int>;

const Observation& last(const SequentialRun& r) { return r.steps.back().obs; }

}  // namespace

TEST_SUITE("model/steps") {
  TEST_CASE("create: --notable, --table, --readonly, --uuid") {
    auto r = run(base_config(), {"create a --notable", "info a"});
    CHECK_ERRNOS(r, {0, 0});
    CHECK(last(r).flags == kReplyStatus);  // active, no tables, not suspended
    r = run(base_config(), {"create a --table ver1 --readonly --uuid U1", "info a"});
    CHECK_ERRNOS(r, {0, 0});
    CHECK(last(r).flags == (kReplyStatus | kReplyLive | kReplyReadOnly));
  }

  TEST_CASE("create: EBUSY for a taken name or uuid") {
    // A name the kernel refuses (EINVAL) never reaches a run: see model/bounds.
    auto r = run(base_config(), {"create a --notable --uuid U1", "create a --notable",
                                 "create b --notable --uuid U1"});
    CHECK_ERRNOS(r, {0, kEBUSY, kEBUSY});
  }

  TEST_CASE("create: a failed load or resume removes the half-made device") {
    auto r = run(base_config(), {"create a --table ver1", "info a"});  // verity needs --readonly
    CHECK_ERRNOS(r, {kEINVAL, kENXIO});
    r = run(base_config(), {"create a --table crypt_wiped", "info a"});  // preresume EAGAIN
    CHECK_ERRNOS(r, {kEAGAIN, kENXIO});
    r = run(base_config(), {"create a --table big", "info a"});  // first-load size check
    CHECK_ERRNOS(r, {kEINVAL, kENXIO});
  }

  TEST_CASE("load: stages an inactive table, replacing an earlier one") {
    auto r = run(base_config(), {"create a --table lin0", "load a lin1", "load a zero", "info a"});
    CHECK_ERRNOS(r, {0, 0, 0, 0});
    CHECK(r.steps[1].obs.flags == (kReplyStatus | kReplyLive | kReplyInactive));
    const auto model = build(base_config());
    CHECK(model.table_name(r.final_state.devices[0].inactive) == "zero");
    CHECK(model.table_name(r.final_state.devices[0].live) == "lin0");
  }

  TEST_CASE("load: ENXIO, EINVAL from the constructor, ENODEV for a missing lower device") {
    auto r = run(base_config(),
                 {"load a lin0", "create a --notable", "load a ver1", "load a ver_lin --readonly",
                  "load a onto_b", "load a ver1 --readonly"});
    CHECK_ERRNOS(r, {kENXIO, 0, kEINVAL, kEINVAL, kENODEV, 0});
  }

  TEST_CASE("load: an immutable type is kept, except for the error wildcard") {
    auto r = run(base_config(), {"create a --table pool8", "load a lin0", "load a pool8",
                                 "load a err", "create v --table ver1 --readonly", "load v zero",
                                 "load v ver2 --readonly", "load v err"});
    CHECK_ERRNOS(r, {0, kEINVAL, 0, 0, 0, kEINVAL, 0, 0});
    // A pool may replace linear.
    r = run(base_config(), {"create a --table lin0", "load a pool8"});
    CHECK_ERRNOS(r, {0, 0});
  }

  TEST_CASE("clear: drops the inactive table; ENXIO when absent") {
    auto r = run(base_config(), {"clear a", "create a --table lin0", "clear a", "load a lin1",
                                 "clear a", "info a"});
    CHECK_ERRNOS(r, {kENXIO, 0, 0, 0, 0, 0});
    CHECK(r.steps[4].obs.flags == (kReplyStatus | kReplyLive));
  }

  TEST_CASE("suspend: ENXIO, idempotent, works without a table, flags accepted") {
    auto r = run(base_config(), {"suspend a", "create a --notable", "suspend a",
                                 "suspend a --noflush --nolockfs", "info a"});
    CHECK_ERRNOS(r, {kENXIO, 0, 0, 0, 0});
    CHECK(last(r).flags == (kReplyStatus | kReplySuspended));
  }

  TEST_CASE("resume: ENXIO; no-op when active; EINVAL when suspended without a table") {
    auto r = run(base_config(),
                 {"resume a", "create a --notable", "resume a", "suspend a", "resume a", "info a"});
    CHECK_ERRNOS(r, {kENXIO, 0, 0, 0, kEINVAL, 0});
    CHECK(last(r).flags == (kReplyStatus | kReplySuspended));
  }

  TEST_CASE("resume: a load then resume swaps the live table") {
    auto r = run(base_config(), {"create a --table lin0", "open a", "read a", "load a zero",
                                 "resume a --noflush --nolockfs", "read a", "close a"});
    CHECK_ERRNOS(r, {0, 0, 0, 0, 0, 0, 0});
    CHECK(r.steps[2].obs.data == kReadDisk + 0);
    CHECK(r.steps[5].obs.data == kReadZeros);
  }

  TEST_CASE("resume: crypt preresume fails EAGAIN while the key is wiped") {
    auto r = run(base_config(), {"create c --table crypt", "message c 0 key wipe", "suspend c",
                                 "message c 0 key wipe", "resume c", "info c",
                                 "message c 0 key set", "resume c", "info c"});
    CHECK_ERRNOS(r, {0, kEINVAL, 0, 0, kEAGAIN, 0, 0, 0, 0});
    CHECK(r.steps[5].obs.flags == (kReplyStatus | kReplyLive | kReplySuspended));
    CHECK(last(r).flags == (kReplyStatus | kReplyLive));
  }

  TEST_CASE("message key: ENXIO, EINVAL on a non-crypt target, nothing without a table") {
    auto r = run(base_config(),
                 {"message c 0 key wipe", "create c --notable", "suspend c", "message c 0 key wipe",
                  "create d --table lin0", "suspend d", "message d 0 key set"});
    CHECK_ERRNOS(r, {kENXIO, 0, 0, 0, 0, 0, kEINVAL});
  }

  TEST_CASE("resume: thin-pool shrink fails preresume; the short table stays live") {
    auto r = run(base_config(), {"create p --table pool8", "load p pool4", "resume p", "info p",
                                 "resume p", "load p pool8", "resume p", "info p"});
    CHECK_ERRNOS(r, {0, 0, kEINVAL, 0, kEINVAL, 0, 0, 0});
    CHECK(r.steps[3].obs.flags == (kReplyStatus | kReplyLive | kReplySuspended));
    CHECK(last(r).flags == (kReplyStatus | kReplyLive));
  }

  TEST_CASE("resume: a later table failing the size check at swap leaves the old one live") {
    auto r = run(base_config(), {"create a --table lin0", "load a big", "resume a", "info a",
                                 "resume a", "info a"});
    CHECK_ERRNOS(r, {0, 0, kEINVAL, 0, 0, 0});
    CHECK(r.steps[3].obs.flags == (kReplyStatus | kReplyLive | kReplySuspended));
    CHECK(last(r).flags == (kReplyStatus | kReplyLive));
    const auto model = build(base_config());
    CHECK(model.table_name(r.final_state.devices[0].live) == "lin0");
  }

  TEST_CASE("remove: ENXIO, EBUSY, removes an idle device, removes a suspended one") {
    auto r = run(base_config(), {"remove a", "create a --table lin0", "open a", "remove a",
                                 "close a", "suspend a", "remove a", "info a"});
    CHECK_ERRNOS(r, {kENXIO, 0, 0, kEBUSY, 0, 0, 0, kENXIO});
    CHECK(r.steps[6].obs.flags == 0);
  }

  TEST_CASE("remove --deferred: busy succeeds and marks; idle removes at once") {
    auto r = run(base_config(), {"create a --table lin0", "open a", "remove a --deferred",
                                 "remove a --deferred", "info a", "close a", "info a",
                                 "create b --table lin1", "remove b --deferred", "info b"});
    CHECK_ERRNOS(r, {0, 0, 0, 0, 0, 0, kENXIO, 0, 0, kENXIO});
    CHECK(r.steps[2].obs.flags == kReplyDeferred);  // the caller's flags echoed, no status
    CHECK(r.steps[4].obs.flags == (kReplyStatus | kReplyLive | kReplyDeferred));
    CHECK(r.steps[4].obs.open_count == 1);
    CHECK(r.steps[8].obs.flags == 0);  // removed now: flag cleared in the reply
  }

  TEST_CASE("remove --deferred --no-open (no-open-flag)") {
    const Config c = base_config("6.1+no-open-flag");
    auto r = run(c, {"create a --table lin0", "open a", "remove a --no-open",
                     "remove a --deferred --no-open", "info a", "open a",
                     "message a 0 @cancel_deferred_remove", "info a", "open a"});
    CHECK_ERRNOS(r, {0, 0, kEINVAL, 0, 0, kENXIO, 0, 0, 0});
    CHECK(r.steps[3].obs.flags == (kReplyDeferred | kReplyNoOpen));
    CHECK(r.steps[4].obs.flags == (kReplyStatus | kReplyLive | kReplyDeferred | kReplyNoOpen));
    CHECK(r.steps[7].obs.flags == (kReplyStatus | kReplyLive));  // cancel cleared both
  }

  TEST_CASE("remove_all: removes closed devices, marks open ones with --deferred, returns 0") {
    auto r = run(base_config(),
                 {"create a --table lin0", "create b --table lin1", "open a", "remove_all",
                  "info a", "info b", "remove_all --deferred", "info a", "close a", "info a"});
    CHECK_ERRNOS(r, {0, 0, 0, 0, 0, kENXIO, 0, 0, 0, kENXIO});
    CHECK(r.steps[4].obs.flags == (kReplyStatus | kReplyLive));
    CHECK(r.steps[7].obs.flags == (kReplyStatus | kReplyLive | kReplyDeferred));
  }

  TEST_CASE("remove_all --no-open needs --deferred (no-open-flag)") {
    auto r = run(base_config("6.1+no-open-flag"),
                 {"create a --table lin0", "open a", "remove_all --no-open",
                  "remove_all --deferred --no-open", "open a", "info a"});
    CHECK_ERRNOS(r, {0, 0, kEINVAL, 0, kENXIO, 0});
    CHECK(last(r).flags == (kReplyStatus | kReplyLive | kReplyDeferred | kReplyNoOpen));
  }

  TEST_CASE("cancel: ENXIO, EINVAL with extra arguments, 0 with no flag, clears the flag") {
    auto r =
        run(base_config(), {"message a 0 @cancel_deferred_remove", "create a --table lin0",
                            "message a 0 @cancel_deferred_remove extra",
                            "message a 0 @cancel_deferred_remove", "open a", "remove a --deferred",
                            "message a 0 @cancel_deferred_remove", "close a", "info a"});
    CHECK_ERRNOS(r, {kENXIO, 0, kEINVAL, 0, 0, 0, 0, 0, 0});
    CHECK(last(r).flags == (kReplyStatus | kReplyLive));  // survived the last close
  }

  TEST_CASE("rename: ENXIO, EBUSY; the old name becomes free") {
    auto r =
        run(base_config(), {"rename a b", "create a --notable", "create b --notable", "rename a b",
                            "rename a c", "info a", "info c", "create a --notable"});
    CHECK_ERRNOS(r, {kENXIO, 0, 0, kEBUSY, 0, kENXIO, 0, 0});
  }

  TEST_CASE("info: ENXIO, and status with flags and open count") {
    auto r = run(base_config(), {"info a", "create a --table lin0 --readonly", "open a", "open a",
                                 "load a lin1", "suspend a", "info a"});
    CHECK_ERRNOS(r, {kENXIO, 0, 0, 0, 0, 0, 0});
    CHECK(last(r).flags ==
          (kReplyStatus | kReplyLive | kReplyInactive | kReplySuspended | kReplyReadOnly));
    CHECK(last(r).open_count == 2);
  }

  TEST_CASE("open: ENXIO when absent or without a disk") {
    auto r = run(base_config(),
                 {"open a", "create a --notable", "open a", "load a lin0", "open a", "open a"});
    CHECK_ERRNOS(r, {kENXIO, 0, kENXIO, 0, 0, 0});
  }

  TEST_CASE("close: EBADF without a handle; closes the handle") {
    auto r = run(base_config(),
                 {"close a", "create a --table lin0", "open a", "close a", "close a", "info a"});
    CHECK_ERRNOS(r, {kEBADF, 0, 0, 0, kEBADF, 0});
    CHECK(last(r).open_count == 0);
  }

  TEST_CASE("read: EBADF, data, zeros, EIO from error, empty without a live table, bad hash") {
    auto r =
        run(base_config(), {"read a", "create a --table lin1", "open a", "read a", "load a zero",
                            "resume a", "read a", "load a err", "resume a", "read a", "close a",
                            "create n --notable", "load n lin0", "open n", "read n", "close n",
                            "create v --table ver_bad --readonly", "open v", "read v"});
    CHECK_ERRNOS(r, {kEBADF, 0, 0, 0, 0, 0, 0, 0, 0, kEIO, 0, 0, 0, 0, 0, 0, 0, 0, kEIO});
    CHECK(r.steps[3].obs.data == kReadDisk + kMaxDiskUnits);
    CHECK(r.steps[6].obs.data == kReadZeros);
    CHECK(r.steps[9].obs.data == kReadEio);
    // n has only an inactive table: its size is 0, so the read ends at once with no byte.
    CHECK(r.steps[14].obs.data == kReadEmpty);
  }

  TEST_CASE("read: through a stacked device reaches the lower device's disk") {
    auto r = run(base_config(),
                 {"create a --table lin1", "create b --table onto_a", "open b", "read b"});
    CHECK_ERRNOS(r, {0, 0, 0, 0});
    CHECK(last(r).data == kReadDisk + kMaxDiskUnits);
  }

  TEST_CASE("read: blocks while suspended (alone, the program cannot go on)") {
    auto r = run(base_config(), {"create a --table lin0", "open a", "suspend a", "read a"});
    CHECK_ERRNOS(r, {0, 0, 0});
    CHECK(r.blocked);
  }

  TEST_CASE("set_open_limit (open-limit-ioctl): ENXIO; later opens beyond it fail EBUSY") {
    auto r = run(base_config("6.1+open-limit-ioctl"),
                 {"set_open_limit a 1", "create a --table lin0", "open a", "open a",
                  "set_open_limit a 1", "close a", "open a", "set_open_limit a 0", "open a"});
    CHECK_ERRNOS(r, {kENXIO, 0, 0, 0, 0, 0, kEBUSY, 0, 0});
  }

  TEST_CASE("create --open-limit (create-open-limit): enforced at open") {
    auto r = run(base_config("6.1+create-open-limit"),
                 {"create a --table lin0 --open-limit 1", "open a", "open a", "close a", "open a"});
    CHECK_ERRNOS(r, {0, 0, kEBUSY, 0, 0});
  }

  TEST_CASE("choose and repeat run as programs") {
    Config c = base_config();
    c.processes = {process("p0", {"create a --table lin0", "repeat 2 { open a ; close a }",
                                  "choose { remove a | info a }"})};
    const auto model = build(c);
    const auto result = explore(model);
    // 1 or 2 open/close rounds, then one of two alternatives: every path ends properly.
    CHECK(verdict(result, "no-deadlock") == checker::Verdict::holds);
    CHECK(verdict(result, "device-freed") == checker::Verdict::reached);
    // Every complete path, as (opens, the alternative's call): each count with each branch.
    std::set<std::pair<int, std::string>> runs;
    std::function<void(const State&, int, std::string)> walk = [&](const State& s, int opens,
                                                                   std::string last) {
      bool any = false;
      model.successors(s, [&](const Action& a, const State& n) {
        any = true;
        const std::string said = model.describe_action(a);
        const bool open = said.starts_with("p0 open a");
        const bool branch = said.starts_with("p0 remove a") || said.starts_with("p0 info a");
        walk(n, opens + (open ? 1 : 0), branch ? said.substr(3, said.find(' ', 3) - 3) : last);
      });
      if (!any) {
        runs.insert({opens, last});
      }
    };
    for (const State& s : model.initial_states()) {
      walk(s, 0, "");
    }
    using Runs = std::set<std::pair<int, std::string>>;
    CHECK(runs == Runs{{1, "info"}, {1, "remove"}, {2, "info"}, {2, "remove"}});
  }

  TEST_CASE("resume: a generic target's preresume may fail (when failures allow)") {
    Config c = base_config();
    c.failures.preresume = true;
    c.devices = {{"g", "", "gen", false, 0, 0, "", false}};
    c.processes = {process("p0", {"suspend g", "resume g"})};
    const auto model = build(c);
    std::set<int> results;
    for (const State& s : end_states(model)) {
      results.insert(s.processes[0].last.err);
      CHECK(((s.devices[0].flags & kSuspended) != 0) == (s.processes[0].last.err == kEIO));
    }
    CHECK(results == std::set<int>{kOk, kEIO});
    // Without the failure allowed, preresume always succeeds.
    c.failures.preresume = false;
    for (const State& s : end_states(build(c))) {
      CHECK(s.processes[0].last.err == kOk);
    }
  }

  TEST_CASE("integrity metadata: attached at preresume on 6.12, in the swap with finalize-hook") {
    const std::vector<std::string> steps = {"create v --table ver1 --readonly"};
    auto r = run(base_config("6.1"), steps);
    CHECK(r.final_state.devices[0].root_hash == 0);
    r = run(base_config("6.12"), steps);
    CHECK(r.final_state.devices[0].root_hash == 1);
    CHECK(r.final_state.devices[0].sig_valid == 1);
    r = run(base_config("6.1+finalize-hook"), steps);
    CHECK(r.final_state.devices[0].root_hash == 1);
    // A refused signature clears the root hash (6.12: at preresume).
    Config c = base_config("6.12");
    c.failures.integrity_refused = true;
    c.processes = {process("p0", steps)};
    std::set<int> results;
    for (const State& s : end_states(build(c))) {
      results.insert(s.processes[0].last.err);
    }
    CHECK(results == std::set<int>{kOk, kEPERM});
  }

  TEST_CASE("describe_action names actors and devices") {
    auto r =
        run(base_config(), {"create a --table lin0", "open a", "remove a --deferred", "close a"});
    CHECK(r.trace.back() == "worker finds nothing to remove");
    CHECK(r.trace[r.trace.size() - 4] == "worker unhashes a (dm0) (deferred remove)");
    CHECK(r.trace[r.trace.size() - 3] == "worker's destroy suspends a (dm0)");
    CHECK(r.trace[r.trace.size() - 2] == "worker destroys a (dm0)");
  }
}

}  // namespace dmcheck::model::testing
