#pragma once
/// What a run found: a verdict per property with its trace, why the run stopped, statistics.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checker/options.h"
#include "checker/property.h"

namespace dmcheck::checker {

enum class StopReason : std::uint8_t {
  completed,        ///< every reachable state was explored: verdicts are final
  depth_bound,      ///< states at the depth bound had successors that were not explored
  state_limit,      ///< the distinct-state limit was reached
  time_limit,       ///< the wall-time limit was reached
  memory_limit,     ///< the engine's memory limit was reached
  out_of_memory,    ///< an allocation failed: the memory was exhausted before any limit
  spill_full,       ///< the disk under the spill files had no room for more
  interrupted,      ///< SIGINT or SIGTERM
  first_violation,  ///< asked to stop at the first violated invariant
  walks_done,       ///< random walks never prove absence
};

std::string_view to_string(StopReason reason);

enum class Verdict : std::uint8_t {
  holds,        ///< always-property, exhaustive run, no violation
  violated,     ///< always-property with a counterexample
  reached,      ///< sometimes-property with a witness
  unreachable,  ///< sometimes-property, exhaustive run, no witness
  unknown,      ///< the run stopped early before deciding
  /// always-property "A implies B", exhaustive run, no violation, and A held in no reachable
  /// state: it held for want of a case, not because B followed A
  holds_vacuously,
};

std::string_view to_string(Verdict verdict);

/// Name of the built-in property that fails on a non-final state without successors.
inline constexpr std::string_view kDeadlockProperty = "no-deadlock";

struct Stats {
  std::uint64_t states = 0;       ///< distinct states
  std::uint64_t transitions = 0;  ///< successors generated, duplicates included
  std::uint32_t max_depth = 0;    ///< deepest state discovered (BFS: the shortest-path depth)
  double seconds = 0;
  double states_per_second = 0;
  std::uint64_t store_bytes = 0;     ///< visited set at the end
  double bytes_per_state = 0;        ///< visited set bytes / distinct states
  std::uint64_t peak_frontier = 0;   ///< most states waiting in the queue or stack at once
  std::uint64_t peak_rss_bytes = 0;  ///< the process's high-water mark (VmHWM)
  std::uint64_t spill_bytes = 0;     ///< most bytes in spill files at once (Options::spill_dir)
  double collision_probability = 0;  ///< chance two distinct states shared a fingerprint
  unsigned threads = 1;              ///< threads that explored
  /// The reduction applied: none; symmetry when the model has interchangeable actors; por when
  /// the model names moves that commute (partial_order.h). The state and transition counts are
  /// those of the reduced space.
  Reduction reduction = Reduction::none;
};

/// A path from an initial state: states[0] is initial, actions[i] leads states[i] -> states[i+1].
template <class M>
struct Trace {
  std::vector<typename M::State> states;
  std::vector<typename M::Action> actions;
  std::uint32_t initial = 0;              ///< which initial state
  std::vector<std::uint32_t> successors;  ///< actions[i] is successor #successors[i] of states[i]
  [[nodiscard]] std::size_t length() const { return actions.size(); }
};

template <class M>
struct PropertyResult {
  std::string name;
  PropertyKind kind;
  std::string meaning;
  Verdict verdict;
  std::optional<Trace<M>> trace;  ///< counterexample (always) or witness (sometimes)
  std::string antecedent;         ///< the premise in words, when the invariant has one
};

template <class M>
struct RunResult {
  Strategy strategy;
  StopReason stop;
  Stats stats;
  std::vector<PropertyResult<M>> properties;  ///< the model's order; the deadlock check last

  [[nodiscard]] bool complete() const { return stop == StopReason::completed; }
  [[nodiscard]] const PropertyResult<M>* find(std::string_view name) const {
    for (const auto& p : properties) {
      if (p.name == name) {
        return &p;
      }
    }
    return nullptr;
  }
};

}  // namespace dmcheck::checker
