#pragma once
/// Test helper: checks a trace against the model independently of the engine's replay — it
/// starts at an initial state and every step is one of the model's successors.

#include <cstring>

#include "checker/model.h"
#include "checker/result.h"

namespace dmcheck::testing {

template <class S>
bool same_bytes(const S& a, const S& b) {
  return std::memcmp(&a, &b, sizeof(S)) == 0;
}

template <checker::Model M>
bool is_valid_trace(const M& model, const checker::Trace<M>& trace) {
  using State = typename M::State;
  using Action = typename M::Action;
  if (trace.states.size() != trace.actions.size() + 1) {
    return false;
  }
  bool initial = false;
  for (const State& s : model.initial_states()) {
    initial = initial || same_bytes(s, trace.states[0]);
  }
  if (!initial) {
    return false;
  }
  for (std::size_t i = 0; i < trace.actions.size(); ++i) {
    bool found = false;
    model.successors(trace.states[i], [&](const Action& a, const State& s) {
      found = found || (same_bytes(a, trace.actions[i]) && same_bytes(s, trace.states[i + 1]));
    });
    if (!found) {
      return false;
    }
  }
  return true;
}

}  // namespace dmcheck::testing
