#pragma once
/// The process's and the machine's memory as the kernel counts it (Linux /proc), for statistics
/// and for the default memory limit.

#include <cstdint>
#include <optional>
#include <string_view>

namespace dmcheck::checker {

/// Gives the memory of each container back (clear() keeps the capacity), e.g. a frontier that is
/// no longer needed after an allocation failed.
template <class... Containers>
void release_memory(Containers&... containers) {
  (Containers().swap(containers), ...);
}

/// Peak resident set size (VmHWM) in bytes; 0 if /proc is unavailable.
std::uint64_t peak_rss_bytes();

/// The default engine memory limit: half of the memory the kernel reports available
/// (MemAvailable in /proc/meminfo) when it is called. Half, because the visited set and the
/// frontier grow by doubling, and a doubling briefly holds the old and the new copy. At least
/// 16 MiB; nothing when /proc/meminfo cannot be read.
std::optional<std::uint64_t> default_memory_limit();

/// The same, computed from the text of /proc/meminfo.
std::optional<std::uint64_t> memory_limit_from_meminfo(std::string_view meminfo);

}  // namespace dmcheck::checker
