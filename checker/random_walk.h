#pragma once
/// Seeded random walks: from a uniformly chosen initial state, take a uniformly chosen successor
/// until a state has none or the walk length is reached. The same seed gives the same walks.
/// Walks sample; they never prove that an invariant holds or a goal is unreachable.

#include <new>
#include <vector>

#include "checker/exploration.h"
#include "checker/memory.h"
#include "checker/random.h"

namespace dmcheck::checker {

template <Model M>
tl::expected<RunResult<M>, Error> run_random_walks(const M& model, const Options& options) {
  using State = typename M::State;
  using Action = typename M::Action;
  Exploration<M> run(model, options);
  SplitMix64 random(options.seed);
  std::vector<State> initial;
  const std::uint32_t length = options.max_depth.value_or(options.default_walk_depth);
  std::vector<State> successors;
  try {
    initial = model.initial_states();
    for (std::uint64_t walk = 0; walk < options.walks && !initial.empty() && !run.stopped();
         ++walk) {
      const auto start = static_cast<std::uint32_t>(random.below(initial.size()));
      auto found = run.discover(initial[start], StateStore::kNoParent, start, 0);
      State state = initial[start];
      for (std::uint32_t depth = 0; found && run.poll(0, 0); ++depth) {
        successors.clear();
        model.successors(state, [&](const Action&, const State& s) { successors.push_back(s); });
        run.expanded(found->id, state, static_cast<std::uint32_t>(successors.size()));
        if (successors.empty() || depth == length) {
          break;
        }
        const auto pick = static_cast<std::uint32_t>(random.below(successors.size()));
        state = successors[pick];
        found = run.discover(state, found->id, pick, depth + 1);
      }
    }
  } catch (const std::bad_alloc&) {
    release_memory(initial, successors);
    run.stop(StopReason::out_of_memory);
  }
  return run.finish(StopReason::walks_done);
}

}  // namespace dmcheck::checker
