// The model's fixed bounds: each one is refused when a configuration is checked, or ends a run
// as a model error naming it; none wraps a counter or answers with an errno the kernel did not
// give.

#include <string>

#include "conformance/predict.h"
#include "model/names.h"
#include "tests/model/fixtures.h"

namespace dmcheck::model::testing {
namespace {

/// The message validate() gives for `config`, or "" when it is valid.
std::string refusal(const Config& config) {
  auto valid = validate(config);
  return valid ? std::string() : valid.error().message;
}

Config with_steps(const std::vector<std::string>& steps, Config c = base_config()) {
  c.processes = {process("p0", steps)};
  return c;
}

/// An initial device 'a' with the zero table and `open_count` opens held from outside, and
/// `above` devices ('b', 'u1', 'u2', ...) whose live tables sit on it.
Config held(std::uint8_t open_count, std::size_t above = 1) {
  Config c = base_config();
  c.devices = {{"a", "", "lin0", false, 0, open_count, "", false},
               {"b", "", "onto_a", false, 0, 0, "", false}};
  for (std::size_t i = 1; i < above; ++i) {
    c.devices.push_back({"u" + std::to_string(i), "", "onto_a", false, 0, 0, "", false});
  }
  return c;
}

/// `n` opens of device 'a'.
std::vector<std::string> opens(std::size_t n) { return std::vector<std::string>(n, "open a"); }

/// Explores `config` exhaustively and returns the engine's error (the test fails without one).
Error exploration_error(const Config& config) {
  checker::Options options;
  options.progress = checker::ProgressMode::never;
  auto result = checker::check(build(config), options);
  REQUIRE_FALSE(result.has_value());
  return result.error();
}

}  // namespace

TEST_SUITE("model/bounds") {
  TEST_CASE("devices: a create past the slots is the device bound, not EMFILE") {
    static_assert(kMaxDevices == 8);
    auto r = run(base_config(), {"create a --notable", "create b --notable", "create c --notable",
                                 "create d --notable", "create e --notable", "create f --notable",
                                 "create g --notable", "create h --notable", "create i --notable"});
    CHECK_ERRNOS(r, {0, 0, 0, 0, 0, 0, 0, 0});
    CHECK(r.bound_call == 8);
    CHECK(r.bound.find("device bound exceeded") != std::string::npos);
    CHECK(r.bound.find("at most 8 devices") != std::string::npos);
  }

  TEST_CASE("handles: a fifth open in one process is the handle bound, not EMFILE") {
    static_assert(kMaxHandles == 4);
    std::vector<std::string> calls = opens(5);
    calls.insert(calls.begin(), "create a --table lin0");
    auto r = run(base_config(), calls);
    CHECK_ERRNOS(r, {0, 0, 0, 0, 0});
    CHECK(r.bound_call == 5);
    CHECK(r.bound.find("handle bound exceeded by process 'p0'") != std::string::npos);
  }

  TEST_CASE("four handles in one process: each counts, each close gives one back") {
    auto r = run(base_config(), {"create a --table lin0", "create b --table onto_a", "open a",
                                 "open b", "open a", "open b", "close a", "info a", "close a",
                                 "close b", "close b", "remove b", "remove a"});
    CHECK_ERRNOS(r, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    CHECK(r.steps[7].obs.open_count == 2);  // one handle left and b's table
    CHECK(r.bound.empty());
  }

  TEST_CASE("open count: driven to 255 and refused past it, never wrapped") {
    // 248 from outside + 5 tables above = 253; two opens reach 255; c's table would be 256th.
    static_assert(kMaxInitialOpenCount == 248);
    auto r = run(held(kMaxInitialOpenCount, 5), {"open a", "open a", "info a",
                                                 "create c --table "
                                                 "onto_a"});
    CHECK_ERRNOS(r, {0, 0, 0});
    CHECK(r.steps[2].obs.open_count == 255);
    CHECK(r.bound_call == 3);
    CHECK(r.bound.find("open-count bound exceeded on device dm0") != std::string::npos);
    CHECK(r.final_state.devices[0].open_count == 255);
  }

  TEST_CASE("a trace past a bound is not replayed on a kernel, and the reason names the bound") {
    std::vector<std::string> calls = opens(5);
    calls.insert(calls.begin(), "create a --table lin0");
    const auto r = run(base_config(), calls);
    CHECK(conformance::unrunnable_alone(r, calls) ==
          "call 6 ('open a') goes past the model's bounds: handle bound exceeded by process 'p0' "
          "(the model holds at most 4 open handles per process)");
    const std::vector<std::string> fine = {"create a --table lin0", "open a", "close a"};
    CHECK(conformance::unrunnable_alone(run(base_config(), fine), fine).empty());
  }

  TEST_CASE("a run reaching a bound is a model error naming it and the trace") {
    Config c = held(kMaxInitialOpenCount, 5);
    c.processes = {process("swapon", {"open a", "open a"}),
                   process("mapper", {"create c --table onto_a"})};
    const Error e = exploration_error(c);
    INFO(e.message);
    CHECK(e.kind == ErrorKind::model);
    CHECK(e.message.find("open-count bound exceeded") != std::string::npos);
    CHECK(e.message.find("reached by:") != std::string::npos);
    CHECK(e.message.find("swapon open a -> 0") != std::string::npos);
    CHECK(e.message.find("mapper create c --table onto_a") != std::string::npos);

    std::vector<std::string> calls = opens(5);
    calls.insert(calls.begin(), "create a --table lin0");
    const Error handles = exploration_error(with_steps(calls));
    CHECK(handles.kind == ErrorKind::model);
    CHECK(handles.message.find("p0 open a: needs more than the model holds") != std::string::npos);
  }

  TEST_CASE("a state past a bound has no successors") {
    std::vector<std::string> calls = opens(5);
    calls.insert(calls.begin(), "create a --table lin0");
    const auto model = build(with_steps(calls));
    calls.push_back("info a");
    auto r = run(base_config(), calls);
    REQUIRE(r.final_state.bound == Bound::handles);
    int successors = 0;
    model.successors(r.final_state, [&](const Action&, const State&) { ++successors; });
    CHECK(successors == 0);
    CHECK(model.exceeded_bound(r.final_state).find("handle bound") != std::string::npos);
  }

  TEST_CASE("initial open count: over the bound is refused before a run") {
    CHECK(refusal(held(kMaxInitialOpenCount)).empty());
    CHECK(
        refusal(held(kMaxInitialOpenCount + 1)).find("open_count 249 is over the model's bound") !=
        std::string::npos);
  }

  TEST_CASE("tables, targets, alternatives, sequences: counts past the bounds are refused") {
    Config c = base_config();
    while (c.tables.size() < kMaxTables) {
      c.tables.push_back({"t" + std::to_string(c.tables.size()), {of_kind(TargetKind::zero)}});
    }
    CHECK(refusal(c).empty());
    c.tables.push_back({"one-more", {of_kind(TargetKind::zero)}});
    CHECK(refusal(c).find("too many tables: the model holds at most 64") != std::string::npos);

    c = base_config();
    c.tables.push_back({"five", std::vector<Target>(5, of_kind(TargetKind::zero))});
    CHECK(refusal(c).find("must have 1 to 4 targets") != std::string::npos);

    std::string body = "info a";
    for (std::size_t i = 1; i < kMaxSequenceCalls; ++i) {
      body += "; info a";
    }
    CHECK(refusal(with_steps({"repeat 2 { " + body + " }"})).empty());
    CHECK(refusal(with_steps({"repeat 2 { " + body + "; info a }"}))
              .find("a call sequence of 201 calls; the model holds at most 200") !=
          std::string::npos);
  }

  TEST_CASE("a call sequence at its bound runs to its end (the position byte does not wrap)") {
    std::string body = "info a";
    for (std::size_t i = 1; i < kMaxSequenceCalls; ++i) {
      body += "; info a";
    }
    auto r = run(base_config(), {"choose { " + body + " | info b }", "info c"});
    CHECK(r.steps.size() == kMaxSequenceCalls + 1);
    CHECK(r.steps.back().call == "info c");
    CHECK(r.bound.empty());
  }

  TEST_CASE("a repeat at its largest bound counts every iteration without wrapping") {
    const auto model = build(with_steps({"repeat 255 { info a }"}));
    std::uint8_t most = 0;
    bool finished = false;
    search_reachable(model, [&](const State& s, bool) {
      most = std::max(most, s.processes[0].iter);
      finished = finished || model.is_final(s);
      return false;
    });
    CHECK(most == 255);
    CHECK(finished);
  }

  TEST_CASE("internal suspends nest at most once; the rounds are bounded at 1 to 3") {
    Config c = with_steps({"create a --table lin0", "suspend a", "resume a"});
    c.actors.internal_suspender = "a";
    c.actors.internal_suspend_rounds = 3;
    const auto model = build(c);
    std::uint8_t most = 0;
    search_reachable(model, [&](const State& s, bool) {
      most = std::max(most, s.devices[0].internal_suspend_count);
      return false;
    });
    CHECK(most == 1);
    c.actors.internal_suspend_rounds = 4;
    CHECK(refusal(c).find("1 to 3 rounds") != std::string::npos);
  }

  TEST_CASE("names and uuids: at most 31 distinct of each") {
    Config c = base_config();  // a, b, c and the tables' onto names
    c.extra_names.clear();
    for (int i = 0; i < 31; ++i) {
      c.extra_names.push_back("n" + std::to_string(i));
    }
    CHECK(refusal(c).find("too many distinct device names or uuids") != std::string::npos);
    c.extra_names.resize(29);  // with onto_a's a and onto_b's b: 31
    CHECK(refusal(c).empty());
  }

  TEST_CASE("names the kernel refuses are refused before a run") {
    CHECK(refusal(with_steps({"create b/c --notable"})).find("contains '/'") != std::string::npos);
    CHECK(refusal(with_steps({"create .. --notable"})).find("reserved") != std::string::npos);
    CHECK(refusal(with_steps({"create control --notable"})).find("reserved") != std::string::npos);
    CHECK(refusal(with_steps({"create a --notable", "rename a ."})).find("reserved") !=
          std::string::npos);
    CHECK(refusal(with_steps({"create " + std::string(127, 'x') + " --notable"})).empty());
    CHECK(refusal(with_steps({"create " + std::string(128, 'x') + " --notable"}))
              .find("is 128 bytes; the kernel takes at most 127") != std::string::npos);
    CHECK(refusal(with_steps({"create a --notable --uuid " + std::string(128, 'u')})).empty());
    CHECK(
        refusal(with_steps({"create a --notable --uuid " + std::string(129, 'u')})).find("uuid") !=
        std::string::npos);
    Config c = base_config();
    c.extra_names.push_back(std::string("x\0y", 3));
    CHECK(refusal(c).find("NUL") != std::string::npos);
  }

  TEST_CASE("name rules: the kernel's check_name and string limits") {
    CHECK(device_name_problem("swap").empty());
    CHECK(device_name_problem("a.b").empty());  // dots are fine, only "." and ".." are not
    CHECK_FALSE(device_name_problem("").empty());
    CHECK_FALSE(device_name_problem("..").empty());
    CHECK(uuid_problem("LVM-a/b").empty());  // '/' is a name rule only
    CHECK_FALSE(uuid_problem(std::string("a\0b", 3)).empty());
  }
}

}  // namespace dmcheck::model::testing
