#pragma once
/// Symmetry reduction. A model whose actors include interchangeable ones (the same program, no
/// behaviour tied to which one is which) maps every state to one representative of its orbit,
/// the states that differ only by a permutation of those actors. The engine then explores the
/// representatives alone: a property that treats the interchangeable actors alike holds in a
/// state exactly when it holds in its representative, and a state is reachable in n steps
/// exactly when its representative is, so verdicts and the lengths of shortest traces are those
/// of the full space (Emerson and Sistla; Ip and Dill, Murphi's scalarsets).
///
/// Traces stay concrete: a trace found among representatives is walked again from the model's
/// own initial state, taking at each step the first successor whose representative is the next
/// one explored. Every step of the result is a step of the model itself.

#include <fmt/format.h>

#include <cstring>
#include <optional>
#include <string>
#include <tl/expected.hpp>
#include <utility>
#include <vector>

#include "checker/error.h"
#include "checker/forwarding_model.h"
#include "checker/model.h"
#include "checker/result.h"

namespace dmcheck::checker {

/// Optional: a model with interchangeable actors. `symmetric()` says whether this instance has
/// any; `canonicalize(s)` rewrites `s` into the representative of its orbit, a permutation of
/// `s` that is the same for every state of the orbit (the same for s and any permutation of it,
/// or at least for enough of them that the reduction pays; it must never leave the orbit).
template <class M>
concept HasSymmetry = requires(const M& m, typename M::State& s) {
  { m.symmetric() } -> std::convertible_to<bool>;
  { m.canonicalize(s) } -> std::same_as<void>;
};

/// The model of the representatives: `inner`'s states, each mapped to its representative.
template <Model M>
requires HasSymmetry<M>
class SymmetryReduced : public ForwardingModel<SymmetryReduced<M>, M> {
 public:
  using State = typename M::State;
  using Action = typename M::Action;

  static constexpr bool kOneThread = OneThreadOnly<M>;

  explicit SymmetryReduced(const M& inner) : inner_(inner) {}

  [[nodiscard]] std::vector<State> initial_states() const {
    std::vector<State> states = inner_.initial_states();
    for (State& s : states) {
      inner_.canonicalize(s);
    }
    return states;
  }
  void successors(const State& s, SuccessorSink<Action, State> emit) const {
    inner_.successors(s, [&](const Action& a, const State& n) {
      State representative = n;
      inner_.canonicalize(representative);
      emit(a, representative);
    });
  }
  [[nodiscard]] const M& inner() const { return inner_; }

 private:
  const M& inner_;
};

/// The concrete trace of `model` that follows `found`, a trace among representatives.
template <Model M, class Reduced>
tl::expected<Trace<M>, Error> concrete_trace(const M& model, const Trace<Reduced>& found) {
  using State = typename M::State;
  using Action = typename M::Action;
  Trace<M> trace;
  trace.initial = found.initial;
  trace.states.push_back(model.initial_states().at(found.initial));
  for (std::size_t step = 0; step + 1 < found.states.size(); ++step) {
    const State& wanted = found.states[step + 1];
    std::uint32_t index = 0;
    std::optional<std::uint32_t> taken;
    std::optional<Action> action;
    State next{};
    model.successors(trace.states.back(), [&](const Action& a, const State& n) {
      if (!taken) {
        State representative = n;
        model.canonicalize(representative);
        if (std::memcmp(&representative, &wanted, sizeof(State)) == 0) {
          taken = index;
          action = a;
          next = n;
        }
      }
      ++index;
    });
    if (!taken) {
      return tl::unexpected(
          Error{ErrorKind::model,
                fmt::format("model is not symmetric: at step {} of a trace no successor of the "
                            "concrete state has the representative explored there",
                            step + 1),
                {}});
    }
    trace.actions.push_back(*action);
    trace.successors.push_back(*taken);
    trace.states.push_back(next);
  }
  return trace;
}

/// `found`, a run of the representatives, as a run of `model`: the same verdicts and
/// statistics, each trace made concrete.
template <Model M, class Reduced>
tl::expected<RunResult<M>, Error> concrete_result(const M& model, RunResult<Reduced>&& found) {
  RunResult<M> result{found.strategy, found.stop, found.stats, {}};
  result.stats.reduction = Reduction::symmetry;
  for (PropertyResult<Reduced>& p : found.properties) {
    std::optional<Trace<M>> trace;
    if (p.trace) {
      auto concrete = concrete_trace(model, *p.trace);
      if (!concrete) {
        return tl::unexpected(std::move(concrete.error()));
      }
      trace = std::move(*concrete);
    }
    result.properties.push_back({std::move(p.name), p.kind, std::move(p.meaning), p.verdict,
                                 std::move(trace), std::move(p.antecedent)});
  }
  return result;
}

/// Whether a run of `model` with `options` explores representatives only.
template <Model M>
bool reduces_symmetry(const M& model, const Options& options) {
  if constexpr (HasSymmetry<M>) {
    return (options.reduction == Reduction::symmetry || options.reduction == Reduction::all) &&
           model.symmetric();
  } else {
    return false;
  }
}

}  // namespace dmcheck::checker
