#include "conformance/dm_names.h"

namespace dmcheck::conformance {

std::string invalid_dm_name(std::string_view name) {
  if (name.size() > kMaxDmName) {
    return "device name of " + std::to_string(name.size()) + " bytes is longer than the kernel's " +
           std::to_string(kMaxDmName);
  }
  if (name.find('\0') != std::string_view::npos) {
    return "device name contains a NUL byte";
  }
  if (name.find('/') != std::string_view::npos) {
    return "device name '" + std::string(name) + "' contains '/'";
  }
  return "";
}

std::string invalid_dm_uuid(std::string_view uuid) {
  if (uuid.size() > kMaxDmUuid) {
    return "uuid of " + std::to_string(uuid.size()) + " bytes is longer than the kernel's " +
           std::to_string(kMaxDmUuid);
  }
  if (uuid.find('\0') != std::string_view::npos) {
    return "uuid contains a NUL byte";
  }
  return "";
}

}  // namespace dmcheck::conformance
