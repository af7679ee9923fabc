#pragma once
/// The kernel's rules for device names and uuids (dm-ioctl's string checks and check_name), so
/// a scenario is refused at load with a name the real ioctl would refuse or cut short.

#include <cstddef>
#include <string>
#include <string_view>

namespace dmcheck::model {

/// DM_NAME_LEN is 128 bytes including the terminating NUL.
inline constexpr std::size_t kMaxNameBytes = 127;
/// DM_UUID_LEN is 129 bytes including the terminating NUL.
inline constexpr std::size_t kMaxUuidBytes = 128;

/// Why the kernel would refuse `name` as a device name, or "" when it takes it: empty, longer
/// than kMaxNameBytes, a NUL byte (the ioctl would cut the name there), a '/', or one of
/// "control", "." and "..".
std::string device_name_problem(std::string_view name);

/// Why the kernel would refuse `uuid` (non-empty) as a device uuid, or "": longer than
/// kMaxUuidBytes or a NUL byte. The kernel's '/' and reserved-name rules apply to names only.
std::string uuid_problem(std::string_view uuid);

}  // namespace dmcheck::model
