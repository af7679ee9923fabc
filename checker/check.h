#pragma once
/// The engine's entry point: explore a model with the chosen strategy and limits.

#include <algorithm>

#include "checker/bfs.h"
#include "checker/dfs.h"
#include "checker/random_walk.h"

namespace dmcheck::checker {

/// Explores `model`. SIGINT or SIGTERM during the run stops it with a partial result, and so
/// does running out of memory. Fails only when the model breaks its contract (e.g. it is not
/// deterministic on replay).
template <Model M>
tl::expected<RunResult<M>, Error> check(const M& model, Options options = {}) {
  InterruptGuard interrupts;
  if (options.max_time) {
    options.max_time = std::clamp(*options.max_time, std::chrono::milliseconds(0), kLongestTime);
  }
  switch (options.strategy) {
    case Strategy::dfs:
      return run_dfs(model, options);
    case Strategy::random_walk:
      return run_random_walks(model, options);
    case Strategy::bfs:
      break;
  }
  return run_bfs(model, options);
}

}  // namespace dmcheck::checker
