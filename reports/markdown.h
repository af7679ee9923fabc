#pragma once
/// A Markdown summary of a library run, for CI pages and review threads.

#include <string>
#include <vector>

#include "reports/junit.h"
#include "reports/report.h"

namespace dmcheck::reports {

std::string render_markdown(const std::vector<Report>& reports,
                            const std::vector<BrokenScenario>& broken,
                            const std::vector<std::string>& uncovered_steps,
                            std::size_t covered_steps);

}  // namespace dmcheck::reports
