#pragma once
/// The engine's entry point: explore a model with the chosen strategy and limits.

#include <fmt/format.h>

#include <algorithm>

#include "checker/bfs.h"
#include "checker/dfs.h"
#include "checker/random_walk.h"
#include "checker/symmetry.h"

namespace dmcheck::checker {

/// Explores `model`. SIGINT or SIGTERM during the run stops it with a partial result, and so
/// does running out of memory. Fails only when the model breaks its contract (e.g. it is not
/// deterministic on replay).
/// Explores `model` with the chosen strategy, the model as it is.
template <Model M>
tl::expected<RunResult<M>, Error> explore(const M& model, const Options& options) {
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

/// Explores `model`. SIGINT or SIGTERM during the run stops it with a partial result, and so
/// does running out of memory. Fails only when the model breaks its contract (e.g. it is not
/// deterministic on replay). A model with interchangeable actors is explored one representative
/// per orbit unless options.reduction says none; its traces are still its own.
template <Model M>
tl::expected<RunResult<M>, Error> check(const M& model, Options options = {}) {
  InterruptGuard interrupts;
  if ((!options.checkpoint_file.empty() || !options.resume_file.empty()) &&
      options.strategy != Strategy::bfs) {
    return tl::unexpected(Error{ErrorKind::bad_input,
                                fmt::format("checkpoints are kept by the breadth-first strategy "
                                            "only, not by {}",
                                            to_string(options.strategy)),
                                std::nullopt});
  }
  if (!options.spill_dir.empty() && options.strategy != Strategy::bfs) {
    return tl::unexpected(Error{ErrorKind::bad_input,
                                fmt::format("spill files are kept by the breadth-first strategy "
                                            "only, not by {}",
                                            to_string(options.strategy)),
                                std::nullopt});
  }
  if (options.max_time) {
    options.max_time = std::clamp(*options.max_time, std::chrono::milliseconds(0), kLongestTime);
  }
  if constexpr (HasSymmetry<M>) {
    if (reduces_symmetry(model, options)) {
      auto found = explore(SymmetryReduced<M>(model), options);
      if (!found) {
        return tl::unexpected(std::move(found.error()));
      }
      return concrete_result(model, std::move(*found));
    }
  }
  return explore(model, options);
}

}  // namespace dmcheck::checker
