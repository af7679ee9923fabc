#pragma once
/// A state as the bytes the engine keeps while it waits to be expanded: the model's packed form
/// when it packs its states (PacksStates), else the whole State. Its fingerprint is the one the
/// visited set stores (state_fingerprint).

#include <cstddef>
#include <cstring>

#include "checker/fingerprint.h"
#include "checker/model.h"

namespace dmcheck::checker {

/// Writes `state`'s kept bytes to `to` (room for sizeof(State)); returns how many.
template <Model M>
std::size_t keep_bytes(const M& model, const typename M::State& state, unsigned char* to) {
  if constexpr (PacksStates<M>) {
    return model.pack(state, to);
  } else {
    std::memcpy(to, &state, sizeof state);
    return sizeof state;
  }
}

/// The fingerprint of a state whose kept bytes are `bytes`.
template <Model M>
Fingerprint kept_fingerprint(const M& model, const typename M::State& state,
                             const unsigned char* bytes, std::size_t size) {
  if constexpr (PacksStates<M>) {
    return fingerprint_bytes(bytes, size);
  } else {
    return state_fingerprint(model, state);
  }
}

/// The state whose kept bytes are `bytes`.
template <Model M>
void restore_state(const M& model, const unsigned char* bytes, std::size_t size,
                   typename M::State& out) {
  if constexpr (PacksStates<M>) {
    model.unpack(bytes, size, out);
  } else {
    std::memcpy(&out, bytes, sizeof out);
  }
}

}  // namespace dmcheck::checker
