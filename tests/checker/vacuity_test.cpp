// An invariant "A implies B" whose A never held in an explored state holds only vacuously: the
// engine records the premise and says so, and never on a run that could not decide.

#include <doctest/doctest.h>

#include "checker/check.h"

namespace checker = dmcheck::checker;
using checker::Verdict;

namespace {

/// Counts from 0 to 9 and stops there (a final state).
struct Count {
  struct State {
    std::uint32_t value;
  };
  struct Action {
    std::uint8_t unused;
  };
  [[nodiscard]] std::vector<State> initial_states() const { return {State{0}}; }
  void successors(const State& s, checker::SuccessorSink<Action, State> emit) const {
    if (s.value < 9) {
      emit(Action{0}, State{s.value + 1});
    }
  }
  [[nodiscard]] bool is_final(const State& s) const { return s.value == 9; }
  [[nodiscard]] std::vector<checker::Property<State>> properties() const {
    auto with_premise = [](std::string name, std::uint32_t premise_at, std::uint32_t bad_at) {
      auto p = checker::always<State>(std::move(name),
                                      [bad_at](const State& s) { return s.value != bad_at; });
      p.antecedent = [premise_at](const State& s) { return s.value == premise_at; };
      p.antecedent_meaning = "the counter reached " + std::to_string(premise_at);
      return p;
    };
    return {
        with_premise("premise-never", 20, 30),    // A never, B always: vacuous
        with_premise("premise-at-end", 9, 30),    // A in the last state only: holds
        with_premise("premise-violated", 20, 5),  // B fails even though A never held
        checker::always<State>("no-premise", [](const State&) { return true; }),
    };
  }
  [[nodiscard]] std::string describe_action(const Action&) const { return "+1"; }
  [[nodiscard]] std::string describe_state(const State& s) const { return std::to_string(s.value); }
};

static_assert(checker::Model<Count>);

}  // namespace

TEST_SUITE("checker/vacuity") {
  TEST_CASE("a premise that never holds makes the invariant hold vacuously, under every strategy") {
    for (const auto strategy : {checker::Strategy::bfs, checker::Strategy::dfs}) {
      checker::Options options;
      options.strategy = strategy;
      const auto result = checker::check(Count{}, options);
      REQUIRE(result);
      REQUIRE(result->complete());
      CHECK(result->find("premise-never")->verdict == Verdict::holds_vacuously);
      CHECK(result->find("premise-never")->antecedent == "the counter reached 20");
      CHECK(result->find("premise-at-end")->verdict == Verdict::holds);
      CHECK(result->find("premise-violated")->verdict == Verdict::violated);
      CHECK(result->find("no-premise")->verdict == Verdict::holds);
      CHECK(result->find("no-premise")->antecedent.empty());
    }
  }

  TEST_CASE("a run stopped early decides nothing, vacuous or not") {
    checker::Options options;
    options.max_states = 5;
    const auto result = checker::check(Count{}, options);
    REQUIRE(result);
    CHECK_FALSE(result->complete());
    CHECK(result->find("premise-never")->verdict == Verdict::unknown);
    CHECK(result->find("premise-at-end")->verdict == Verdict::unknown);
  }

  TEST_CASE("the verdict's name") {
    CHECK(checker::to_string(Verdict::holds_vacuously) == "holds vacuously");
  }
}
