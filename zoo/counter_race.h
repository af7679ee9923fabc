#pragma once
/// A counter from 0 to `limit`, stepped by +1 or +2 (in that order). The invariant "never equals
/// `target`" is violated by many paths; the shortest takes ceil(target / 2) steps (all +2) while
/// the all-+1 path takes `target` steps, so only BFS is guaranteed to report the short one.
/// The goal "reaches `limit`" is reachable; at `limit` the counter stops (a final state).

#include <cstdint>
#include <string>
#include <vector>

#include "checker/model.h"

namespace dmcheck::zoo {

class CounterRace {
 public:
  struct State {
    std::uint32_t value;
  };
  struct Action {
    std::uint8_t step;
  };

  CounterRace(std::uint32_t target, std::uint32_t limit) : target_(target), limit_(limit) {}

  [[nodiscard]] std::uint32_t shortest_violation() const { return (target_ + 1) / 2; }

  [[nodiscard]] std::vector<State> initial_states() const { return {State{0}}; }

  void successors(const State& s, checker::SuccessorSink<Action, State> emit) const {
    for (std::uint8_t step = 1; step <= 2; ++step) {
      if (s.value + step <= limit_) {
        emit(Action{step}, State{s.value + step});
      }
    }
  }

  [[nodiscard]] bool is_final(const State& s) const { return s.value == limit_; }

  [[nodiscard]] std::vector<checker::Property<State>> properties() const {
    const std::uint32_t target = target_;
    const std::uint32_t limit = limit_;
    return {
        checker::always<State>("never-target",
                               [target](const State& s) { return s.value != target; }),
        checker::sometimes<State>("reaches-limit",
                                  [limit](const State& s) { return s.value == limit; }),
    };
  }

  [[nodiscard]] std::string describe_action(const Action& a) const {
    return "+" + std::to_string(a.step);
  }
  [[nodiscard]] std::string describe_state(const State& s) const { return std::to_string(s.value); }

 private:
  std::uint32_t target_;
  std::uint32_t limit_;
};

static_assert(checker::Model<CounterRace>);

}  // namespace dmcheck::zoo
