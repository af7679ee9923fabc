#pragma once
/// Reads a scenario file. Every error names the file, line and column and says what was
/// expected; nothing falls back to a default silently.

#include <string>
#include <tl/expected.hpp>

#include "scenarios/scenario.h"

namespace dmcheck::scenarios {

/// Whether a file must state its verdicts. dmcheck ci and the library need them; check and
/// matrix (which report a verdict nobody stated), outcomes and race conformance do not. Where
/// they are optional, a file without [expect] names every property, none with a verdict.
enum class Expectations { required, optional };

tl::expected<Scenario, Error> load_scenario(const std::string& path,
                                            Expectations expectations = Expectations::required);

/// The same, from text (for tests and for stdin); `file` names it in messages.
tl::expected<Scenario, Error> parse_scenario(std::string_view text, const std::string& file,
                                             Expectations expectations = Expectations::required);

}  // namespace dmcheck::scenarios
