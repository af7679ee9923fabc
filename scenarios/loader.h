#pragma once
/// Reads a scenario file. Every error names the file, line and column and says what was
/// expected; nothing falls back to a default silently.

#include <string>
#include <tl/expected.hpp>

#include "scenarios/scenario.h"

namespace dmcheck::scenarios {

/// Whether a file must state its verdicts. Checking needs them; listing the outcomes of a race
/// (dmcheck outcomes, race conformance) does not, and reads an [expect] section only if given.
enum class Expectations { required, optional };

tl::expected<Scenario, Error> load_scenario(const std::string& path,
                                            Expectations expectations = Expectations::required);

/// The same, from text (for tests and for stdin); `file` names it in messages.
tl::expected<Scenario, Error> parse_scenario(std::string_view text, const std::string& file,
                                             Expectations expectations = Expectations::required);

}  // namespace dmcheck::scenarios
