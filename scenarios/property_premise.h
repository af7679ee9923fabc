#pragma once
/// The premise of an invariant written `A implies B`, in the language's own words: what a report
/// names when the invariant holds only vacuously (A was false in every reachable state).

#include <string>

#include "scenarios/property_syntax.h"

namespace dmcheck::scenarios {

/// A of `A implies B`, under any `forall`s, which become `exists` ("exists d in devices: A");
/// "" when `s` has no such form. Matches model::premise() on the compiled expression.
std::string premise_text(const Syntax& s);

}  // namespace dmcheck::scenarios
