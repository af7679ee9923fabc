#pragma once
/// The bookkeeping every strategy shares: the visited set, property checks on each new state,
/// deadlock detection, limits, progress, statistics, and the final result with its traces.
/// A strategy only decides the order in which states are expanded.

#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <tl/expected.hpp>
#include <type_traits>
#include <vector>

#include "checker/error.h"
#include "checker/fingerprint.h"
#include "checker/interrupt.h"
#include "checker/memory.h"
#include "checker/model.h"
#include "checker/options.h"
#include "checker/progress.h"
#include "checker/replay.h"
#include "checker/result.h"
#include "checker/state_store.h"
#include "checker/verdicts.h"

namespace dmcheck::checker {

template <Model M>
class Exploration {
 public:
  using State = typename M::State;
  using Id = StateStore::Id;

  struct Discovery {
    Id id;
    bool expand;  ///< new, or (depth-bounded DFS) reached again by a shorter path
  };

  Exploration(const M& model, const Options& options)
      : model_(model),
        options_(options),
        properties_(model.properties()),
        found_{std::vector<std::optional<Id>>(properties_.size()),
               std::vector<bool>(properties_.size(), false), std::nullopt},
        track_depths_(options.strategy == Strategy::dfs && options.max_depth.has_value()),
        start_(std::chrono::steady_clock::now()),
        progress_(options.progress) {}

  [[nodiscard]] const Options& options() const { return options_; }
  [[nodiscard]] bool stopped() const { return stop_.has_value() || bound_.has_value(); }
  void stop(StopReason reason) {
    if (!stop_) {
      stop_ = reason;
    }
  }

  /// Records that `state` was reached at `depth` as the `action`-th successor of `parent`
  /// (for an initial state: parent kNoParent, action its index). Checks properties on a new
  /// state. Returns nothing when the run must stop instead.
  std::optional<Discovery> discover(const State& state, Id parent, std::uint32_t action,
                                    std::uint32_t depth) {
    return discover(state, state_fingerprint(model_, state), parent, action, depth);
  }

  /// The same, with the state's fingerprint already computed.
  std::optional<Discovery> discover(const State& state, Fingerprint fp, Id parent,
                                    std::uint32_t action, std::uint32_t depth) {
    return discover_with(fp, parent, action, depth, [&]() -> const State& { return state; });
  }

  /// The same for a state known by its fingerprint, which `get()` makes only when it is new.
  template <class Get>
  std::optional<Discovery> discover_with(Fingerprint fp, Id parent, std::uint32_t action,
                                         std::uint32_t depth, Get&& get) {
    if (options_.max_states && store_.size() >= *options_.max_states && !store_.contains(fp)) {
      stop(StopReason::state_limit);
      return std::nullopt;
    }
    if (store_.size() >= StateStore::kCapacity && !store_.contains(fp)) {
      stop(StopReason::state_limit);
      return std::nullopt;
    }
    const auto [id, inserted] = store_.insert(fp, parent, action);
    if (!inserted) {
      if (track_depths_ && depth < depths_[id]) {
        depths_[id] = depth;
        store_.relink(id, parent, action);
        return Discovery{id, true};
      }
      return Discovery{id, false};
    }
    if (track_depths_) {
      depths_.push_back(depth);
      was_expanded_.push_back(false);
    }
    max_depth_ = std::max(max_depth_, depth);
    const State& state = get();
    if (std::string why = exceeded_bound(model_, state); !why.empty()) {
      bound_ = {id, std::move(why)};
      return std::nullopt;
    }
    check_properties(state, id);
    if (stopped()) {
      return std::nullopt;
    }
    return Discovery{id, true};
  }

  /// Discovers the model's initial states, handing each new one to `explore(state, id)`.
  template <class Explore>
  void discover_initial(Explore&& explore) {
    const std::vector<State> initial = model_.initial_states();
    for (std::uint32_t i = 0; i < initial.size(); ++i) {
      const auto found = discover(initial[i], StateStore::kNoParent, i, 0);
      if (!found) {
        return;
      }
      if (found->expand) {
        explore(initial[i], found->id);
      }
    }
  }

  /// Expands `state` (id `id`, at `depth`): discovers every successor and hands each one worth
  /// exploring further to `explore(successor, successor_id)`. At the depth bound it only notes
  /// whether the bound cut anything off: once one new state lies beyond the bound the run is
  /// known to be cut short, so no further successor past the bound is generated or looked up.
  template <class Explore>
  void expand(const State& state, Id id, std::uint32_t depth, Explore&& explore) {
    using Action = typename M::Action;
    if (at_depth_bound(depth)) {
      if (!depth_cut_) {
        // The model cannot be told to stop enumerating: after the first new successor the rest
        // are at least not fingerprinted.
        model_.successors(state, [&](const Action&, const State& s) { beyond_bound(s); });
      }
      return;
    }
    if constexpr (PacksStates<M>) {
      return expand_packed(state, id, depth, explore);
    }
    // Successors are collected first so the store's cache misses for all of them overlap.
    batch_.clear();
    model_.successors(state, [&](const Action&, const State& successor) {
      const Fingerprint fp = state_fingerprint(model_, successor);
      store_.prefetch_slot(fp);
      batch_.push_back({successor, fp});
    });
    for (const Successor& s : batch_) {
      store_.prefetch_entry(s.fp);
    }
    std::uint32_t action = 0;
    for (const Successor& s : batch_) {
      const auto found = discover(s.state, s.fp, id, action++, depth + 1);
      if (!found) {
        break;
      }
      if (found->expand) {
        explore(s.state, found->id);
      }
    }
    if (first_expansion(id)) {
      expanded(id, state, static_cast<std::uint32_t>(batch_.size()));
    }
  }

  /// expand() for a model that packs its states: successors are collected packed (their
  /// fingerprint is that of the packed bytes), and one is unpacked only when it is new, so most
  /// successors, which were seen before, never cost a whole State's copy.
  template <class Explore>
  void expand_packed(const State& state, Id id, std::uint32_t depth, Explore&& explore) {
    using Action = typename M::Action;
    packed_.clear();
    std::size_t used = 0;
    model_.successors(state, [&](const Action&, const State& successor) {
      if (arena_.size() < used + sizeof(State)) {
        arena_.resize(2 * (used + sizeof(State)));
      }
      const std::size_t size = model_.pack(successor, arena_.data() + used);
      const Fingerprint fp = fingerprint_bytes(arena_.data() + used, size);
      store_.prefetch_slot(fp);
      packed_.push_back({used, size, fp});
      used += size;
    });
    for (const Packed& p : packed_) {
      store_.prefetch_entry(p.fp);
    }
    std::uint32_t action = 0;
    for (const Packed& p : packed_) {
      bool unpacked = false;
      const auto unpack = [&]() -> const State& {
        if (!unpacked) {
          model_.unpack(arena_.data() + p.at, p.size, scratch_);
          unpacked = true;
        }
        return scratch_;
      };
      const auto found = discover_with(p.fp, id, action++, depth + 1, unpack);
      if (!found) {
        break;
      }
      if (!found->expand) {
        continue;
      }
      explore(unpack(), found->id);
    }
    if (first_expansion(id)) {
      expanded(id, state, static_cast<std::uint32_t>(packed_.size()));
    }
  }

  /// Records that `state` (id `id`) was expanded into `successors` successors.
  void expanded(Id id, const State& state, std::uint32_t successors) {
    transitions_ += successors;
    if (successors == 0 && options_.check_deadlock && !found_.deadlock &&
        !is_final_state(model_, state)) {
      found_.deadlock = id;
      if (options_.stop_at_first_violation) {
        stop(StopReason::first_violation);
      }
    }
  }

  /// Checks interrupts and the time and memory limits, and reports progress. Call once per
  /// expansion; `frontier` is the number of states waiting, `frontier_bytes` what they hold.
  /// Returns false when the run must stop.
  bool poll(std::uint64_t frontier, std::uint64_t frontier_bytes) {
    peak_frontier_ = std::max(peak_frontier_, frontier);
    if (interrupt_requested()) {
      stop(StopReason::interrupted);
    }
    if ((++polls_ & 255) == 0) {
      const auto now = std::chrono::steady_clock::now();
      if (options_.max_time && now - start_ >= *options_.max_time) {
        stop(StopReason::time_limit);
      }
      const std::uint64_t bytes = engine_bytes(frontier_bytes);
      if (options_.max_memory && bytes >= *options_.max_memory) {
        stop(StopReason::memory_limit);
      }
      progress_.update(now, {store_.size(), transitions_, max_depth_, frontier, bytes});
    }
    return !stopped();
  }

  /// The result: `natural_end` is the stop reason when nothing stopped the run early.
  tl::expected<RunResult<M>, Error> finish(StopReason natural_end) {
    const auto trace_of = [&](Id id) { return replay(model_, stored_path(store_, id)); };
    if (bound_) {
      return tl::unexpected(bound_error(model_, bound_->what, bound_->id, trace_of));
    }
    const Stats stats = run_stats(store_.size(), transitions_, max_depth_, start_,
                                  store_.bytes() + tracking_bytes(), peak_frontier_, 1);
    const StopReason stop = stop_ ? *stop_ : (depth_cut_ ? StopReason::depth_bound : natural_end);
    return assemble_result<M>(options_, properties_, found_, stop, stats, trace_of);
  }

 private:
  /// A successor of a state at the depth bound: if it is new, the bound cut the run short.
  void beyond_bound(const State& successor) {
    depth_cut_ =
        depth_cut_ || !store_.contains(state_fingerprint(model_, successor));  // short-circuits
  }

  /// Whether this is the first expansion of `id`. A depth-bounded DFS expands a state again when
  /// it reaches it by a shorter path (so every state within the bound is found); that generates
  /// the same transitions again, which are not counted twice.
  bool first_expansion(Id id) {
    if (!track_depths_) {
      return true;  // every other strategy here expands a state once
    }
    const bool first = !was_expanded_[id];
    was_expanded_[id] = true;
    return first;
  }

  [[nodiscard]] bool at_depth_bound(std::uint32_t depth) const {
    return options_.max_depth && depth >= *options_.max_depth;
  }

  void check_properties(const State& state, Id id) {
    for (std::size_t i = 0; i < properties_.size(); ++i) {
      if (found_.hits[i]) {
        continue;  // decided: the first (for BFS, shortest) trace is kept
      }
      const auto& p = properties_[i];
      if (p.antecedent && !found_.premise_seen[i]) {
        found_.premise_seen[i] = p.antecedent(state);  // once seen, never evaluated again
      }
      const bool holds = p.condition(state);
      if (p.kind == PropertyKind::always && !holds) {
        found_.hits[i] = id;
        if (options_.stop_at_first_violation) {
          stop(StopReason::first_violation);
        }
      } else if (p.kind == PropertyKind::sometimes && holds) {
        found_.hits[i] = id;
      }
    }
  }

  /// What the depth-bounded DFS's per-state depths and expansion marks hold.
  [[nodiscard]] std::uint64_t tracking_bytes() const {
    return depths_.capacity() * sizeof(std::uint32_t) + was_expanded_.capacity() / 8;
  }

  [[nodiscard]] std::uint64_t engine_bytes(std::uint64_t frontier_bytes) const {
    return tracking_bytes() + store_.bytes() + frontier_bytes;
  }

  struct Successor {
    State state;
    Fingerprint fp;
  };
  /// A successor packed in arena_.
  struct Packed {
    std::size_t at;
    std::size_t size;
    Fingerprint fp;
  };

  /// A state past one of the model's bounds, and what the model says was exceeded.
  struct BoundHit {
    Id id;
    std::string what;
  };

  const M& model_;
  Options options_;
  std::vector<Successor> batch_;
  std::vector<Packed> packed_;
  std::vector<unsigned char> arena_;  ///< the packed successors of the state being expanded
  State scratch_{};                   ///< the packed successor last unpacked
  std::vector<Property<State>> properties_;
  Findings<Id> found_;
  StateStore store_;
  bool track_depths_;
  std::vector<std::uint32_t> depths_;
  std::vector<bool> was_expanded_;  ///< per state, only while depths are tracked
  std::optional<StopReason> stop_;
  std::optional<BoundHit> bound_;
  bool depth_cut_ = false;
  std::uint64_t transitions_ = 0;
  std::uint32_t max_depth_ = 0;
  std::uint64_t peak_frontier_ = 0;
  std::uint64_t polls_ = 0;
  std::chrono::steady_clock::time_point start_;
  ProgressReporter progress_;
};

}  // namespace dmcheck::checker
