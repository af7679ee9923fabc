#pragma once
/// A counter modulo `modulus` (even) that only ever adds 2: it visits exactly the modulus / 2 even
/// values, so the goal "the counter is odd" is unreachable and the invariant "the counter is
/// even" holds. A cycle with no end state, so no deadlock either.

#include <cstdint>
#include <string>
#include <vector>

#include "checker/model.h"

namespace dmcheck::zoo {

class EvenCounter {
 public:
  struct State {
    std::uint32_t value;
  };
  struct Action {
    std::uint8_t unused;
  };

  explicit EvenCounter(std::uint32_t modulus) : modulus_(modulus) {}

  [[nodiscard]] std::uint64_t reachable_states() const { return modulus_ / 2; }

  [[nodiscard]] std::vector<State> initial_states() const { return {State{0}}; }

  void successors(const State& s, checker::SuccessorSink<Action, State> emit) const {
    emit(Action{0}, State{(s.value + 2) % modulus_});
  }

  [[nodiscard]] std::vector<checker::Property<State>> properties() const {
    return {
        checker::always<State>("even", [](const State& s) { return s.value % 2 == 0; }),
        checker::sometimes<State>("odd", [](const State& s) { return s.value % 2 == 1; }),
    };
  }

  [[nodiscard]] std::string describe_action(const Action&) const { return "+2"; }
  [[nodiscard]] std::string describe_state(const State& s) const { return std::to_string(s.value); }

 private:
  std::uint32_t modulus_;
};

static_assert(checker::Model<EvenCounter>);

}  // namespace dmcheck::zoo
