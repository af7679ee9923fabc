#pragma once
/// A run of a scenario library (`dmcheck ci`), as the JUnit and Markdown renderers see it:
/// the scenarios that ran, those that could not, those a signal kept from running, the files
/// skipped as no check scenarios, and step coverage.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "reports/report.h"

namespace dmcheck::reports {

/// Why ci skips a file in a subfolder that states no verdict (no [expect]), in every format.
inline constexpr std::string_view kNotACheckScenario = "no verdict stated, not a check scenario";

/// A scenario that could not be run (bad input): its name and the message.
struct BrokenScenario {
  std::string name;
  std::string message;
};

struct LibraryRun {
  std::vector<Report> reports;  ///< scenarios that ran (the last one partly, if stopped)
  std::vector<BrokenScenario> broken;
  std::vector<std::string> not_run;  ///< scenarios a signal kept from running
  std::string not_run_reason;        ///< why, e.g. "interrupted by SIGTERM"
  /// Files in subfolders that state no verdict (race files, say): not check scenarios, so
  /// listed as skipped rather than run.
  std::vector<std::string> skipped;
  /// Step coverage is judged only when every scenario ran to its end, and not when it was
  /// turned off; `coverage_not_judged` says why it was not.
  bool coverage_checked = true;
  std::string coverage_not_judged = "not every scenario ran to its end";
  std::vector<std::string> uncovered_steps;
  std::size_t covered_steps = 0;

  /// Scenarios whose outcome is `outcome` (as expected, say).
  [[nodiscard]] std::size_t count(Outcome outcome) const {
    std::size_t n = 0;
    for (const auto& r : reports) {
      n += r.outcome() == outcome;
    }
    return n;
  }
  [[nodiscard]] std::size_t as_expected() const { return count(Outcome::as_expected); }
};

}  // namespace dmcheck::reports
