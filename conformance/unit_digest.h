#pragma once
/// A digest of one unit's bytes (FNV-1a, 64 bits). A unit the fixtures fill with an image (a
/// probe filesystem) rather than one repeated byte is recognised by it: the agent reads the
/// unit back as that disk unit's pattern letter when the digest matches.

#include <cstddef>
#include <cstdint>

namespace dmcheck::conformance {

inline std::uint64_t unit_digest(const unsigned char* data, std::size_t size) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (std::size_t i = 0; i < size; ++i) {
    h = (h ^ data[i]) * 0x100000001b3ULL;
  }
  return h;
}

}  // namespace dmcheck::conformance
