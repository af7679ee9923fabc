#pragma once
/// The property language's names and types (docs/properties.md): a parsed expression checked
/// against the names its scenario declares and turned into the model's expression
/// (model/expression.h). Every mistake is reported at its offset in the text, with the closest
/// known name when there is one.

#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "model/expression.h"
#include "scenarios/declared.h"
#include "scenarios/property_syntax.h"

namespace dmcheck::scenarios {

/// What a property of one scenario may name.
struct PropertyNames {
  Declared devices;  ///< device names: [[devices]], and those steps create or rename to
  Declared tables;
  std::vector<std::string> processes;           ///< in file order ("p0" when unnamed)
  std::vector<std::vector<std::string>> calls;  ///< each process's calls, in dmsetup's words
  /// Each process's `count = N` entry when it is one of its copies (model::ProcessSpec::
  /// copy_of): a property may not single out one of them.
  std::vector<std::string> copy_of;
};

/// The model's expression for `syntax`, which must be a truth value.
tl::expected<model::Expr, SyntaxError> compile_property(const Syntax& syntax,
                                                        const PropertyNames& names);

/// The errno names a property may use (ENXIO, EBUSY, ...), as the model knows them.
const std::vector<std::string>& errno_names();

}  // namespace dmcheck::scenarios
