#pragma once
/// Reads a scenario's [expect] section: the verdict it expects of each property, listed under
/// the verdict that fits the property's kind, the trace lengths it expects, and the properties it
/// names without a verdict (`any`). A scenario without [expect] names every property.

#include <toml++/toml.h>

#include "scenarios/loader.h"
#include "scenarios/reader.h"
#include "scenarios/scenario.h"

namespace dmcheck::scenarios {

/// Fills `s.expectations` in file order. Fails at the place at fault on an unknown property or
/// one under a verdict of the other kind, a property named twice, or a shortest length for one
/// not expected violated or reachable. Where verdicts are `required` (dmcheck ci, the library)
/// it also fails on a missing [expect], on `any`, and on no reachable goal (a scenario proves it
/// is not vacuous by reaching one). Where they are optional and [expect] is missing, every
/// catalogue property and the deadlock check are named, none with a verdict.
void read_expectations(const Reader& r, const toml::table& root, Expectations mode, Scenario& s);

/// Adds every catalogue property that applies to `variant` (model::applies) and the scenario
/// does not name yet, with no verdict stated, so that it is checked and reported
/// (dmcheck check --all-properties).
void name_applicable_catalogue(Scenario& s, const model::Variant& variant);

}  // namespace dmcheck::scenarios
