#pragma once
/// JUnit XML for CI systems: one test case per scenario, plus one for step coverage.

#include <string>
#include <vector>

#include "reports/report.h"

namespace dmcheck::reports {

/// A scenario that could not be run (bad input): its name and the message.
struct BrokenScenario {
  std::string name;
  std::string message;
};

std::string render_junit(const std::vector<Report>& reports,
                         const std::vector<BrokenScenario>& broken,
                         const std::vector<std::string>& uncovered_steps);

}  // namespace dmcheck::reports
