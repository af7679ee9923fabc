#pragma once
/// Where a byte of a TOML string value is written in the file: a property's mistake is reported
/// at its own line and column, not at the start of the string that holds it.

#include <toml++/toml.h>

#include <cstddef>

#include "scenarios/reader.h"

namespace dmcheck::scenarios {

/// The place of byte `offset` of the string value `node`. Exact for literal strings and for
/// basic strings up to their first escape; past an escape (whose written and read lengths
/// differ), the string's own start.
SourceLocation place_in_string(const Reader& r, const toml::node& node, std::size_t offset);

}  // namespace dmcheck::scenarios
