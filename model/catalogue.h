#pragma once
/// The property catalogue: every property the model offers, named and explained in one
/// sentence, with the reading chosen where a review thread left a detail open. A Config picks
/// properties from it by name; the definitions are in properties.cpp.

#include <string_view>
#include <vector>

#include "checker/property.h"

namespace dmcheck::model {

/// One catalogue entry, for listings and for validating Config::properties.
struct CatalogueEntry {
  std::string_view name;
  checker::PropertyKind kind;
  std::string_view meaning;  ///< one sentence
  std::string_view reading;  ///< the interpretation chosen where the sources leave it open
};

/// Every property, in a fixed order.
const std::vector<CatalogueEntry>& catalogue();

/// The entry named `name`, or nullptr.
const CatalogueEntry* find_in_catalogue(std::string_view name);

/// For an invariant of the form "if A, then B": A in words (it holds vacuously when A never
/// happens); "" for every other property.
std::string_view catalogue_premise(std::string_view name);

}  // namespace dmcheck::model
