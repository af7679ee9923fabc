#pragma once
/// Plain-text rendering of a report: a verdict line per property with what was expected, why
/// the run stopped, statistics, and each trace step by step — who acted, what the call
/// returned, and the parts of the state it changed.

#include <cstdio>
#include <string>

#include "reports/report.h"

namespace dmcheck::reports {

/// One line of statistics. Times vary from run to run; everything else is deterministic.
std::string stats_line(const checker::Stats& stats);

struct TextOptions {
  bool stats = true;
  bool witnesses = false;  ///< also print the witness of each reached goal
};

void render_text(std::FILE* out, const Report& report, const TextOptions& options = {});

}  // namespace dmcheck::reports
