#include "cli/exploration_options.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <limits>

#include "checker/memory.h"
#include "cli/number_options.h"

namespace dmcheck::cli {

namespace {

constexpr std::uint64_t kMaxU64 = std::numeric_limits<std::uint64_t>::max();

/// The default memory limit, read once: every run of one command has the same limit, and the
/// help text shows the one a run would get.
const std::optional<std::uint64_t>& default_memory_limit() {
  static const std::optional<std::uint64_t> limit = checker::default_memory_limit();
  return limit;
}

std::string memory_help() {
  const auto& limit = default_memory_limit();
  return fmt::format(
      "Stop when the visited set and frontier pass this many MiB (default: half the memory "
      "available at start{})",
      limit ? fmt::format(", now {} MiB", *limit >> 20) : std::string(", none without /proc"));
}

}  // namespace

/// Seconds as the engine's milliseconds, rounded up so a tiny limit is not zero; a limit past
/// checker::kLongestTime is practically unlimited and taken as that.
std::chrono::milliseconds to_milliseconds(double seconds) {
  const double ms = std::ceil(seconds * 1000);
  if (ms >= static_cast<double>(checker::kLongestTime.count())) {
    return checker::kLongestTime;
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
}

void ExplorationFlags::declare(CLI::App& command) {
  command.add_option("--strategy", strategy, "Search order: bfs (shortest traces), dfs, random")
      ->check(CLI::IsMember({"bfs", "dfs", "random"}))
      ->capture_default_str();
  command
      .add_option("--reduction", reduction,
                  "State-space reduction: none, symmetry (one state per orbit of the processes "
                  "a scenario declares interchangeable), por (partial-order: one order of moves "
                  "that commute, where the model declares them), all; verdicts do not depend "
                  "on it")
      ->check(CLI::IsMember({"none", "symmetry", "por", "all"}))
      ->capture_default_str();
  add_whole_number_option(command, "--max-depth", max_depth, 0,
                          std::numeric_limits<std::uint32_t>::max(),
                          "Do not expand states at this depth (for random: the walk length)");
  add_whole_number_option(command, "--max-states", max_states, 1, kMaxU64,
                          "Stop after this many distinct states");
  add_seconds_option(command, "--max-time", max_seconds,
                     "Stop after this many seconds of wall time (e.g. 0.5, 3600)");
  add_whole_number_option(command, "--max-memory", max_memory_mib, 1, kMaxMemoryMiB, memory_help(),
                          "MiB");
  command
      .add_option("--spill", spill_dir,
                  "Keep a breadth-first run's waiting states and parent links in a file in this "
                  "directory (deleted at once, gone when dmcheck exits), so that memory holds "
                  "mainly the visited set; --max-memory then counts memory only")
      ->check(CLI::ExistingDirectory);
  add_whole_number_option(command, "--threads", threads, 1, checker::kMaxThreads,
                          "Threads exploring breadth-first (default: one per core; dfs and random "
                          "use one); the results do not depend on it");
  add_whole_number_option(command, "--seed", seed, 0, kMaxU64, "Seed for random walks");
  add_whole_number_option(command, "--walks", walks, 1, kMaxU64, "Number of random walks");
  command.add_flag("--no-deadlock", no_deadlock, "Do not report states without successors");
  command.add_flag("--stop-at-first", stop_at_first, "Stop at the first violated invariant");
  command
      .add_option("--progress", progress,
                  "Progress line on stderr: auto (if a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
}

checker::Options ExplorationFlags::to_options() const {
  checker::Options options;
  options.strategy = *checker::parse_strategy(strategy);     // validated by CLI11
  options.reduction = *checker::parse_reduction(reduction);  // validated by CLI11
  if (max_depth) {
    options.max_depth = static_cast<std::uint32_t>(*max_depth);  // range checked when parsed
  }
  options.max_states = max_states;
  if (max_seconds) {
    options.max_time = to_milliseconds(*max_seconds);
  }
  options.max_memory =
      max_memory_mib ? std::optional(*max_memory_mib << 20) : default_memory_limit();
  options.spill_dir = spill_dir;
  options.threads = threads ? static_cast<unsigned>(*threads) : 0;  // range checked when parsed
  options.seed = seed;
  options.walks = walks;
  options.check_deadlock = !no_deadlock;
  options.stop_at_first_violation = stop_at_first;
  options.progress = progress == "always"  ? checker::ProgressMode::always
                     : progress == "never" ? checker::ProgressMode::never
                                           : checker::ProgressMode::automatic;
  return options;
}

}  // namespace dmcheck::cli
