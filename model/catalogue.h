#pragma once
/// The property catalogue: every property the model offers, named and explained in one
/// sentence, with the reading chosen where a review thread left a detail open. A Config picks
/// properties from it by name. Most are defined by a text in the property language, which the
/// scenario front end compiles (Config::catalogue_texts); the rest, and every one of a
/// configuration built without the front end, by the code in properties.cpp.

#include <string_view>
#include <vector>

#include "checker/property.h"
#include "model/variant.h"

namespace dmcheck::model {

/// One catalogue entry, for listings and for validating Config::properties.
struct CatalogueEntry {
  std::string_view name;
  checker::PropertyKind kind;
  std::string_view meaning;  ///< one sentence
  std::string_view reading;  ///< the interpretation chosen where the sources leave it open
  /// The definition in the property language (docs/properties.md): what is checked when a
  /// scenario is loaded. Empty when the language cannot say it; then `needs` says what it lacks
  /// and the model's code (properties.cpp) defines the property.
  std::string_view text;
  std::string_view needs;  ///< for a property defined in code: what the language does not read
  /// The variants where the property can fail or be reached (null: all); elsewhere it holds or
  /// is unreachable by construction, so `check --all-properties` leaves it out.
  bool (*applies)(const Variant&) = nullptr;
  std::string_view applies_to = {};  ///< those variants, in words ("" for all)
};

/// Whether `e` is worth checking under `v` (CatalogueEntry::applies).
bool applies(const CatalogueEntry& e, const Variant& v);

/// Every property, in a fixed order.
const std::vector<CatalogueEntry>& catalogue();

/// The entry named `name`, or nullptr.
const CatalogueEntry* find_in_catalogue(std::string_view name);

/// The premise of an invariant of the form "if A, then B": while no reachable state has A, the
/// invariant holds only vacuously.
struct CataloguePremise {
  std::string_view meaning;  ///< A in words; "" for a property without a premise
  std::string_view text;     ///< A in the property language
};

/// The premise of the catalogue property `name` (empty for a goal or another form).
CataloguePremise catalogue_premise(std::string_view name);

}  // namespace dmcheck::model
