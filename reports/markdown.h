#pragma once
/// A Markdown summary of a library run, for CI pages and review threads.

#include <string>

#include "reports/library.h"

namespace dmcheck::reports {

std::string render_markdown(const LibraryRun& run);

}  // namespace dmcheck::reports
