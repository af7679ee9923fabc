#include "scenarios/catalogue_texts.h"

#include <fmt/format.h>

#include <string>

#include "scenarios/property_compile.h"
#include "scenarios/property_syntax.h"

namespace dmcheck::scenarios {

tl::expected<model::UserProperty, Error> compile_catalogue_text(const model::CatalogueEntry& e) {
  const auto broken = [&](const SyntaxError& why) {
    return tl::unexpected(Error{ErrorKind::model,
                                fmt::format("catalogue property '{}': its text does not compile "
                                            "at offset {}: {}",
                                            e.name, why.offset, why.message),
                                std::nullopt});
  };
  model::UserProperty p;
  p.name = std::string(e.name);
  p.kind = e.kind;
  p.meaning = std::string(e.meaning);
  p.text = std::string(e.text);
  auto syntax = parse_property(p.text);
  if (!syntax) {
    return broken(syntax.error());
  }
  // No scenario's names: a catalogue text speaks only of bound devices and processes, the
  // kernel actors and the variant.
  auto expr = compile_property(*syntax, PropertyNames{});
  if (!expr) {
    return broken(expr.error());
  }
  p.expr = std::move(*expr);
  // The premise the catalogue states (never derived: "no open after the mark" has none to derive).
  const model::CataloguePremise premise = model::catalogue_premise(e.name);
  if (!premise.text.empty()) {
    auto premise_syntax = parse_property(premise.text);
    if (!premise_syntax) {
      return broken(premise_syntax.error());
    }
    auto premise_expr = compile_property(*premise_syntax, PropertyNames{});
    if (!premise_expr) {
      return broken(premise_expr.error());
    }
    p.premise = std::move(*premise_expr);
    p.premise_text = std::string(premise.meaning);
  }
  return p;
}

const tl::expected<std::vector<model::UserProperty>, Error>& catalogue_texts() {
  static const tl::expected<std::vector<model::UserProperty>, Error> kTexts =
      []() -> tl::expected<std::vector<model::UserProperty>, Error> {
    std::vector<model::UserProperty> out;
    for (const model::CatalogueEntry& e : model::catalogue()) {
      if (e.text.empty()) {
        continue;
      }
      auto p = compile_catalogue_text(e);
      if (!p) {
        return tl::unexpected(p.error());
      }
      out.push_back(std::move(*p));
    }
    return out;
  }();
  return kTexts;
}

}  // namespace dmcheck::scenarios
