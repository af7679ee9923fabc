#pragma once
/// Peterson's mutual exclusion for two processes. Each process cycles
///   0 idle -> 1 flag raised -> 2 turn given away, waiting -> 3 critical -> 0 (flag lowered),
/// entering 3 only if the other's flag is down (it is idle) or the turn is its own. A flag is
/// up exactly when its process is not idle, so the state is (pc0, pc1, turn).
///
/// Known answer, derived by hand: 20 reachable states. Both in {0,1}: 4 pc pairs x 2 turns = 8.
/// One waiting (2) with the other in {0,1}: turn is the waiter's gift, 2 + 2. One critical with
/// the other in {0,1}: likewise 2 + 2. Both waiting: either turn, 2. One critical, the other
/// waiting: only with the turn against the waiter, 1 + 1. Both critical: unreachable.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "checker/model.h"

namespace dmcheck::zoo {

class Peterson {
 public:
  struct State {
    std::array<std::uint8_t, 2> pc;
    std::uint8_t turn;
  };
  struct Action {
    std::uint8_t process;
  };

  static constexpr std::uint64_t kReachableStates = 20;

  [[nodiscard]] std::vector<State> initial_states() const { return {State{{0, 0}, 0}}; }

  void successors(const State& s, checker::SuccessorSink<Action, State> emit) const {
    for (std::uint8_t i = 0; i < 2; ++i) {
      const std::uint8_t other = 1 - i;
      State n = s;
      switch (s.pc[i]) {
        case 0:
          n.pc[i] = 1;
          break;
        case 1:
          n.pc[i] = 2;
          n.turn = other;
          break;
        case 2:
          if (s.pc[other] != 0 && s.turn != i) {
            continue;  // blocked
          }
          n.pc[i] = 3;
          break;
        default:
          n.pc[i] = 0;
          break;
      }
      emit(Action{i}, n);
    }
  }

  [[nodiscard]] std::vector<checker::Property<State>> properties() const {
    return {
        checker::always<State>(
            "mutual-exclusion", [](const State& s) { return !(s.pc[0] == 3 && s.pc[1] == 3); },
            "the two processes are never both critical"),
        checker::sometimes<State>(
            "p0-critical", [](const State& s) { return s.pc[0] == 3; },
            "process 0 can enter its critical section"),
    };
  }

  [[nodiscard]] std::string describe_action(const Action& a) const {
    return "p" + std::to_string(a.process);
  }
  [[nodiscard]] std::string describe_state(const State& s) const {
    return "pc=(" + std::to_string(s.pc[0]) + "," + std::to_string(s.pc[1]) +
           ") turn=" + std::to_string(s.turn);
  }
};

static_assert(checker::Model<Peterson>);

}  // namespace dmcheck::zoo
