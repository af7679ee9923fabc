#pragma once
/// `check`'s checkpoint options: save a long run as it goes, and go on from a saved one.

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "checker/options.h"

namespace dmcheck::cli {

struct CheckpointFlags {
  std::string file;
  std::optional<double> every_seconds;
  std::string resume;

  void declare(CLI::App& command);
  /// Puts the flags into `options` for a run of `files`, named by `identity` (what the run is
  /// of). Refuses, with a sentence, a checkpoint for more than one file, for a strategy other
  /// than breadth-first, or in a directory it cannot write.
  [[nodiscard]] tl::expected<void, std::string> apply(const std::vector<std::string>& files,
                                                      std::string identity,
                                                      checker::Options& options) const;
};

}  // namespace dmcheck::cli
