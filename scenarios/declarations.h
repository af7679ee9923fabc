#pragma once
/// The scenario loader's check that every name a scenario uses is declared: a step names only
/// devices and tables the file declares and closes or reads only what its process opens, a
/// target sits only on a disk or a declared device, the internal suspender names a declared
/// device, and no more distinct names or uuids are declared than the model holds. A typo is
/// caught where it is written instead of passing as a device that never appears.

#include "scenarios/declared.h"
#include "scenarios/loading.h"
#include "scenarios/reader.h"

namespace dmcheck::scenarios {

/// The tables `config` defines so far, to suggest one for a misspelt name.
Declared table_names(const model::Config& config);

/// Fails at the first name used but not declared, or declared past the model's bound.
void check_declared(const Reader& r, const Loading& l);

}  // namespace dmcheck::scenarios
