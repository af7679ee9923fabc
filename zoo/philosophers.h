#pragma once
/// N dining philosophers who each take the left fork, then the right, then put both down.
/// Known answer: the only deadlock is every philosopher holding a left fork, first reachable
/// after exactly N steps (each takes a left fork once). Proof: a philosopher holding both forks
/// can always put them down; the N forks are then all held by one-fork holders, so all N hold
/// exactly their left fork.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "checker/model.h"

namespace dmcheck::zoo {

class Philosophers {
 public:
  static constexpr std::size_t kMax = 24;
  struct State {
    std::array<std::uint8_t, kMax> holds;  ///< forks held by each philosopher: 0, 1 (left), 2
  };
  struct Action {
    std::uint8_t philosopher;
  };

  explicit Philosophers(std::uint8_t count) : count_(count) {}

  [[nodiscard]] std::vector<State> initial_states() const { return {State{}}; }

  void successors(const State& s, checker::SuccessorSink<Action, State> emit) const {
    for (std::uint8_t i = 0; i < count_; ++i) {
      State n = s;
      const std::uint8_t left_neighbour = (i + count_ - 1) % count_;  // shares our left fork
      const std::uint8_t right_neighbour = (i + 1) % count_;          // shares our right fork
      switch (s.holds[i]) {
        case 0:  // our left fork is the right fork of the left neighbour
          if (s.holds[left_neighbour] == 2) {
            continue;
          }
          n.holds[i] = 1;
          break;
        case 1:  // our right fork is the left fork of the right neighbour
          if (s.holds[right_neighbour] != 0) {
            continue;
          }
          n.holds[i] = 2;
          break;
        default:
          n.holds[i] = 0;
          break;
      }
      emit(Action{i}, n);
    }
  }

  [[nodiscard]] std::vector<checker::Property<State>> properties() const { return {}; }

  [[nodiscard]] std::string describe_action(const Action& a) const {
    return "philosopher " + std::to_string(a.philosopher);
  }
  [[nodiscard]] std::string describe_state(const State& s) const {
    std::string text;
    for (std::uint8_t i = 0; i < count_; ++i) {
      text += std::to_string(s.holds[i]);
    }
    return text;
  }

 private:
  std::uint8_t count_;
};

static_assert(checker::Model<Philosophers>);

}  // namespace dmcheck::zoo
