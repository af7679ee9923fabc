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

}  // namespace

TEST_SUITE("checker/replay") {
  TEST_CASE("a model that does not repeat itself is reported, not trusted") {
    const auto result = checker::check(Forgetful{});
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == dmcheck::ErrorKind::model);
    CHECK(result.error().message.find("not deterministic") != std::string::npos);
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
