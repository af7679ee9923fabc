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

}  // namespace dmcheck::scenarios
