#pragma once
/// The JUnit and Markdown summaries a command writes of its runs (--junit, --markdown): declared
/// once, checked before any work so that neither overwrites an input or the other, and written
/// after the runs, even partial ones.

#include <CLI/CLI.hpp>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "reports/library.h"

namespace dmcheck::cli {

struct SummaryFiles {
  std::string junit;
  std::string markdown;

  /// Adds --junit and --markdown to `command`.
  void declare(CLI::App& command);

  /// Refuses outputs that would overwrite one of `inputs` or each other; the error is a message.
  [[nodiscard]] tl::expected<void, std::string> check(const std::vector<std::string>& inputs) const;

  /// Writes each file asked for; a file that cannot be written is reported on stderr and makes
  /// the status bad input (2), otherwise 0.
  [[nodiscard]] int write(const reports::LibraryRun& run) const;
};

}  // namespace dmcheck::cli
