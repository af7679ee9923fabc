#include "model/target_status.h"

#include <array>

namespace dmcheck::model {

std::string target_reply_text(const Observation& obs) {
  if (obs.data == kStatusPool) {
    return std::to_string(obs.more[0]) + "/" + std::to_string(obs.more[1]);
  }
  std::string text;
  for (const std::uint8_t code : std::array{obs.data, obs.more[0], obs.more[1], obs.more[2]}) {
    if (code == kStatusNoTarget) {
      continue;
    }
    text += text.empty() ? "" : " ";
    switch (code) {
      case kStatusBare:
        text += "-";
        break;
      case kStatusVerityValid:
        text += "V";
        break;
      case kStatusVerityCorrupt:
        text += "C";
        break;
      default:
        text += code >= kTableTarget
                    ? std::string(to_string(static_cast<TargetKind>(code - kTableTarget)))
                : code >= kStatusThin ? std::to_string(code - kStatusThin)
                                      : "?" + std::to_string(code);
    }
  }
  return text.empty() ? "no targets" : text;
}

}  // namespace dmcheck::model
