#pragma once
/// Rebuilds a trace by replaying the model along a path of action indices. The engine stores
/// only fingerprints and (parent, action index), so replay is how it recovers full states; it
/// checks every replayed state against the fingerprint it recorded and fails loudly if the model
/// did not repeat itself.

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <tl/expected.hpp>
#include <vector>

#include "checker/error.h"
#include "checker/fingerprint.h"
#include "checker/fingerprint_set.h"
#include "checker/model.h"
#include "checker/result.h"
#include "checker/state_store.h"

namespace dmcheck::checker {

/// A path from the `initial`-th initial state through the `actions[i]`-th successor at each
/// step. `fingerprints`, when not empty, holds the expected fingerprint of every state on it.
/// `explored`, when set, is the visited set the path was found in: every state on it must be
/// there.
struct Path {
  std::uint32_t initial = 0;
  std::vector<std::uint32_t> actions;
  std::vector<Fingerprint> fingerprints;
  const FingerprintSet* explored = nullptr;
};

/// Whether `state`, the `index`-th on `path`, is the state explored there (always true for a
/// path that was not explored).
template <Model M>
bool as_explored(const M& model, const Path& path, std::size_t index,
                 const typename M::State& state) {
  if (!path.fingerprints.empty()) {
    return state_fingerprint(model, state) == path.fingerprints[index];
  }
  return !path.explored || path.explored->contains(state_fingerprint(model, state));
}

template <Model M>
tl::expected<Trace<M>, Error> replay(const M& model, const Path& path) {
  using State = typename M::State;
  using Action = typename M::Action;
  const auto nondeterministic = [](std::string what) {
    return tl::unexpected(Error{ErrorKind::model, "model is not deterministic: " + what, {}});
  };
  const std::vector<State> initial = model.initial_states();
  if (path.initial >= initial.size()) {
    return tl::unexpected(Error{ErrorKind::bad_input,
                                fmt::format("the path starts at initial state #{}, but the model "
                                            "has {}",
                                            path.initial, initial.size()),
                                {}});
  }
  // A path the engine explored: a state that differs from the one explored means the model
  // broke its contract. Any other path (a user's) may simply be wrong.
  const bool explored = !path.fingerprints.empty() || path.explored;
  Trace<M> trace;
  trace.initial = path.initial;
  trace.successors = path.actions;
  trace.states.push_back(initial[path.initial]);
  if (!as_explored(model, path, 0, trace.states.back())) {
    return nondeterministic(
        fmt::format("initial state #{} differs from the one explored", path.initial));
  }
  for (std::size_t step = 0; step < path.actions.size(); ++step) {
    const std::uint32_t wanted = path.actions[step];
    std::uint32_t index = 0;
    std::optional<Action> action;
    State next{};
    model.successors(trace.states.back(), [&](const Action& a, const State& s) {
      if (index++ == wanted) {
        action = a;
        next = s;
      }
    });
    if (!action) {
      if (!explored) {
        return tl::unexpected(
            Error{ErrorKind::bad_input,
                  fmt::format("step {} of the path takes successor #{}, but the state has only {}",
                              step + 1, wanted, index),
                  {}});
      }
      return nondeterministic(
          fmt::format("at step {} the state now has {} successors, but successor #{} was explored",
                      step + 1, index, wanted));
    }
    if (!as_explored(model, path, step + 1, next)) {
      return nondeterministic(
          fmt::format("at step {} successor #{} ({}) differs from the state explored", step + 1,
                      wanted, std::string(model.describe_action(*action))));
    }
    trace.actions.push_back(*action);
    trace.states.push_back(next);
  }
  return trace;
}

/// The path the store recorded to `target`, with the fingerprints to check it against.
inline Path stored_path(const StateStore& store, StateStore::Id target) {
  Path path;
  StateStore::Id id = target;
  while (store.parent(id) != StateStore::kNoParent) {
    path.actions.push_back(store.action(id));
    path.fingerprints.push_back(store.fingerprint(id));
    id = store.parent(id);
  }
  path.initial = store.action(id);
  path.fingerprints.push_back(store.fingerprint(id));
  std::reverse(path.actions.begin(), path.actions.end());
  std::reverse(path.fingerprints.begin(), path.fingerprints.end());
  return path;
}

}  // namespace dmcheck::checker
