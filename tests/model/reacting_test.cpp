// Reacting steps: which calls run after a result (sequential runs name each call made), and
// what they add to the state space (exact counts, and an expansion that matches the same steps
// written out).

#include <string>
#include <vector>

#include "tests/model/fixtures.h"

namespace dmcheck::model::testing {
namespace {

/// base_config with device a (linear on disk0) and the table `remove --force` loads.
Config with_a() {
  Config c = base_config("6.1");
  c.devices = {{"a", "", "lin0", false, 0, 0, "", false}};
  c.tables.push_back({"error", {of_kind(TargetKind::error)}});
  return c;
}

/// The calls a sequential run made, in dmsetup's words.
std::vector<std::string> calls(const SequentialRun& r) {
  std::vector<std::string> out;
  for (const auto& s : r.steps) {
    out.push_back(s.call);
  }
  return out;
}

/// `n` copies of `text`.
std::vector<std::string> times(std::size_t n, const std::string& text) {
  return std::vector<std::string>(n, text);
}

std::size_t states_of(const Config& config) { return explore(build(config)).stats.states; }

}  // namespace

TEST_SUITE("model/reacting") {
  TEST_CASE("if ok takes its else branch on ENXIO and its then branch on success") {
    const auto missing = run(with_a(), {"open c", "if ok { close c } else { info c }", "info a"});
    CHECK(calls(missing) == std::vector<std::string>{"open c", "info c", "info a"});
    CHECK_ERRNOS(missing, {kENXIO, kENXIO, kOk});
    const auto present = run(with_a(), {"open a", "if ok { read a ; close a } else { info a }"});
    CHECK(calls(present) == std::vector<std::string>{"open a", "read a", "close a"});
    CHECK_ERRNOS(present, {kOk, kOk, kOk});
    // Without an else a failure passes over the step; with an empty then a success does.
    CHECK(calls(run(with_a(), {"open c", "if ok { close c }", "info a"})) ==
          std::vector<std::string>{"open c", "info a"});
    CHECK(calls(run(with_a(), {"info a", "if ok { } else { info c }", "info a"})) ==
          std::vector<std::string>{"info a", "info a"});
  }

  TEST_CASE("on ERRNO runs only after that errno, and a step passed over leaves the result") {
    CHECK(calls(run(with_a(), {"remove a", "on EBUSY { info a }"})) ==
          std::vector<std::string>{"remove a"});
    const auto busy =
        run(with_a(), {"open a", "remove a", "on EBUSY { remove a --deferred }", "close a"});
    CHECK(calls(busy) ==
          std::vector<std::string>{"open a", "remove a", "remove a --deferred", "close a"});
    CHECK_ERRNOS(busy, {kOk, kEBUSY, kOk, kOk});
    // open c fails ENXIO: on EBUSY is passed over and on ENXIO still reacts to the open.
    const auto cascade =
        run(with_a(), {"open c", "on EBUSY { info a }", "on ENXIO { info b }", "info a"});
    CHECK(calls(cascade) == std::vector<std::string>{"open c", "info b", "info a"});
  }

  TEST_CASE("retry stops at the first success and gives up after N attempts") {
    CHECK(calls(run(with_a(), {"info a", "retry 3 { open a }"})) ==
          std::vector<std::string>{"info a", "open a"});
    std::vector<std::string> expected = {"info a"};
    for (const auto& call : times(3, "open c")) {
      expected.push_back(call);
    }
    CHECK(calls(run(with_a(), {"info a", "retry 3 { open c }"})) == expected);
    // The last call of the body decides: info a succeeds, so the body runs once.
    CHECK(calls(run(with_a(), {"info a", "retry 3 { open c ; info a }"})) ==
          std::vector<std::string>{"info a", "open c", "info a"});
    // retry on EBUSY does not retry ENXIO.
    CHECK(calls(run(with_a(), {"info a", "retry 3 on EBUSY { open c }"})) ==
          std::vector<std::string>{"info a", "open c"});
    CHECK(run(with_a(), {"info a", "retry 255 { open c }"}).steps.size() == 256);
  }

  TEST_CASE("remove --retry makes 25 attempts on EBUSY as libdevmapper does, then gives up") {
    const auto held = run(with_a(), {"open a", "remove --retry a"});
    REQUIRE(held.steps.size() == 26);
    std::vector<std::string> expected = {"open a"};
    for (const auto& call : times(25, "remove a")) {
      expected.push_back(call);
    }
    CHECK(calls(held) == expected);
    CHECK(held.steps.back().obs.err == kEBUSY);
    CHECK_ERRNOS(run(with_a(), {"remove --retry a"}), {kOk});
    CHECK_ERRNOS(run(with_a(), {"remove --retry c"}), {kENXIO});  // only EBUSY is retried
  }

  TEST_CASE("remove --force loads the error table, resumes it and removes: the calls made") {
    const auto held = run(with_a(), {"open a", "remove --force a", "read a"});
    CHECK(calls(held) == std::vector<std::string>{"open a", "load a error",
                                                  "resume a --noflush --nolockfs", "remove a",
                                                  "read a"});
    CHECK_ERRNOS(held, {kOk, kOk, kOk, kEBUSY, kEIO});  // the holder now reads the error table
    CHECK_ERRNOS(run(with_a(), {"remove --force a"}), {kOk, kOk, kOk});
    // The device is gone: the load fails, the clear (a no-op here) and the remove see ENXIO.
    const auto gone = run(with_a(), {"remove --force c"});
    CHECK(calls(gone) == std::vector<std::string>{"load c error", "clear c", "remove c"});
    CHECK_ERRNOS(gone, {kENXIO, kENXIO, kENXIO});
  }

  TEST_CASE("remove --retry explores the states of its attempts written out as steps") {
    // A holder that may close at any point against a remover retrying: the composite, retry on
    // EBUSY, and 25 chained on-EBUSY steps are the same process, so their state counts agree.
    Config composite = with_a();
    composite.processes = {process("holder", {"open a", "close a"}),
                           process("remover", {"info a", "remove --retry a"})};
    Config chained = composite;
    std::vector<std::string> steps = {"info a", "remove a"};
    for (const auto& step : times(24, "on EBUSY { remove a }")) {
      steps.push_back(step);
    }
    chained.processes[1] = process("remover", steps);
    const std::size_t n = states_of(composite);
    CHECK(n == states_of(chained));
    CHECK(n == 120);
    // One attempt less is a smaller space: the bound is 25, not 24 or 26.
    Config fewer = composite;
    fewer.processes[1] = process("remover", {"info a", "retry 24 on EBUSY { remove a }"});
    CHECK(states_of(fewer) < n);
  }

  TEST_CASE("a reacting step adds no state of its own: if ok and on are places in the program") {
    // The same interleavings with the reaction written as the only call that can follow: the
    // counts differ only by the calls each program makes.
    Config reacting = with_a();
    reacting.processes = {process("reader", {"open a", "if ok { close a } else { info a }"}),
                          process("remover", {"remove a"})};
    CHECK(states_of(reacting) == 17);
    Config both = reacting;  // a choice runs both branches whatever the open returned
    both.processes[0] = process("reader", {"open a", "choose { close a | info a }"});
    CHECK(states_of(both) > states_of(reacting));
  }
}

}  // namespace dmcheck::model::testing
