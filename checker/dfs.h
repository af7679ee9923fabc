#pragma once
/// Depth-first search with an explicit stack. Successors are pushed in reverse so the first
/// successor is explored first. Under a depth bound a state reached again by a shorter path is
/// expanded again, so every state within the bound is found (its transitions are counted once);
/// traces need not be shortest. No stack entry goes stale: depths on the stack never decrease
/// from bottom to top (the top is popped, its children pushed one deeper), so a waiting entry is
/// never reached again by a shorter path before it is popped.

#include <new>
#include <vector>

#include "checker/exploration.h"
#include "checker/memory.h"

namespace dmcheck::checker {

template <Model M>
tl::expected<RunResult<M>, Error> run_dfs(const M& model, const Options& options) {
  using State = typename M::State;
  struct Entry {
    State state;
    StateStore::Id id;
    std::uint32_t depth;
  };
  Exploration<M> run(model, options);
  std::vector<Entry> stack;
  std::vector<Entry> children;
  try {
    run.discover_initial([&](const State& state, StateStore::Id id) {
      children.push_back({state, id, 0});
    });
    stack.insert(stack.end(), children.rbegin(), children.rend());
    while (!stack.empty() && !run.stopped()) {
      if (!run.poll(stack.size(), stack.capacity() * sizeof(Entry))) {
        break;
      }
      const Entry entry = stack.back();
      stack.pop_back();
      children.clear();
      run.expand(entry.state, entry.id, entry.depth,
                 [&](const State& successor, StateStore::Id id) {
                   children.push_back({successor, id, entry.depth + 1});
                 });
      stack.insert(stack.end(), children.rbegin(), children.rend());
    }
  } catch (const std::bad_alloc&) {
    // The stack goes first: the result replays its traces, which needs a little memory.
    release_memory(stack, children);
    run.stop(StopReason::out_of_memory);
  }
  return run.finish(StopReason::completed);
}

}  // namespace dmcheck::checker
