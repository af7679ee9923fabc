#pragma once
/// The contract between a model and the engine, as a C++20 concept.
///
/// The engine stores states by fingerprint of their bytes, so a State must be trivially copyable
/// and have no padding (every byte is part of the value). Actions are small labels. Successors
/// are enumerated in a fixed order by callback; the engine remembers the index of each successor
/// in that order and rebuilds traces by replaying, so enumeration must be deterministic.

#include <concepts>
#include <cstddef>
#include <string>
#include <type_traits>
#include <vector>

#include "checker/function_ref.h"
#include "checker/property.h"

namespace dmcheck::checker {

/// A state whose bytes are its value: hashing them is sound.
template <class S>
concept HashableState =
    std::is_trivially_copyable_v<S> && std::has_unique_object_representations_v<S>;

template <class Action, class State>
using SuccessorSink = FunctionRef<void(const Action&, const State&)>;

template <class M>
concept Model = HashableState<typename M::State> && std::copyable<typename M::Action> &&
    requires(const M& m, const typename M::State& s, const typename M::Action& a,
             SuccessorSink<typename M::Action, typename M::State> sink) {
  { m.initial_states() } -> std::convertible_to<std::vector<typename M::State>>;
  { m.successors(s, sink) } -> std::same_as<void>;
  { m.properties() } -> std::convertible_to<std::vector<Property<typename M::State>>>;
  { m.describe_action(a) } -> std::convertible_to<std::string>;
  { m.describe_state(s) } -> std::convertible_to<std::string>;
};

/// Optional: a model may declare states with no successors to be proper ends (like SPIN's valid
/// end states); such states are not deadlocks.
template <class M>
concept HasFinalStates = requires(const M& m, const typename M::State& s) {
  { m.is_final(s) } -> std::convertible_to<bool>;
};

/// Optional: a model with fixed bounds (a byte counter, a fixed number of slots) says when a
/// state lies past one: exceeded_bound returns what was exceeded, empty within bounds. The
/// engine stops at the first such state and reports a model error with the trace reaching it,
/// so a bound is never mistaken for behaviour of the system modelled.
template <class M>
concept HasBounds = requires(const M& m, const typename M::State& s) {
  { m.exceeded_bound(s) } -> std::convertible_to<std::string>;
};

/// Optional: a model whose State keeps room a run may not use packs a state into the bytes that
/// matter (at most sizeof(State); `pack` returns how many it wrote) and unpacks them into a whole
/// State again, every byte of it written. unpack(pack(s)) must give s back byte for byte. The
/// engine then keeps waiting states packed, so the unused room costs no memory.
template <class M>
concept PacksStates = requires(const M& m, const typename M::State& s, typename M::State& out,
                               unsigned char* to, const unsigned char* from, std::size_t size) {
  { m.pack(s, to) } -> std::same_as<std::size_t>;
  { m.unpack(from, size, out) } -> std::same_as<void>;
};

/// Optional: a model whose const members are not safe to call from several threads at once (it
/// records what it is asked, in order) says so with `static constexpr bool kOneThread = true`;
/// the engine then explores it on one thread.
template <class M>
concept OneThreadOnly = M::kOneThread;

/// What bound `state` lies past, or "" (always "" for a model without bounds).
template <Model M>
std::string exceeded_bound(const M& model, const typename M::State& state) {
  if constexpr (HasBounds<M>) {
    return model.exceeded_bound(state);
  } else {
    return {};
  }
}

template <Model M>
bool is_final_state(const M& model, const typename M::State& state) {
  if constexpr (HasFinalStates<M>) {
    return model.is_final(state);
  } else {
    return false;
  }
}

}  // namespace dmcheck::checker
