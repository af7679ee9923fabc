#pragma once
/// Partial-order reduction. Moves of different actors that touch nothing in common commute:
/// taking them in one order or the other ends in the same state, so exploring every order only
/// repeats itself. A model that knows its actors' footprints names, in a state, one actor whose
/// moves can be explored alone there (an ample set); the breadth-first search then expands the
/// state by that actor's moves only.
///
/// What the model promises for the actor it names in state s (Clarke, Grumberg and Peled's
/// conditions C1 and C2; Godefroid's persistent sets):
/// - persistent: along any path from s on which that actor does not move, every move of the
///   other actors is independent of the actor's moves in s — it neither enables nor disables
///   them, and the two orders end in the same state;
/// - invisible: none of the actor's moves in s, nor in any state such a path reaches, changes
///   the value of a property, makes a state final or not, or passes a bound.
/// The engine adds the rest: the actor must have a move in s (C0), and the cycle proviso (C3):
/// a state whose ample moves lead to a state of an earlier level or of its own is expanded in
/// full. In a breadth-first search that suffices: on any cycle of the reduced graph, the state
/// at the deepest level has its successor on the cycle at a level no deeper, so it is expanded
/// in full, and no move stays ignored around a cycle. Since the levels before the one being
/// expanded are settled before it starts, the proviso reads the same on any number of threads.
///
/// Then every deadlock of the full space is reached, and every property violated or goal
/// reached in the full space is so in the reduced one, with a trace of the model's own moves
/// that replays as any other. Traces may be longer than the shortest of the full space, since
/// only some orders of the moves are explored.

#include <concepts>
#include <cstdint>
#include <optional>

#include "checker/model.h"
#include "checker/options.h"

namespace dmcheck::checker {

/// Optional: a model that names ample actors. `actor_of(a)` says which actor moves in action
/// `a`; `ample_actor(s)` names an actor whose moves in `s` meet the conditions above, or none.
template <class M>
concept HasAmpleSets = requires(const M& m, const typename M::State& s,
                                const typename M::Action& a) {
  { m.actor_of(a) } -> std::convertible_to<std::uint32_t>;
  { m.ample_actor(s) } -> std::convertible_to<std::optional<std::uint32_t>>;
};

/// Whether a run of `M` with `options` reduces partial orders.
template <Model M>
constexpr bool reduces_partial_order(const Options& options) {
  if constexpr (HasAmpleSets<M>) {
    return options.reduction == Reduction::por || options.reduction == Reduction::all;
  } else {
    return false;
  }
}

}  // namespace dmcheck::checker
