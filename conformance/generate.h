#pragma once
/// Generates sequential traces over a configuration's calls: exhaustively (every call from
/// every distinct model state reachable within a depth, each state reached by its shortest
/// trace) and by seeded random walks. A trace the real kernel cannot run alone (a call that
/// would wait forever, the model's bounds reached) is left out and counted.

#include <cstdint>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "checker/error.h"
#include "conformance/trace.h"
#include "model/config.h"

namespace dmcheck::conformance {

struct Generated {
  std::vector<Trace> traces;
  std::size_t states = 0;   ///< distinct model states the exhaustive part expanded
  std::size_t dropped = 0;  ///< traces left out as not runnable alone
};

/// Every call of `calls` after the shortest trace to every distinct state within `depth - 1`
/// calls: all traces of at most `depth` calls up to model-equivalent prefixes.
tl::expected<Generated, Error> generate_exhaustive(const model::Config& config,
                                                   const std::vector<std::string>& calls,
                                                   std::uint32_t depth);

/// `walks` traces of `length` calls each drawn from `calls` (a call that cannot run alone is
/// drawn again, a few times). The same seed gives the same traces. With `inject`, each resume
/// drawn has, one time in two, a failing allocation of the integrity hook injected (which of
/// the three drawn too); such traces need a kernel with the integrity probe.
tl::expected<Generated, Error> generate_random(const model::Config& config,
                                               const std::vector<std::string>& calls,
                                               std::uint32_t walks, std::uint32_t length,
                                               std::uint64_t seed, bool inject = false);

}  // namespace dmcheck::conformance
