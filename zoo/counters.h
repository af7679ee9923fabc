#pragma once
/// The benchmark model: `width` independent counters, each modulo `modulus`; any counter may
/// step forward. Every combination is reachable, so the count is modulus^width exactly (8
/// counters modulo 8: 16,777,216 states and 8 transitions per state). Declared interchangeable,
/// the counters are a symmetry: a state's representative has its values sorted, and the
/// representatives are the multisets, C(width + modulus - 1, width) of them.

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "checker/model.h"

namespace dmcheck::zoo {

class Counters {
 public:
  static constexpr std::size_t kMaxWidth = 16;
  struct State {
    std::array<std::uint8_t, kMaxWidth> value;
  };
  struct Action {
    std::uint8_t counter;
  };

  Counters(std::uint8_t width, std::uint8_t modulus, bool interchangeable = false)
      : width_(width), modulus_(modulus), interchangeable_(interchangeable) {}

  [[nodiscard]] std::uint64_t reachable_states() const {
    std::uint64_t n = 1;
    for (std::uint8_t i = 0; i < width_; ++i) {
      n *= modulus_;
    }
    return n;
  }

  [[nodiscard]] std::vector<State> initial_states() const { return {State{}}; }

  [[nodiscard]] bool symmetric() const { return interchangeable_; }
  void canonicalize(State& s) const {  // insertion sort: a few values
    for (std::size_t i = 1; i < width_ && i < kMaxWidth; ++i) {
      for (std::size_t j = i; j > 0 && s.value[j - 1] > s.value[j]; --j) {
        std::swap(s.value[j - 1], s.value[j]);
      }
    }
  }

  void successors(const State& s, checker::SuccessorSink<Action, State> emit) const {
    for (std::uint8_t i = 0; i < width_; ++i) {
      State n = s;
      n.value[i] = static_cast<std::uint8_t>((s.value[i] + 1) % modulus_);
      emit(Action{i}, n);
    }
  }

  [[nodiscard]] std::vector<checker::Property<State>> properties() const {
    const std::uint8_t width = width_;
    const std::uint8_t top = modulus_ - 1;
    return {checker::sometimes<State>("all-at-top", [width, top](const State& s) {
      for (std::uint8_t i = 0; i < width; ++i) {
        if (s.value[i] != top) {
          return false;
        }
      }
      return true;
    })};
  }

  [[nodiscard]] std::string describe_action(const Action& a) const {
    return "step " + std::to_string(a.counter);
  }
  [[nodiscard]] std::string describe_state(const State& s) const {
    std::string text;
    for (std::uint8_t i = 0; i < width_; ++i) {
      text += (i ? " " : "") + std::to_string(s.value[i]);
    }
    return text;
  }

 private:
  std::uint8_t width_;
  std::uint8_t modulus_;
  bool interchangeable_;
};

static_assert(checker::Model<Counters>);

}  // namespace dmcheck::zoo
