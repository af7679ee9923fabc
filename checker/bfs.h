#pragma once
/// Breadth-first search, level by level. States are checked when first discovered and levels
/// are expanded in discovery order, so the first violation of each property, and the first
/// deadlock, is at the smallest depth where one exists: counterexamples are shortest.

#include <new>
#include <vector>

#include "checker/exploration.h"
#include "checker/frontier.h"
#include "checker/memory.h"

namespace dmcheck::checker {

template <Model M>
tl::expected<RunResult<M>, Error> run_bfs(const M& model, const Options& options) {
  using State = typename M::State;
  Exploration<M> run(model, options);
  Frontier<M> level;
  Frontier<M> next;
  try {
    run.discover_initial(
        [&](const State& state, StateStore::Id id) { level.push(model, state, id); });
    for (std::uint32_t depth = 0; !level.empty() && !run.stopped(); ++depth) {
      level.for_each(model, [&](const State& state, StateStore::Id id) {
        const std::uint64_t waiting = level.size() + next.size();
        if (!run.poll(waiting, level.bytes() + next.bytes())) {
          return false;
        }
        // A successor comes as a State, or as a PackedState from a model that packs.
        run.expand(state, id, depth,
                   [&](const auto& successor, StateStore::Id successor_id) -> void {
                     next.push(model, successor, successor_id);
                   });
        return true;
      });
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
