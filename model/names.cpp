#include "model/names.h"

#include <fmt/format.h>

namespace dmcheck::model {
namespace {

/// The start of a long string, enough to recognise it in a message.
std::string shown(std::string_view text) {
  constexpr std::size_t kShown = 24;
  std::string out;
  for (const char ch : text.substr(0, kShown)) {
    out += ch == '\0' ? std::string("\\0") : std::string(1, ch);
  }
  return text.size() > kShown ? out + "..." : out;
}

}  // namespace

std::string device_name_problem(std::string_view name) {
  if (name.empty()) {
    return "a device name cannot be empty";
  }
  if (name.size() > kMaxNameBytes) {
    return fmt::format("device name '{}' is {} bytes; the kernel takes at most {}", shown(name),
                       name.size(), kMaxNameBytes);
  }
  if (name.find('\0') != std::string_view::npos) {
    return fmt::format("device name '{}' contains a NUL byte, which would cut it short",
                       shown(name));
  }
  if (name.find('/') != std::string_view::npos) {
    return fmt::format("device name '{}' contains '/', which the kernel refuses", shown(name));
  }
  if (name == "control" || name == "." || name == "..") {
    return fmt::format(
        "device name '{}' is refused by the kernel (\"control\", \".\" and \"..\" "
        "are reserved)",
        name);
  }
  return "";
}

std::string uuid_problem(std::string_view uuid) {
  if (uuid.size() > kMaxUuidBytes) {
    return fmt::format("uuid '{}' is {} bytes; the kernel takes at most {}", shown(uuid),
                       uuid.size(), kMaxUuidBytes);
  }
  if (uuid.find('\0') != std::string_view::npos) {
    return fmt::format("uuid '{}' contains a NUL byte, which would cut it short", shown(uuid));
  }
  return "";
}

}  // namespace dmcheck::model
