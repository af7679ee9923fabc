#include "cli/exploration_options.h"

#include <chrono>

namespace dmcheck::cli {

void ExplorationFlags::declare(CLI::App& command) {
  command.add_option("--strategy", strategy, "Search order: bfs (shortest traces), dfs, random")
      ->check(CLI::IsMember({"bfs", "dfs", "random"}))
      ->capture_default_str();
  command
      .add_option("--max-depth", max_depth,
                  "Do not expand states at this depth (for random: the walk length)")
      ->check(CLI::Range(0u, 1'000'000'000u));
  command.add_option("--max-states", max_states, "Stop after this many distinct states")
      ->check(CLI::PositiveNumber);
  command.add_option("--max-time", max_seconds, "Stop after this many seconds of wall time")
      ->check(CLI::PositiveNumber);
  command
      .add_option("--max-memory", max_memory_mib,
                  "Stop when the visited set and frontier pass this many MiB")
      ->check(CLI::PositiveNumber);
  command.add_option("--seed", seed, "Seed for random walks")->capture_default_str();
  command.add_option("--walks", walks, "Number of random walks")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
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
  options.strategy = *checker::parse_strategy(strategy);  // validated by CLI11
  options.max_depth = max_depth;
  options.max_states = max_states;
  if (max_seconds) {
    options.max_time = std::chrono::milliseconds(static_cast<std::int64_t>(*max_seconds * 1000));
  }
  if (max_memory_mib) {
    options.max_memory = *max_memory_mib << 20;
  }
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
