#pragma once
/// Stable 64-bit state fingerprints: XXH3 over the state's bytes with a fixed seed, so the same
/// state has the same fingerprint in every run, on every machine of the same byte order.

#include <xxhash.h>

#include <cstdint>

#include "checker/model.h"

namespace dmcheck::checker {

using Fingerprint = std::uint64_t;

inline constexpr std::uint64_t kFingerprintSeed = 0x646d636865636bULL;  // "dmcheck"

template <HashableState S>
Fingerprint fingerprint(const S& state) {
  return XXH3_64bits_withSeed(&state, sizeof(S), kFingerprintSeed);
}

/// Probability that at least two of `states` distinct states share a fingerprint (birthday
/// bound), reported like TLC does so a user can judge the risk of a missed state.
double collision_probability(std::uint64_t states);

}  // namespace dmcheck::checker
