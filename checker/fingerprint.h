#pragma once
/// Stable 64-bit state fingerprints: XXH3 over the state's bytes with a fixed seed, so the same
/// state has the same fingerprint in every run, on every machine of the same byte order.
///
/// A model whose State has room it does not use (slots for more actors than a run has) may hash
/// only the bytes that can differ (HasOwnFingerprint), so that the unused room costs no hashing.

// Header-only: the hash inlines into the engine's hot loop.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <concepts>
#include <cstddef>
#include <cstdint>

#include "checker/model.h"

namespace dmcheck::checker {

using Fingerprint = std::uint64_t;

inline constexpr std::uint64_t kFingerprintSeed = 0x646d636865636bULL;  // "dmcheck"

/// The fingerprint of `size` bytes: what a model's own fingerprint hashes its significant bytes
/// with, so it has the same quality and stability as the default. A `seed` other than the fixed
/// one chains pieces: the fingerprint of one piece seeds the next.
inline Fingerprint fingerprint_bytes(const void* data, std::size_t size,
                                     Fingerprint seed = kFingerprintSeed) {
  return XXH3_64bits_withSeed(data, size, seed);
}

/// The default fingerprint: every byte of the state.
template <HashableState S>
Fingerprint fingerprint(const S& state) {
  return fingerprint_bytes(&state, sizeof(S));
}

/// Optional: a model computes its states' fingerprints itself, typically over the bytes a run can
/// change only. It must be a function of the state's bytes (equal states, equal fingerprints;
/// deterministic across runs), and the bytes it leaves out must be equal in every state the model
/// reaches (zero, say), so that distinct states still differ in what is hashed.
template <class M>
concept HasOwnFingerprint = requires(const M& m, const typename M::State& s) {
  { m.fingerprint(s) } -> std::same_as<Fingerprint>;
};

/// The fingerprint the engine stores for `state`: that of its packed bytes when the model packs
/// its states (PacksStates), else the model's own when it has one, else that of every byte.
template <Model M>
Fingerprint state_fingerprint(const M& model, const typename M::State& state) {
  if constexpr (PacksStates<M>) {
    unsigned char packed[sizeof(state)];
    return fingerprint_bytes(packed, model.pack(state, packed));
  } else if constexpr (HasOwnFingerprint<M>) {
    return model.fingerprint(state);
  } else {
    return fingerprint(state);
  }
}

/// Probability that at least two of `states` distinct states share a fingerprint (birthday
/// bound), reported like TLC does so a user can judge the risk of a missed state.
double collision_probability(std::uint64_t states);

}  // namespace dmcheck::checker
