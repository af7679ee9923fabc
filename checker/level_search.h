#pragma once
/// Breadth-first search, level by level, on any number of threads (oneTBB), with the same result
/// for every number: the same states, transitions, depth, verdicts and traces.
///
/// A level's states are cut into chunks, in order; threads expand whole chunks, each chunk's
/// states in order. A successor is claimed in the visited set by the chunk reaching it (see
/// FingerprintSet::claim): the earliest chunk to reach a state keeps it, and within a chunk its
/// first way there. That is the way a one-threaded search reaches it first, so once each chunk
/// settles the states it kept, the chunks' lists, one after the other, are the next level in
/// exactly the order, and with exactly the parents, a one-threaded search would give — whichever
/// thread ran first. The least id violating a property is then its shortest counterexample.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "checker/checkpoint.h"
#include "checker/fingerprint_set.h"
#include "checker/interrupt.h"
#include "checker/memory.h"
#include "checker/model.h"
#include "checker/options.h"
#include "checker/packing.h"
#include "checker/parent_links.h"
#include "checker/partial_order.h"
#include "checker/progress.h"
#include "checker/replay.h"
#include "checker/result.h"
#include "checker/spill_file.h"
#include "checker/state_arena.h"
#include "checker/verdicts.h"
#include "checker/workers.h"

namespace dmcheck::checker {

/// The least value stored so far; starts at "none" (the maximum).
class AtomicLeast {
 public:
  static constexpr std::uint64_t kNone = ~std::uint64_t{0};
  void offer(std::uint64_t v) {
    std::uint64_t seen = value_.load(std::memory_order_relaxed);
    while (v < seen && !value_.compare_exchange_weak(seen, v, std::memory_order_relaxed)) {
    }
  }
  [[nodiscard]] std::uint64_t get() const { return value_.load(std::memory_order_relaxed); }
  void reset() { value_.store(kNone, std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{kNone};
};

template <Model M>
class LevelSearch {
 public:
  using State = typename M::State;
  using Action = typename M::Action;
  using Id = ParentLinks::Id;

  LevelSearch(const M& model, const Options& options, unsigned threads)
      : model_(model),
        options_(options),
        properties_(model.properties()),
        found_{std::vector<std::optional<Id>>(properties_.size()),
               std::vector<bool>(properties_.size(), false), std::nullopt},
        workers_(threads),
        scratch_(workers_.count()),
        start_(std::chrono::steady_clock::now()),
        progress_(options.progress) {
    visited_.set_concurrent(threads > 1);
  }

  tl::expected<RunResult<M>, Error> run() {
    std::uint32_t depth = 0;
    if (auto opened = open_spill_files(); !opened) {
      return tl::unexpected(std::move(opened.error()));
    }
    try {
      if (options_.resume_file.empty()) {
        discover_initial();
      } else if (auto resumed = resume(); resumed) {
        depth = *resumed;
      } else {
        return tl::unexpected(std::move(resumed.error()));
      }
      for (; !level_.empty() && !stopped(); ++depth) {
        boundary_ = {depth, transitions_, max_depth_, found_};
        if (auto saved = save_checkpoint_if_due(); !saved) {
          return tl::unexpected(std::move(saved.error()));
        }
        if (at_depth_bound(depth)) {
          expand_level(depth, true);
          break;
        }
        expand_level(depth, false);
        if (stopped()) {
          break;  // the level was cut short: what it found so far is not kept
        }
        number_new_states(depth + 1);
      }
    } catch (const std::bad_alloc&) {
      release_frontier();
      stop(StopReason::out_of_memory);
    } catch (const SpillFull&) {
      release_frontier();
      stop(StopReason::spill_full);
    }
    if (auto saved = save_checkpoint_at_stop(); !saved) {
      return tl::unexpected(std::move(saved.error()));
    }
    return finish();
  }

 private:
  struct StateRef {
    const unsigned char* bytes;
    std::uint32_t size;
  };
  /// One arena per worker.
  using Arenas = std::vector<std::unique_ptr<StateArena>>;
  /// The states of one level, in id order, and the arenas keeping their bytes.
  struct Level {
    Id first = 0;  ///< id of states[0]
    std::vector<StateRef> states;
    std::unique_ptr<Arenas> bytes;
    [[nodiscard]] bool empty() const { return states.empty(); }
  };
  /// A state a chunk claimed: its fingerprint, the way the chunk first reached it, its bytes.
  struct Claimed {
    Fingerprint fp;
    std::uint32_t parent;  ///< position in the level
    std::uint32_t action;
    const unsigned char* bytes;
    std::uint32_t size;
  };
  /// A worker's scratch for one expansion: the successors' kept bytes and fingerprints.
  struct alignas(64) Scratch {
    State state{};
    std::vector<unsigned char> packed;
    std::vector<std::uint32_t> offsets;
    std::vector<Fingerprint> fps;
    std::vector<std::uint32_t> actors;  ///< who moves in each successor (partial-order reduction)
    std::uint64_t transitions = 0;
  };

  /// Opens the spill files options_.spill_dir asks for (spill_file.h): the links and the arenas
  /// made from then on keep their chunks there.
  tl::expected<void, Error> open_spill_files() {
    if (options_.spill_dir.empty()) {
      return {};
    }
    auto states = SpillFile::create(options_.spill_dir, StateArena::kChunk);
    if (!states) {
      return tl::unexpected(std::move(states.error()));
    }
    auto links = SpillFile::create(options_.spill_dir, ParentLinks::kChunkBytes);
    if (!links) {
      return tl::unexpected(std::move(links.error()));
    }
    state_spill_ = std::move(*states);
    link_spill_ = std::move(*links);
    links_.spill_to(link_spill_.get());
    next_bytes_ = make_arenas();
    return {};
  }

  /// Frees the levels waiting, when an allocation failed: the result replays its traces, which
  /// needs a little memory.
  void release_frontier() {
    release_memory(level_.states, pending_, chunks_);
    level_.bytes.reset();
    next_bytes_.reset();
  }

  [[nodiscard]] bool stopped() const { return stop_.load() != kRunning || bound_.has_value(); }
  void stop(StopReason reason) {
    int running = kRunning;
    stop_.compare_exchange_strong(running, static_cast<int>(reason));
  }

  [[nodiscard]] bool at_depth_bound(std::uint32_t depth) const {
    return options_.max_depth && depth >= *options_.max_depth;
  }

  void discover_initial() {
    const std::vector<State> initial = model_.initial_states();
    std::vector<unsigned char> kept(sizeof(State));
    StateArena& bytes = *(*next_bytes_)[0];
    for (std::uint32_t i = 0; i < initial.size(); ++i) {
      const std::size_t size = keep_bytes(model_, initial[i], kept.data());
      const Fingerprint fp = kept_fingerprint(model_, initial[i], kept.data(), size);
      if (visited_.contains(fp)) {
        continue;
      }
      if (at_state_limit(1)) {
        break;
      }
      visited_.insert(fp);
      const Id id = static_cast<Id>(links_.size());
      links_.resize(id + 1);
      links_.set(id, ParentLinks::kNoParent, i);
      pending_.push_back({bytes.add(kept.data(), size), static_cast<std::uint32_t>(size)});
      check_state(initial[i], id);
    }
    advance(0);
  }

  /// The most states the run may number: the user's limit, or what ids can count.
  [[nodiscard]] std::uint64_t state_limit() const {
    return std::min<std::uint64_t>(options_.max_states.value_or(ParentLinks::kCapacity),
                                   ParentLinks::kCapacity);
  }

  /// Whether `more` new states would pass the state limit; if so the run stops there.
  bool at_state_limit(std::uint64_t more) {
    if (links_.size() + more > state_limit()) {
      stop(StopReason::state_limit);
      return true;
    }
    return false;
  }

  /// The chunks a level of `states` states is cut into: as many as the tags allow, of at least
  /// kMinChunk states each. It depends on the level only, never on the threads.
  static std::size_t chunk_count(std::size_t states) {
    constexpr std::size_t kMinChunk = 64;
    return std::clamp<std::size_t>((states + kMinChunk - 1) / kMinChunk, 1,
                                   FingerprintSet::kChunks);
  }

  /// Expands every state of the level at `depth`; at the depth bound only notes whether the bound
  /// cut anything off.
  void expand_level(std::uint32_t depth, bool at_bound) {
    const std::size_t size = level_.states.size();
    const std::size_t chunks = chunk_count(size);
    chunks_.resize(chunks);
    workers_.for_each(chunks, [&](std::size_t c, unsigned worker) {
      Scratch& scratch = scratch_[worker];
      std::vector<Claimed>& claimed = chunks_[c].claimed;
      claimed.clear();
      for (std::size_t pos = c * size / chunks; pos < (c + 1) * size / chunks; ++pos) {
        if (!poll(pos)) {
          return;
        }
        expand_state(pos, c, at_bound, scratch, *(*next_bytes_)[worker]);
      }
      claimed_bytes_.fetch_add(claimed.capacity() * sizeof(Claimed), std::memory_order_relaxed);
    });
    for (Scratch& s : scratch_) {
      transitions_ += s.transitions;
      s.transitions = 0;
    }
    if (!at_bound && deadlock_.get() != AtomicLeast::kNone && !found_.deadlock) {
      found_.deadlock = static_cast<Id>(level_.first + deadlock_.get());
      if (options_.stop_at_first_violation) {
        stop(StopReason::first_violation);
      }
    }
    max_depth_ = std::max(max_depth_, depth);
  }

  /// Generates the successors of the state at `pos` (in chunk `chunk`) and claims them.
  void expand_state(std::size_t pos, std::size_t chunk, bool at_bound, Scratch& s,
                    StateArena& arena) {
    if (at_bound && depth_cut_.load(std::memory_order_relaxed)) {
      return;  // the bound is known to cut the run short: nothing more to learn at it
    }
    const StateRef& ref = level_.states[pos];
    restore_state(model_, ref.bytes, ref.size, s.state);
    s.packed.resize(0);
    s.offsets.clear();
    s.fps.clear();
    s.actors.clear();
    model_.successors(s.state, [&](const Action& action, const State& successor) {
      const std::size_t at = s.packed.size();
      s.packed.resize(at + sizeof(State));
      const std::size_t size = keep_bytes(model_, successor, s.packed.data() + at);
      s.packed.resize(at + size);
      const Fingerprint fp = kept_fingerprint(model_, successor, s.packed.data() + at, size);
      visited_.prefetch(fp);
      s.offsets.push_back(static_cast<std::uint32_t>(at));
      s.fps.push_back(fp);
      if constexpr (HasAmpleSets<M>) {
        if (partial_order_) {
          s.actors.push_back(model_.actor_of(action));
        }
      }
    });
    s.offsets.push_back(static_cast<std::uint32_t>(s.packed.size()));
    const auto count = static_cast<std::uint32_t>(s.fps.size());
    const std::optional<std::uint32_t> ample = ample_actor(s);
    const auto explored = [&](std::uint32_t a) { return !ample || s.actors[a] == *ample; };
    if (at_bound) {
      for (std::uint32_t a = 0; a < count; ++a) {
        if (explored(a) && !visited_.contains(s.fps[a])) {
          depth_cut_.store(true, std::memory_order_relaxed);
          break;
        }
      }
      return;
    }
    if (count == 0 && options_.check_deadlock && !is_final_state(model_, s.state)) {
      deadlock_.offer(pos);
    }
    for (std::uint32_t a = 0; a < count; ++a) {
      if (!explored(a)) {
        continue;
      }
      ++s.transitions;
      if (visited_.claim(s.fps[a], chunk) == FingerprintSet::Claim::claimed) {
        const std::uint32_t size = s.offsets[a + 1] - s.offsets[a];
        const unsigned char* bytes = arena.add(s.packed.data() + s.offsets[a], size);
        chunks_[chunk].claimed.push_back(
            {s.fps[a], static_cast<std::uint32_t>(pos), a, bytes, size});
      }
    }
  }

  /// The actor whose moves alone expand the state in `s` (partial_order.h), or none: the model
  /// names one, it has a move here, and none of its moves leads to a settled state (the cycle
  /// proviso).
  std::optional<std::uint32_t> ample_actor(const Scratch& s) const {
    if constexpr (HasAmpleSets<M>) {
      if (!partial_order_) {
        return std::nullopt;
      }
      const std::optional<std::uint32_t> actor = model_.ample_actor(s.state);
      if (!actor) {
        return std::nullopt;
      }
      bool moves = false;
      for (std::size_t a = 0; a < s.fps.size(); ++a) {
        if (s.actors[a] == *actor) {
          if (visited_.settled(s.fps[a])) {
            return std::nullopt;
          }
          moves = true;
        }
      }
      return moves ? actor : std::nullopt;
    } else {
      return std::nullopt;
    }
  }

  /// Keeps in each chunk's list the states it holds the claim to, settling them.
  void settle_claims() {
    workers_.for_each(chunks_.size(), [&](std::size_t c, unsigned) {
      std::vector<Claimed>& claimed = chunks_[c].claimed;
      constexpr std::size_t kAhead = 8;
      for (std::size_t i = 0; i < std::min(kAhead, claimed.size()); ++i) {
        visited_.prefetch(claimed[i].fp);
      }
      std::size_t kept = 0;
      for (std::size_t i = 0; i < claimed.size(); ++i) {
        if (i + kAhead < claimed.size()) {
          visited_.prefetch(claimed[i + kAhead].fp);
        }
        if (visited_.settle(claimed[i].fp, c)) {
          claimed[kept++] = claimed[i];
        }
      }
      claimed.resize(kept);
    });
  }

  /// Numbers the states the level found, chunk after chunk, and makes them the next level.
  void number_new_states(std::uint32_t depth) {
    settle_claims();
    visited_.release_retired();
    std::vector<std::uint64_t> starts(chunks_.size() + 1, 0);
    for (std::size_t c = 0; c < chunks_.size(); ++c) {
      starts[c + 1] = starts[c] + chunks_[c].claimed.size();
    }
    std::uint64_t count = starts.back();
    if (at_state_limit(count)) {
      count = state_limit() - links_.size();
    }
    const Id first = static_cast<Id>(links_.size());
    links_.resize(first + count);
    pending_.resize(count);
    workers_.for_each(chunks_.size(), [&](std::size_t c, unsigned worker) {
      Scratch& scratch = scratch_[worker];
      for (std::size_t i = 0; i < chunks_[c].claimed.size() && starts[c] + i < count; ++i) {
        const Claimed& n = chunks_[c].claimed[i];
        const auto id = static_cast<Id>(first + starts[c] + i);
        links_.set(id, static_cast<Id>(level_.first + n.parent), n.action);
        pending_[starts[c] + i] = {n.bytes, n.size};
        restore_state(model_, n.bytes, n.size, scratch.state);
        check_state(scratch.state, id);
      }
    });
    if (count > 0) {
      max_depth_ = std::max(max_depth_, depth);
    }
    claimed_bytes_.store(0, std::memory_order_relaxed);
    advance(first);
  }

  /// Makes the states numbered from `first` the level to expand next; the arenas of the level
  /// expanded are emptied for the one after.
  void advance(Id first) {
    level_.first = first;
    level_.states.swap(pending_);
    pending_.clear();
    level_.bytes.swap(next_bytes_);
    next_bytes_ = make_arenas();
    peak_frontier_ = std::max<std::uint64_t>(peak_frontier_, level_.states.size());
    decide_level_properties();
  }

  [[nodiscard]] std::unique_ptr<Arenas> make_arenas() {
    auto arenas = std::make_unique<Arenas>();
    for (unsigned w = 0; w < workers_.count(); ++w) {
      arenas->push_back(std::make_unique<StateArena>(&arena_bytes_, state_spill_.get()));
    }
    return arenas;
  }

  /// Checks a new state's bound and properties; the least id wins each.
  void check_state(const State& state, Id id) {
    if (std::string why = exceeded_bound(model_, state); !why.empty()) {
      const std::lock_guard<std::mutex> lock(bound_mutex_);
      if (!bound_candidate_ || id < bound_candidate_->id) {
        bound_candidate_ = BoundHit{id, std::move(why)};
      }
      return;
    }
    for (std::size_t i = 0; i < properties_.size(); ++i) {
      if (found_.hits[i]) {
        continue;  // decided at an earlier level
      }
      const auto& p = properties_[i];
      if (p.antecedent && !premise_flags_[i].load(std::memory_order_relaxed) &&
          p.antecedent(state)) {
        premise_flags_[i].store(true, std::memory_order_relaxed);
      }
      const bool holds = p.condition(state);
      if ((p.kind == PropertyKind::always) != holds) {
        level_hits_[i].offer(id);
      }
    }
  }

  /// After a level's states are checked: its least hits decide their properties.
  void decide_level_properties() {
    if (bound_candidate_) {
      bound_ = std::move(bound_candidate_);
      return;
    }
    for (std::size_t i = 0; i < properties_.size(); ++i) {
      found_.premise_seen[i] = premise_flags_[i].load(std::memory_order_relaxed);
      if (!found_.hits[i] && level_hits_[i].get() != AtomicLeast::kNone) {
        found_.hits[i] = static_cast<Id>(level_hits_[i].get());
        if (properties_[i].kind == PropertyKind::always && options_.stop_at_first_violation) {
          stop(StopReason::first_violation);
        }
      }
    }
  }

  /// Interrupts, time and memory limits, and progress: checked by every worker now and then.
  /// False when the run must stop.
  bool poll(std::size_t pos) {
    if (stop_.load(std::memory_order_relaxed) != kRunning) {
      return false;
    }
    if (interrupt_requested()) {
      stop(StopReason::interrupted);
      return false;
    }
    if ((pos & 255) != 0 || !progress_mutex_.try_lock()) {
      return true;
    }
    const std::lock_guard<std::mutex> lock(progress_mutex_, std::adopt_lock);
    const auto now = std::chrono::steady_clock::now();
    if (options_.max_time && now - start_ >= *options_.max_time) {
      stop(StopReason::time_limit);
    }
    const std::uint64_t bytes = engine_bytes();
    if (options_.max_memory && bytes >= *options_.max_memory) {
      stop(StopReason::memory_limit);
    }
    progress_.update(now, {links_.size(), transitions_, max_depth_, level_.states.size(), bytes});
    return stop_.load(std::memory_order_relaxed) == kRunning;
  }

  /// Memory held by the visited set, the links, and the levels waiting.
  [[nodiscard]] std::uint64_t engine_bytes() const {
    return visited_.bytes() + links_.bytes() + arena_bytes_.load() + claimed_bytes_.load() +
           (level_.states.capacity() + pending_.capacity()) * sizeof(StateRef);
  }

  /// The trace to a state, rebuilt along its parent links; only fingerprints are stored, so the
  /// replay checks each state is one explored.
  tl::expected<Trace<M>, Error> trace_of(Id target) const {
    Path path;
    path.explored = &visited_;
    Id id = target;
    while (links_.parent(id) != ParentLinks::kNoParent) {
      path.actions.push_back(links_.action(id));
      id = links_.parent(id);
    }
    path.initial = links_.action(id);
    std::reverse(path.actions.begin(), path.actions.end());
    return replay(model_, path);
  }

  tl::expected<RunResult<M>, Error> finish() {
    const auto trace = [&](Id id) { return trace_of(id); };
    if (bound_) {
      return tl::unexpected(bound_error(model_, bound_->what, bound_->id, trace));
    }
    const auto started = start_ - std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                      std::chrono::duration<double>(earlier_seconds_));
    Stats stats = run_stats(links_.size(), transitions_, max_depth_, started,
                            visited_.bytes() + links_.bytes(), peak_frontier_, workers_.count());
    stats.reduction = partial_order_ ? Reduction::por : Reduction::none;
    if (state_spill_) {
      stats.spill_bytes = state_spill_->peak_bytes() + link_spill_->peak_bytes();
    }
    const int code = stop_.load();
    const StopReason stop = code != kRunning    ? static_cast<StopReason>(code)
                            : depth_cut_.load() ? StopReason::depth_bound
                                                : StopReason::completed;
    return assemble_result<M>(options_, properties_, found_, stop, stats, trace);
  }

  // Checkpoints (level_checkpoint.h).
  /// Where the run stood when the level being expanded began: what a checkpoint saves.
  struct Boundary {
    std::uint32_t depth = 0;
    std::uint64_t transitions = 0;
    std::uint32_t max_depth = 0;
    Findings<Id> found;
  };
  [[nodiscard]] CheckpointSummary summary() const;
  tl::expected<void, Error> save_checkpoint();
  /// Saves when the interval since the last save has passed.
  tl::expected<void, Error> save_checkpoint_if_due();
  /// Saves a run that a signal or a time or memory limit stopped, as it was when its last level
  /// began.
  tl::expected<void, Error> save_checkpoint_at_stop();
  /// Restores the run saved in options_.resume_file; returns the depth of the level to expand.
  tl::expected<std::uint32_t, Error> resume();
  /// The parts of a checkpoint after its summary; read_visited returns how many states it has.
  tl::expected<std::uint64_t, Error> read_visited(CheckpointReader& in);
  tl::expected<void, Error> read_links(CheckpointReader& in, std::uint64_t ids);
  /// Returns the id of the level's first state.
  tl::expected<Id, Error> read_level(CheckpointReader& in, std::uint64_t ids);

  struct BoundHit {
    Id id;
    std::string what;
  };
  static constexpr int kRunning = -1;

  const M& model_;
  Options options_;
  std::vector<Property<State>> properties_;
  Findings<Id> found_;
  std::vector<AtomicLeast> level_hits_ = std::vector<AtomicLeast>(properties_.size());
  std::vector<std::atomic<bool>> premise_flags_ =
      std::vector<std::atomic<bool>>(properties_.size());
  Workers workers_;
  /// Held by every arena, for the memory limit; outlives them.
  std::atomic<std::uint64_t> arena_bytes_{0};
  /// Where the arenas and the links keep their chunks, if on disk; outlive them.
  std::unique_ptr<SpillFile> state_spill_;
  std::unique_ptr<SpillFile> link_spill_;
  FingerprintSet visited_;
  ParentLinks links_;
  Level level_;
  std::vector<StateRef> pending_;  ///< the next level, as it is numbered
  /// The states one chunk claimed; on a cache line of its own, as threads fill chunks side by side.
  struct alignas(64) ChunkClaims {
    std::vector<Claimed> claimed;
  };
  std::vector<ChunkClaims> chunks_;              ///< per chunk of the level
  std::atomic<std::uint64_t> claimed_bytes_{0};  ///< held by chunks_, as chunks finish
  std::unique_ptr<Arenas> next_bytes_ = make_arenas();
  std::vector<Scratch> scratch_;  ///< per worker
  AtomicLeast deadlock_;
  std::atomic<bool> depth_cut_{false};
  std::atomic<int> stop_{kRunning};
  std::mutex bound_mutex_;
  std::optional<BoundHit> bound_candidate_;
  std::optional<BoundHit> bound_;
  std::uint64_t transitions_ = 0;
  std::uint32_t max_depth_ = 0;
  std::uint64_t peak_frontier_ = 0;
  std::mutex progress_mutex_;
  std::chrono::steady_clock::time_point start_;
  ProgressReporter progress_;
  Boundary boundary_;
  std::chrono::steady_clock::time_point last_checkpoint_ = start_;
  double earlier_seconds_ = 0;  ///< what the run had taken before the checkpoint it resumed
  const bool partial_order_ = reduces_partial_order<M>(options_);
};

}  // namespace dmcheck::checker

#include "checker/level_checkpoint.h"  // IWYU pragma: keep
