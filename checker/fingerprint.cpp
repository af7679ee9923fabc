#include "checker/fingerprint.h"

#include <cmath>

namespace dmcheck::checker {

double collision_probability(std::uint64_t states) {
  const double n = static_cast<double>(states);
  // 1 - exp(-n(n-1)/2^65), computed without cancellation for small values.
  return -std::expm1(-n * (n - 1.0) / std::ldexp(1.0, 65));
}

}  // namespace dmcheck::checker
