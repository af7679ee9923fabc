#pragma once
/// How to explore: the strategy, its bounds and the limits that stop a run early.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dmcheck::checker {

enum class Strategy : std::uint8_t {
  bfs,          ///< breadth-first: every counterexample and witness is a shortest one
  dfs,          ///< depth-first: less frontier memory, traces may be longer
  random_walk,  ///< seeded random walks from the initial states; never exhaustive
};

std::string_view to_string(Strategy strategy);
std::optional<Strategy> parse_strategy(std::string_view text);

/// State-space reductions. Each applies only where the model declares what it needs; a run says
/// in its statistics which one it applied.
enum class Reduction : std::uint8_t {
  none,      ///< every state explored as it is
  symmetry,  ///< one representative per orbit of interchangeable actors (see symmetry.h)
  por,       ///< partial-order reduction: one order of independent moves (partial_order.h)
  all,       ///< every reduction the model supports
};

std::string_view to_string(Reduction reduction);
std::optional<Reduction> parse_reduction(std::string_view text);

enum class ProgressMode : std::uint8_t { automatic, always, never };

/// The longest time limit, about a century: any longer one means the same in practice, and
/// keeping below it keeps the engine's deadline arithmetic (in nanoseconds) from overflowing.
inline constexpr std::chrono::milliseconds kLongestTime{100LL * 365 * 24 * 3600 * 1000};

/// How often a run with a checkpoint file saves itself by default.
inline constexpr std::chrono::milliseconds kDefaultCheckpointInterval{5 * 60 * 1000};

/// The most threads a run may be given.
inline constexpr unsigned kMaxThreads = 1024;

struct Options {
  Strategy strategy = Strategy::bfs;
  /// States at this depth are not expanded (a depth bound); for random walks, the walk length.
  std::optional<std::uint32_t> max_depth;
  std::optional<std::uint64_t> max_states;
  /// Wall time; check() takes a longer one, or a negative one, as kLongestTime or zero.
  std::optional<std::chrono::milliseconds> max_time;
  /// Bytes the engine may hold for visited states plus the frontier.
  std::optional<std::uint64_t> max_memory;
  /// Threads exploring (breadth-first only; the other strategies use one). 0: one per core the
  /// process may use. The result does not depend on it.
  unsigned threads = 0;
  /// Reductions the run may apply; the verdicts do not depend on it, the state counts do, and
  /// under a partial-order reduction the lengths of the traces may.
  Reduction reduction = Reduction::symmetry;
  bool check_deadlock = true;
  bool stop_at_first_violation = false;
  std::uint64_t seed = 1;
  std::uint64_t walks = 1000;
  std::uint32_t default_walk_depth = 1000;
  ProgressMode progress = ProgressMode::automatic;
  /// Breadth-first only (checkpoint.h): save the run to this file between levels, at the first
  /// level boundary `checkpoint_every` after the last save, and when a signal or a time or memory
  /// limit stops the run. "" saves nothing.
  std::string checkpoint_file;
  std::chrono::milliseconds checkpoint_every = kDefaultCheckpointInterval;
  /// Breadth-first only: go on from this checkpoint instead of the initial states; "" starts anew.
  std::string resume_file;
  /// Breadth-first only: keep the packed states of the levels waiting and the parent links in
  /// files in this directory (spill_file.h), so memory holds the visited set and little else;
  /// the memory limit then counts what stays in memory. "" keeps everything in memory.
  std::string spill_dir;
  /// What the caller's run is of (a scenario's text and variant, say): a checkpoint of a run
  /// with another identity is refused.
  std::string identity;
};

}  // namespace dmcheck::checker
