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
  struct Successor {
    State state;
    Fingerprint fp;
  };
  Exploration<M> run(model, options);
  std::vector<Successor> batch;
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
      // Successors are collected first so the store's cache misses for all of them overlap.
      batch.clear();
      model.successors(entry.state, [&](const Action&, const State& successor) {
        const Fingerprint fp = fingerprint(successor);
        run.store().prefetch_slot(fp);
        batch.push_back({successor, fp});
      });
      for (const Successor& s : batch) {
        run.store().prefetch_entry(s.fp);
      }
      for (const Successor& s : batch) {
        const std::uint32_t action = index++;
        const auto found = run.discover(s.state, s.fp, entry.id, action, depth + 1);
        if (!found) {
          break;
        }
        if (found->expand) {
          next.push_back({s.state, found->id});
        }
      }
      run.expanded(entry.id, entry.state, static_cast<std::uint32_t>(batch.size()));
    }
    level.swap(next);
    next.clear();
  }
  return run.finish(StopReason::completed);
}

}  // namespace dmcheck::checker
