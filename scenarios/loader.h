#pragma once
/// Reads a scenario file. Every error names the file, line and column and says what was
/// expected; nothing falls back to a default silently.

#include <string>
#include <tl/expected.hpp>

#include "scenarios/scenario.h"

namespace dmcheck::scenarios {

tl::expected<Scenario, Error> load_scenario(const std::string& path);

/// The same, from text (for tests and for stdin); `file` names it in messages.
tl::expected<Scenario, Error> parse_scenario(std::string_view text, const std::string& file);

}  // namespace dmcheck::scenarios
