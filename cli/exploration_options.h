#pragma once
/// The exploration options shared by the subcommands that run the engine.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "checker/options.h"

namespace dmcheck::cli {

struct ExplorationFlags {
  std::string strategy = "bfs";
  std::optional<std::uint32_t> max_depth;
  std::optional<std::uint64_t> max_states;
  std::optional<double> max_seconds;
  std::optional<std::uint64_t> max_memory_mib;
  std::uint64_t seed = 1;
  std::uint64_t walks = 1000;
  bool no_deadlock = false;
  bool stop_at_first = false;
  std::string progress = "auto";

  /// Declares the flags on `command`; CLI11 then rejects malformed values with exit status 2.
  void declare(CLI::App& command);
  [[nodiscard]] checker::Options to_options() const;
};

}  // namespace dmcheck::cli
