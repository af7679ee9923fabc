#pragma once
/// A model seen through an observer: it behaves exactly like the model it wraps, and tells the
/// observer of every state expanded and every action generated. This is how a caller learns
/// what an exploration did (which steps fired, when to interrupt) without the engine knowing.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "checker/forwarding_model.h"
#include "checker/model.h"
#include "checker/partial_order.h"
#include "checker/symmetry.h"

namespace dmcheck::checker {

template <class Observer>
concept ThreadSafeObserver = Observer::kThreadSafe;

/// `Observer` has `void expanding(const State&)` and `void generated(const Action&)`. Unless it
/// declares `static constexpr bool kThreadSafe = true` (it may be told from several threads at
/// once, and what it learns does not depend on the order), the model is explored on one thread.
template <Model M, class Observer>
class ObservedModel : public ForwardingModel<ObservedModel<M, Observer>, M> {
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
  /// The inner model's symmetry, when it has interchangeable actors: observing breaks none.
  [[nodiscard]] bool symmetric() const requires HasSymmetry<M> { return inner_.symmetric(); }
  void canonicalize(State& s) const requires HasSymmetry<M> { inner_.canonicalize(s); }
  /// The inner model's ample sets (partial_order.h): observing breaks no independence.
  [[nodiscard]] std::uint32_t actor_of(const Action& a) const requires HasAmpleSets<M> {
    return inner_.actor_of(a);
  }
  [[nodiscard]] std::optional<std::uint32_t> ample_actor(const State& s) const requires
      HasAmpleSets<M> {
    return inner_.ample_actor(s);
  }
  [[nodiscard]] const M& inner() const { return inner_; }
  [[nodiscard]] const Observer& observer() const { return observer_; }

 private:
  M inner_;
  mutable Observer observer_;  // observing changes nothing the engine sees
};

}  // namespace dmcheck::checker
