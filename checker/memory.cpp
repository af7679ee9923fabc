#include "checker/memory.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

namespace dmcheck::checker {

namespace {
/// A floor, so a nearly full machine still gets a run that can say something.
constexpr std::uint64_t kMinimumDefaultLimit = std::uint64_t{16} << 20;
}  // namespace

std::uint64_t peak_rss_bytes() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmHWM:") {
      std::uint64_t kib = 0;
      status >> kib;
      return kib * 1024;
    }
    status.ignore(1 << 16, '\n');
  }
  return 0;
}

std::optional<std::uint64_t> memory_limit_from_meminfo(std::string_view meminfo) {
  constexpr std::string_view kKey = "MemAvailable:";
  std::size_t at = meminfo.find(kKey);
  while (at != std::string_view::npos && at != 0 && meminfo[at - 1] != '\n') {
    at = meminfo.find(kKey, at + 1);
  }
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view rest = meminfo.substr(at + kKey.size());
  rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
  std::uint64_t kib = 0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), kib);
  // The kernel writes "MemAvailable:   123456 kB"; anything else is not understood.
  if (error != std::errc{} || end == rest.data() ||
      std::string_view(end, rest.data() + rest.size()).substr(0, 3) != " kB" ||
      kib > (UINT64_MAX >> 10)) {
    return std::nullopt;
  }
  return std::max((kib << 10) / 2, kMinimumDefaultLimit);
}

std::optional<std::uint64_t> default_memory_limit() {
  std::ifstream file("/proc/meminfo");
  std::ostringstream text;
  text << file.rdbuf();
  if (!file) {
    return std::nullopt;
  }
  return memory_limit_from_meminfo(text.str());
}

}  // namespace dmcheck::checker
