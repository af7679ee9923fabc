#pragma once
/// Breadth-first search: every counterexample and witness is a shortest one, and the first
/// violation of each property, and the first deadlock, is at the smallest depth where one exists.
/// It runs on Options::threads threads (see level_search.h); the result is the same for any
/// number.

#include <tbb/info.h>

#include "checker/level_search.h"

namespace dmcheck::checker {

/// The threads a run uses: those asked for, or one per core the process may use; one for a
/// model that must be explored on one thread.
template <Model M>
unsigned exploring_threads(const Options& options) {
  if constexpr (OneThreadOnly<M>) {
    return 1;
  } else {
    return options.threads != 0 ? options.threads
                                : static_cast<unsigned>(tbb::info::default_concurrency());
  }
}

template <Model M>
tl::expected<RunResult<M>, Error> run_bfs(const M& model, const Options& options) {
  return LevelSearch<M>(model, options, exploring_threads<M>(options)).run();
}

}  // namespace dmcheck::checker
