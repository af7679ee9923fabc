#pragma once
/// A model whose states also remember what every actor's calls returned, in order: two paths
/// that end in the same model state but saw different results stay apart. This is what
/// "every outcome of a race" needs, since a model's state keeps only what later steps read.
///
/// The history is bounded (Calls results per actor); a state past the bound is refused through
/// HasBounds, never cut short. States with no successors are the run's end states; the wrapper
/// collects each one once (every state is expanded once), for the caller to read after the run.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "checker/fingerprint.h"
#include "checker/model.h"

namespace dmcheck::checker {

/// What one transition of an actor's call returned: the actor and the model's result.
template <class Result>
struct ActorResult {
  std::size_t actor = 0;
  Result result{};
};

/// A model that says which transitions complete a call, and what the call returned.
template <class M>
concept HasCallResults = requires(const M& m, const typename M::Action& a) {
  typename M::CallResult;
  { m.call_result(a) } -> std::same_as<std::optional<ActorResult<typename M::CallResult>>>;
};

template <Model M, std::size_t Actors, std::size_t Calls>
requires HasCallResults<M>
class WithCallHistory {
 public:
  using Result = typename M::CallResult;
  using Action = typename M::Action;
  static_assert(alignof(Result) == 1, "results are stored as bytes");
  static_assert(Calls <= 255 && Actors <= 255);
  /// The end states are collected as they are met.
  static constexpr bool kOneThread = true;

  struct History {
    std::array<std::array<Result, Calls>, Actors> results;
    std::array<std::uint8_t, Actors> counts;  ///< results recorded per actor
    std::uint8_t overflow;                    ///< actor + 1 that completed a call past Calls
    std::uint8_t spare;                       ///< always zero: keeps the size even
  };
  struct State {
    typename M::State inner;
    History history;
  };
  static_assert(HashableState<State>, "the history must add no padding to the model's state");

  explicit WithCallHistory(const M& inner) : inner_(inner) {}

  [[nodiscard]] std::vector<State> initial_states() const {
    std::vector<State> out;
    for (const auto& s : inner_.initial_states()) {
      State w{};
      w.inner = s;
      out.push_back(w);
    }
    return out;
  }

  void successors(const State& s, SuccessorSink<Action, State> emit) const {
    bool any = false;
    inner_.successors(s.inner, [&](const Action& a, const typename M::State& n) {
      State w;
      w.inner = n;
      w.history = s.history;
      if (const auto done = inner_.call_result(a); done && w.history.overflow == 0) {
        record(w.history, *done);
      }
      any = true;
      emit(a, w);
    });
    if (!any) {
      ends_.push_back(s);
    }
  }

  [[nodiscard]] std::vector<Property<State>> properties() const { return {}; }
  [[nodiscard]] std::string describe_action(const Action& a) const {
    return inner_.describe_action(a);
  }
  [[nodiscard]] std::string describe_state(const State& s) const {
    return inner_.describe_state(s.inner);
  }
  [[nodiscard]] bool is_final(const State& s) const { return is_final_state(inner_, s.inner); }
  /// The inner state's fingerprint (the model's own, when it has one) chained with the history.
  [[nodiscard]] Fingerprint fingerprint(const State& s) const {
    return fingerprint_bytes(&s.history, sizeof(History), state_fingerprint(inner_, s.inner));
  }
  [[nodiscard]] std::string exceeded_bound(const State& s) const {
    if (s.history.overflow != 0) {
      return "actor " + std::to_string(s.history.overflow - 1) + " completed more than " +
             std::to_string(Calls) + " calls, the most an outcome records per actor";
    }
    return checker::exceeded_bound(inner_, s.inner);
  }

  /// The states with no successors met so far, each once, in the order they were expanded.
  [[nodiscard]] const std::vector<State>& ends() const { return ends_; }

 private:
  static void record(History& h, const ActorResult<Result>& done) {
    if (done.actor >= Actors || h.counts[done.actor] == Calls) {
      h.overflow = static_cast<std::uint8_t>(std::min<std::size_t>(done.actor + 1, 255));
      return;
    }
    h.results[done.actor][h.counts[done.actor]++] = done.result;
  }

  const M& inner_;
  mutable std::vector<State> ends_;  // collecting end states changes nothing the engine sees
};

}  // namespace dmcheck::checker
