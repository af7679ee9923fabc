#pragma once
/// The catalogue's texts (model::CatalogueEntry::text) compiled by the property language's front
/// end: what a loaded scenario checks for each text-defined catalogue property.

#include <tl/expected.hpp>
#include <vector>

#include "checker/error.h"
#include "model/catalogue.h"
#include "model/expression.h"

namespace dmcheck::scenarios {

/// Entry `e`'s text compiled. A catalogue text names no device, table or process of a
/// scenario, so it compiles the same for every scenario. Fails (a model error: the catalogue is
/// wrong, not the scenario) when the text does not compile.
tl::expected<model::UserProperty, Error> compile_catalogue_text(const model::CatalogueEntry& e);

/// Every text-defined catalogue property compiled, in catalogue order (compiled once), as
/// model::Config::catalogue_texts wants them.
const tl::expected<std::vector<model::UserProperty>, Error>& catalogue_texts();

}  // namespace dmcheck::scenarios
