#pragma once
/// Workers that mostly keep to themselves: each takes `steps` private steps (its own counter,
/// which nothing else reads), then publishes once by adding 1 to a shared total. Private steps
/// of different workers commute and no property reads them, so a partial-order reduction may
/// take them in one order; the publishes touch the shared total and stay interleaved. All
/// (steps + 2)^workers states are reachable; the properties read the total only:
/// - "total-below-all" (always total < workers) is violated once every worker has published;
/// - "half-published" (sometimes total == workers / 2) is reached.
/// With `looping`, worker 0 never publishes: its private steps go round a cycle, which a
/// reduction must not follow forever while the others wait (the ignoring problem).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/model.h"
#include "checker/partial_order.h"

namespace dmcheck::zoo {

class PrivateWork {
 public:
  static constexpr std::size_t kMaxWorkers = 8;
  struct State {
    std::array<std::uint8_t, kMaxWorkers> pc;  ///< 0..steps private, steps + 1 published
    std::uint8_t total;
  };
  struct Action {
    std::uint8_t worker;
    bool publish;
  };

  PrivateWork(std::uint8_t workers, std::uint8_t steps, bool looping = false)
      : workers_(workers), steps_(steps), looping_(looping) {}

  [[nodiscard]] std::vector<State> initial_states() const { return {State{}}; }

  void successors(const State& s, checker::SuccessorSink<Action, State> emit) const {
    for (std::uint8_t w = 0; w < workers_; ++w) {
      State n = s;
      if (looping_ && w == 0) {
        n.pc[0] = static_cast<std::uint8_t>((s.pc[0] + 1) % (steps_ + 1));
        emit(Action{w, false}, n);
      } else if (s.pc[w] < steps_) {
        ++n.pc[w];
        emit(Action{w, false}, n);
      } else if (s.pc[w] == steps_) {
        ++n.pc[w];
        ++n.total;
        emit(Action{w, true}, n);
      }
    }
  }

  [[nodiscard]] bool is_final(const State& s) const { return s.total == workers_; }

  /// Who moves.
  [[nodiscard]] std::uint32_t actor_of(const Action& a) const { return a.worker; }
  /// The first worker with a private step to take: it touches only its own counter, which no
  /// other worker and no property reads, so its step commutes with every other and changes no
  /// property's value.
  [[nodiscard]] std::optional<std::uint32_t> ample_actor(const State& s) const {
    for (std::uint8_t w = 0; w < workers_; ++w) {
      if ((looping_ && w == 0) || s.pc[w] < steps_) {
        return w;
      }
    }
    return std::nullopt;
  }

  [[nodiscard]] std::vector<checker::Property<State>> properties() const {
    const std::uint8_t all = workers_;
    return {
        checker::always<State>("total-below-all", [all](const State& s) { return s.total < all; }),
        checker::sometimes<State>("half-published",
                                  [all](const State& s) { return s.total == all / 2; })};
  }

  [[nodiscard]] std::string describe_action(const Action& a) const {
    return "worker " + std::to_string(a.worker) + (a.publish ? " publishes" : " steps");
  }
  [[nodiscard]] std::string describe_state(const State& s) const {
    std::string text;
    for (std::uint8_t w = 0; w < workers_; ++w) {
      text += std::to_string(s.pc[w]) + " ";
    }
    return text + "total " + std::to_string(s.total);
  }

 private:
  std::uint8_t workers_;
  std::uint8_t steps_;
  bool looping_;
};

static_assert(checker::Model<PrivateWork>);
static_assert(checker::HasAmpleSets<PrivateWork>);

}  // namespace dmcheck::zoo
