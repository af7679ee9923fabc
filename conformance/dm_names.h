#pragma once
/// The kernel's rules for device-mapper names and uuids, checked before a request is built or an
/// ioctl is made: a name or uuid the kernel's fixed fields cannot hold would otherwise be cut
/// short silently and another device named.

#include <cstddef>
#include <string>
#include <string_view>

#include "model/names.h"

namespace dmcheck::conformance {

/// The longest device name the ioctl carries (DM_NAME_LEN less its terminating NUL).
inline constexpr std::size_t kMaxDmName = model::kMaxNameBytes;
/// The longest uuid (DM_UUID_LEN less its terminating NUL).
inline constexpr std::size_t kMaxDmUuid = model::kMaxUuidBytes;

/// Why `name` cannot be put in a request (too long, a '/' or a NUL in it), or empty when it can.
/// Unlike model::device_name_problem, an empty name (remove_all, a listing) and the reserved
/// names pass: whether the kernel takes them is for the kernel to answer.
std::string invalid_dm_name(std::string_view name);
/// Why `uuid` cannot be a device's uuid (too long or a NUL in it), or empty when it can.
std::string invalid_dm_uuid(std::string_view uuid);

}  // namespace dmcheck::conformance
