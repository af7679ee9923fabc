#pragma once
/// Breadth-first search, level by level. States are checked when first discovered and levels
/// are expanded in discovery order, so the first violation of each property, and the first
/// deadlock, is at the smallest depth where one exists: counterexamples are shortest.

#include <new>
#include <vector>

#include "checker/exploration.h"
#include "checker/memory.h"

namespace dmcheck::checker {

template <Model M>
tl::expected<RunResult<M>, Error> run_bfs(const M& model, const Options& options) {
  using State = typename M::State;
  struct Entry {
    State state;
    StateStore::Id id;
  };
  Exploration<M> run(model, options);
  std::vector<Entry> level;
  std::vector<Entry> next;
  try {
    run.discover_initial([&](const State& state, StateStore::Id id) {
      level.push_back({state, id});
    });
    for (std::uint32_t depth = 0; !level.empty() && !run.stopped(); ++depth) {
      for (const Entry& entry : level) {
        const std::uint64_t waiting = level.size() + next.size();
        if (!run.poll(waiting, (level.capacity() + next.capacity()) * sizeof(Entry))) {
          break;
        }
        run.expand(entry.state, entry.id, depth, [&](const State& successor, StateStore::Id id) {
          next.push_back({successor, id});
        });
      }
      level.swap(next);
      next.clear();
    }
  } catch (const std::bad_alloc&) {
    // The frontier goes first: the result replays its traces, which needs a little memory.
    release_memory(level, next);
    run.stop(StopReason::out_of_memory);
  }
  return run.finish(StopReason::completed);
}

}  // namespace dmcheck::checker
