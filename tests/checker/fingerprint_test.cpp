#include "checker/fingerprint.h"

#include <doctest/doctest.h>

#include <array>
#include <cstdint>

namespace checker = dmcheck::checker;

TEST_SUITE("checker/fingerprint") {
  TEST_CASE("fingerprints are stable across runs and builds") {
    // Recorded once: a change here changes every stored trace and digest, so it must be deliberate.
    const std::array<std::uint8_t, 4> state{1, 2, 3, 4};
    CHECK(checker::fingerprint(state) ==
          checker::fingerprint(std::array<std::uint8_t, 4>{1, 2, 3, 4}));
    CHECK(checker::fingerprint(state) !=
          checker::fingerprint(std::array<std::uint8_t, 4>{1, 2, 3, 5}));
    CHECK(checker::fingerprint(state) == 0x870e6abb9cd20d14ULL);
  }

  TEST_CASE("collision probability follows the birthday bound") {
    CHECK(checker::collision_probability(0) == 0.0);
    CHECK(checker::collision_probability(1) == 0.0);
    // n = 2^32 states: n^2 / 2^65 = 1/2, so 1 - e^-0.5.
    CHECK(checker::collision_probability(std::uint64_t{1} << 32) ==
          doctest::Approx(0.393469).epsilon(1e-5));
    CHECK(checker::collision_probability(16'777'216) == doctest::Approx(7.62939e-6).epsilon(1e-4));
  }
}
