#pragma once
/// Device numbers as the device-mapper ioctl reports them: the kernel's huge_encode_dev layout.

#include <sys/sysmacros.h>
#include <sys/types.h>

#include <cstdint>

namespace dmcheck::conformance {

/// Decodes a device number in the kernel's huge_encode_dev layout.
inline dev_t decode_dev(std::uint64_t dev) {
  return makedev(static_cast<unsigned>((dev & 0xfff00) >> 8),
                 static_cast<unsigned>((dev & 0xff) | ((dev >> 12) & 0xfff00)));
}

}  // namespace dmcheck::conformance
