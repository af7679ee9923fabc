#pragma once
/// Breadth-first search, level by level. States are checked when first discovered and levels
/// are expanded in discovery order, so the first violation of each property, and the first
/// deadlock, is at the smallest depth where one exists: counterexamples are shortest.

#include <vector>

#include "checker/exploration.h"

namespace dmcheck::checker {

template <Model M>
tl::expected<RunResult<M>, Error> run_bfs(const M& model, const Options& options) {
  using State = typename M::State;
  using Action = typename M::Action;
  struct Entry {
    State state;
    StateStore::Id id;
  };
  Exploration<M> run(model, options);
  std::vector<Entry> level;
  std::vector<Entry> next;
  const std::vector<State> initial = model.initial_states();
  for (std::uint32_t i = 0; i < initial.size(); ++i) {
    const auto found = run.discover(initial[i], StateStore::kNoParent, i, 0);
    if (!found) {
      break;
    }
    if (found->expand) {
      level.push_back({initial[i], found->id});
    }
  }
  for (std::uint32_t depth = 0; !level.empty() && !run.stopped(); ++depth) {
    for (const Entry& entry : level) {
      const std::uint64_t waiting = level.size() + next.size();
      if (!run.poll(waiting, (level.capacity() + next.capacity()) * sizeof(Entry))) {
        break;
      }
      std::uint32_t index = 0;
      if (run.at_depth_bound(depth)) {
        model.successors(entry.state,
                         [&](const Action&, const State& successor) { run.beyond_bound(successor); });
        continue;
      }
      model.successors(entry.state, [&](const Action&, const State& successor) {
        const std::uint32_t action = index++;
        if (run.stopped()) {
          return;
        }
        const auto found = run.discover(successor, entry.id, action, depth + 1);
        if (found && found->expand) {
          next.push_back({successor, found->id});
        }
      });
      run.expanded(entry.id, entry.state, index);
    }
    level.swap(next);
    next.clear();
  }
  return run.finish(StopReason::completed);
}

}  // namespace dmcheck::checker
