#pragma once
/// Reads a scenario's [expect] section: the verdict it expects of each property, listed under
/// the verdict that fits the property's kind, and the trace lengths it expects.

#include <toml++/toml.h>

#include "scenarios/reader.h"
#include "scenarios/scenario.h"

namespace dmcheck::scenarios {

/// Fills `s.expectations` in file order. Fails at the place at fault on a missing [expect], an
/// unknown property or one under a verdict of the other kind, a property expected twice, a
/// shortest length for one not expected violated or reachable, or no reachable goal (a scenario
/// proves it is not vacuous by reaching one).
void read_expectations(const Reader& r, const toml::table& root, Scenario& s);

}  // namespace dmcheck::scenarios
