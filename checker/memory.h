#pragma once
/// The process's memory as the kernel counts it (Linux /proc), for statistics.

#include <cstdint>

namespace dmcheck::checker {

/// Peak resident set size (VmHWM) in bytes; 0 if /proc is unavailable.
std::uint64_t peak_rss_bytes();

}  // namespace dmcheck::checker
