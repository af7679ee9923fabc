#pragma once
/// JUnit XML for CI systems: one test case per scenario (skipped when a signal kept it from
/// running), plus one for step coverage.

#include <string>

#include "reports/library.h"

namespace dmcheck::reports {

/// Always well-formed: text is escaped, and bytes XML cannot carry (control characters, text
/// that is not UTF-8) are replaced.
std::string render_junit(const LibraryRun& run);

}  // namespace dmcheck::reports
