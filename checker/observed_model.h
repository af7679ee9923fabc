#pragma once
/// A model seen through an observer: it behaves exactly like the model it wraps, and tells the
/// observer of every state expanded and every action generated. This is how a caller learns
/// what an exploration did (which steps fired, when to interrupt) without the engine knowing.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "checker/fingerprint.h"
#include "checker/model.h"

namespace dmcheck::checker {

template <class Observer>
concept ThreadSafeObserver = Observer::kThreadSafe;

/// `Observer` has `void expanding(const State&)` and `void generated(const Action&)`. Unless it
/// declares `static constexpr bool kThreadSafe = true` (it may be told from several threads at
/// once, and what it learns does not depend on the order), the model is explored on one thread.
template <Model M, class Observer>
class ObservedModel {
 public:
  using State = typename M::State;
  using Action = typename M::Action;

  static constexpr bool kOneThread = !ThreadSafeObserver<Observer>;

  ObservedModel(M inner, Observer observer)
      : inner_(std::move(inner)), observer_(std::move(observer)) {}

  [[nodiscard]] std::vector<State> initial_states() const { return inner_.initial_states(); }
  void successors(const State& s, SuccessorSink<Action, State> emit) const {
    observer_.expanding(s);
    inner_.successors(s, [&](const Action& a, const State& n) {
      observer_.generated(a);
      emit(a, n);
    });
  }
  [[nodiscard]] std::vector<Property<State>> properties() const { return inner_.properties(); }
  [[nodiscard]] std::string describe_action(const Action& a) const {
    return inner_.describe_action(a);
  }
  [[nodiscard]] std::string describe_state(const State& s) const {
    return inner_.describe_state(s);
  }
  [[nodiscard]] bool is_final(const State& s) const { return is_final_state(inner_, s); }
  /// The inner model's fingerprint (its own, when it has one): observing changes no state.
  [[nodiscard]] Fingerprint fingerprint(const State& s) const {
    return state_fingerprint(inner_, s);
  }
  /// The inner model's packing, when it packs its states.
  [[nodiscard]] std::size_t pack(const State& s, unsigned char* to) const requires PacksStates<M> {
    return inner_.pack(s, to);
  }
  void unpack(const unsigned char* from, std::size_t size,
              State& out) const requires PacksStates<M> {
    inner_.unpack(from, size, out);
  }
  /// The inner model's bounds still apply when it is observed.
  [[nodiscard]] std::string exceeded_bound(const State& s) const {
    return checker::exceeded_bound(inner_, s);
  }

  [[nodiscard]] const M& inner() const { return inner_; }
  [[nodiscard]] const Observer& observer() const { return observer_; }

 private:
  M inner_;
  mutable Observer observer_;  // observing changes nothing the engine sees
};

}  // namespace dmcheck::checker
