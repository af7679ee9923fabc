#include <doctest/doctest.h>

#include "checker/check.h"
#include "zoo/counter_race.h"
#include "zoo/peterson.h"

namespace checker = dmcheck::checker;
namespace zoo = dmcheck::zoo;

namespace {

/// Breaks the contract: its successors change from one call to the next, so a trace rebuilt by
/// replay is not the path that was explored.
class Forgetful {
 public:
  struct State {
    std::uint32_t value;
  };
  struct Action {
    std::uint8_t unused;
  };
  [[nodiscard]] std::vector<State> initial_states() const { return {State{0}}; }
  void successors(const State& s, checker::SuccessorSink<Action, State> emit) const {
    if (s.value < 5) {
      emit(Action{0}, State{s.value + 1 + static_cast<std::uint32_t>(calls_++ >= 5 ? 100 : 0)});
    }
  }
  [[nodiscard]] bool is_final(const State&) const { return true; }
  [[nodiscard]] std::vector<checker::Property<State>> properties() const {
    return {checker::sometimes<State>("five", [](const State& s) { return s.value == 5; })};
  }
  [[nodiscard]] std::string describe_action(const Action&) const { return "+1"; }
  [[nodiscard]] std::string describe_state(const State& s) const { return std::to_string(s.value); }

 private:
  mutable std::uint32_t calls_ = 0;
};

/// Breaks the contract more quietly than Forgetful: every state keeps its number of successors,
/// but once `drift` is set each step adds 2 instead of 1 (and, with `drift_initial`, the
/// initial state moves too). Only comparing the replayed states with the explored fingerprints
/// can notice.
class Drifting {
 public:
  struct State {
    std::uint32_t step;
    std::uint32_t value;
  };
  struct Action {
    std::uint8_t unused;
  };
  Drifting(const bool* drift, const bool* drift_initial, std::uint32_t drift_after = 0)
      : drift_(drift), drift_initial_(drift_initial), drift_after_(drift_after) {}
  [[nodiscard]] std::vector<State> initial_states() const {
    return {State{0, *drift_initial_ ? 7u : 0u}};
  }
  void successors(const State& s, checker::SuccessorSink<Action, State> emit) const {
    const bool drifted = *drift_ || (drift_after_ > 0 && calls_++ >= drift_after_);
    if (s.step < 5) {
      emit(Action{0}, State{s.step + 1, s.value + (drifted ? 2u : 1u)});
    }
  }
  [[nodiscard]] bool is_final(const State&) const { return true; }
  [[nodiscard]] std::vector<checker::Property<State>> properties() const {
    return {checker::sometimes<State>("last", [](const State& s) { return s.step == 5; })};
  }
  [[nodiscard]] std::string describe_action(const Action&) const { return "+1"; }
  [[nodiscard]] std::string describe_state(const State& s) const { return std::to_string(s.value); }

 private:
  const bool* drift_;
  const bool* drift_initial_;
  std::uint32_t drift_after_;
  mutable std::uint32_t calls_ = 0;
};

/// The path to the model's last state with the fingerprints of the states seen now.
checker::Path recorded_path(const Drifting& model) {
  checker::Path path;
  path.actions = {0, 0, 0, 0, 0};
  const auto trace = checker::replay(model, path);
  REQUIRE(trace);
  REQUIRE(trace->states.size() == 6);
  for (const auto& state : trace->states) {
    path.fingerprints.push_back(checker::fingerprint(state));
  }
  return path;
}

}  // namespace

TEST_SUITE("checker/replay") {
  TEST_CASE("a model that does not repeat itself is reported, not trusted") {
    const auto result = checker::check(Forgetful{});
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == dmcheck::ErrorKind::model);
    CHECK(result.error().message.find("not deterministic") != std::string::npos);
  }

  TEST_CASE("a model whose states change but whose successor counts do not is reported") {
    // Exploration expands the six states 0..5 (six calls); the seventh call onwards, which is
    // the engine's replay of the witness for "last", adds 2 per step. Every state still has
    // exactly the successors it had, so only the fingerprints tell the replay went elsewhere.
    const bool off = false;
    const auto result = checker::check(Drifting(&off, &off, 6));
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == dmcheck::ErrorKind::model);
    CHECK(result.error().message ==
          "model is not deterministic: at step 1 successor #0 (+1) differs from the state "
          "explored");
  }

  TEST_CASE("replay compares every state, the initial one too, with the explored fingerprint") {
    bool drift = false;
    bool drift_initial = false;
    const Drifting model(&drift, &drift_initial);
    const checker::Path path = recorded_path(model);
    CHECK(checker::replay(model, path));  // unchanged: the same states again

    drift = true;  // same successor counts, other states
    auto trace = checker::replay(model, path);
    REQUIRE_FALSE(trace);
    CHECK(trace.error().kind == dmcheck::ErrorKind::model);
    CHECK(trace.error().message.find("not deterministic") != std::string::npos);
    CHECK(trace.error().message.find("at step 1 successor #0 (+1) differs") != std::string::npos);

    drift = false;
    drift_initial = true;
    trace = checker::replay(model, path);
    REQUIRE_FALSE(trace);
    CHECK(trace.error().kind == dmcheck::ErrorKind::model);
    CHECK(trace.error().message ==
          "model is not deterministic: initial state #0 differs from the one explored");
  }

  TEST_CASE("replaying an explicit path gives its states") {
    const zoo::CounterRace model(100, 200);
    checker::Path path;
    path.actions = {1, 1, 0};  // +2 +2 +1
    const auto trace = checker::replay(model, path);
    REQUIRE(trace);
    REQUIRE(trace->states.size() == 4);
    CHECK(trace->states.back().value == 5);
    CHECK(trace->actions[2].step == 1);
  }

  TEST_CASE("a path that asks for a successor the state lacks is bad input") {
    checker::Path path;
    path.actions = {0, 2};
    const auto trace = checker::replay(zoo::Peterson{}, path);
    REQUIRE_FALSE(trace);
    CHECK(trace.error().kind == dmcheck::ErrorKind::bad_input);
    CHECK(trace.error().message.find("step 2") != std::string::npos);
    path = {};
    path.initial = 3;
    CHECK_FALSE(checker::replay(zoo::Peterson{}, path));
  }
}
