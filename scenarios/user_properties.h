#pragma once
/// Reads a scenario's own properties, `[[properties]]` (docs/properties.md): each a name, an
/// optional meaning, and an expression under `always` (an invariant) or `sometimes` (a goal).

#include <toml++/toml.h>

#include "scenarios/loading.h"
#include "scenarios/reader.h"

namespace dmcheck::scenarios {

/// Appends each entry to the configuration's user properties, its expression parsed and checked
/// against the names the scenario declares. Fails at the exact place of the first mistake.
void read_user_properties(const Reader& r, const toml::table& root, Loading& l);

/// Fails at the name of the first property of the scenario's own that [expect] gives no verdict:
/// a property is stated to be checked, and a check whose verdict nobody states would pass
/// whatever it found.
void check_user_properties_expected(const Reader& r, const Loading& l);

/// Where verdicts may go unstated (dmcheck check): each property of the scenario's own that
/// [expect] does not name is checked with no verdict stated, so that it is reported.
void name_unexpected_user_properties(const Reader& r, Loading& l);

}  // namespace dmcheck::scenarios
