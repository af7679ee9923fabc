#pragma once
/// The exploration options shared by the subcommands that run the engine.

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "checker/options.h"

namespace dmcheck::cli {

struct ExplorationFlags {
  std::string strategy = "bfs";
  std::string reduction = "symmetry";
  std::optional<std::uint64_t> max_depth;
  std::optional<std::uint64_t> max_states;
  std::optional<double> max_seconds;
  std::optional<std::uint64_t> max_memory_mib;
  std::uint64_t seed = 1;
  std::uint64_t walks = 1000;
  bool no_deadlock = false;
  bool stop_at_first = false;
  std::string progress = "auto";
  std::optional<std::uint64_t> threads;
  std::string spill_dir;

  /// Declares the flags on `command`; a malformed or out-of-range value fails the command line
  /// (exit status 2) with a message naming the flag and its range.
  void declare(CLI::App& command);
  /// The engine's options. Without --max-memory, the limit is the default one
  /// (checker::default_memory_limit), so a run stops before it exhausts the machine.
  [[nodiscard]] checker::Options to_options() const;
};

/// Seconds as the engine's milliseconds, rounded up so a tiny time is not zero; a time past
/// checker::kLongestTime is practically unlimited and taken as that.
std::chrono::milliseconds to_milliseconds(double seconds);

/// The largest --max-memory: its bytes must fit in 64 bits.
inline constexpr std::uint64_t kMaxMemoryMiB = (std::uint64_t{1} << 44) - 1;

}  // namespace dmcheck::cli
