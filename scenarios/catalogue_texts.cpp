#include "scenarios/catalogue_texts.h"

#include <fmt/format.h>

#include <string>

#include "scenarios/property_compile.h"
#include "scenarios/property_syntax.h"

namespace dmcheck::scenarios {

namespace {

/// A catalogue text compiled with no scenario's names in scope: it speaks only of bound devices
/// and processes, the kernel actors and the variant.
tl::expected<model::Expr, SyntaxError> compile_text(std::string_view text) {
  auto syntax = parse_property(text);
  if (!syntax) {
    return tl::unexpected(syntax.error());
  }
  return compile_property(*syntax, PropertyNames{});
}

}  // namespace

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
  auto expr = compile_text(p.text);
  if (!expr) {
    return broken(expr.error());
  }
  p.expr = std::move(*expr);
  // The premise the catalogue states (never derived: "no open after the mark" has none to derive).
  const model::CataloguePremise premise = model::catalogue_premise(e.name);
  if (!premise.text.empty()) {
    auto premise_expr = compile_text(premise.text);
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
