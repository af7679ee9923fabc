#include "model/variant.h"

#include <array>
#include <utility>

namespace dmcheck::model {
namespace {

constexpr std::array<std::pair<Patch, std::string_view>, 4> kPatchNames{{
    {kNoOpenFlag, "no-open-flag"},
    {kOpenLimitIoctl, "open-limit-ioctl"},
    {kCreateOpenLimit, "create-open-limit"},
    {kFinalizeHook, "finalize-hook"},
}};

Error bad(std::string message) { return Error{ErrorKind::bad_input, std::move(message), {}}; }

}  // namespace

tl::expected<Variant, Error> parse_variant(std::string_view text) {
  Variant variant;
  const std::size_t plus = text.find('+');
  const std::string_view base = text.substr(0, plus);
  if (base == "6.1") {
    variant.base = Base::v6_1;
  } else if (base == "6.12") {
    variant.base = Base::v6_12;
  } else {
    return tl::unexpected(
        bad("unknown base kernel '" + std::string(base) + "': expected 6.1 or 6.12"));
  }
  std::string_view rest =
      plus == std::string_view::npos ? std::string_view{} : text.substr(plus + 1);
  while (plus != std::string_view::npos) {
    const std::size_t next = rest.find('+');
    const std::string_view name = rest.substr(0, next);
    bool found = false;
    for (const auto& [patch, patch_name] : kPatchNames) {
      if (name == patch_name) {
        variant.patches |= patch;
        found = true;
      }
    }
    if (!found) {
      return tl::unexpected(bad("unknown patch '" + std::string(name) +
                                "': expected no-open-flag, open-limit-ioctl, "
                                "create-open-limit or finalize-hook"));
    }
    if (next == std::string_view::npos) {
      break;
    }
    rest = rest.substr(next + 1);
  }
  return variant;
}

std::string to_string(const Variant& variant) {
  std::string text = variant.base == Base::v6_1 ? "6.1" : "6.12";
  for (const auto& [patch, name] : kPatchNames) {
    if (variant.has(patch)) {
      text += "+";
      text += name;
    }
  }
  return text;
}

}  // namespace dmcheck::model
