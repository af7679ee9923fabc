#include "conformance/block_io.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "conformance/fixtures.h"
#include "conformance/unit_digest.h"

namespace dmcheck::conformance {

using nlohmann::json;

namespace {

constexpr std::size_t kUnitBytes = kSectorsPerUnit * 512;
constexpr std::size_t kAlign = 4096;  ///< O_DIRECT's buffer alignment

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};
using Buffer = std::unique_ptr<unsigned char, FreeDeleter>;

Buffer aligned_buffer(std::size_t size) {
  void* p = nullptr;
  return Buffer(::posix_memalign(&p, kAlign, size) == 0 ? static_cast<unsigned char*>(p) : nullptr);
}

/// One repeated byte (a disk's pattern or a write's letter), zeros, a known image, or "mixed".
std::string classify(const unsigned char* data, std::size_t size, const KnownUnits& known) {
  for (std::size_t i = 1; i < size; ++i) {
    if (data[i] != data[0]) {
      const auto image = known.find(unit_digest(data, size));
      return image != known.end() ? std::string("pattern ") + image->second : "mixed";
    }
  }
  if (data[0] == 0) {
    return "zeros";
  }
  return std::string("pattern ") + static_cast<char>(data[0]);
}

/// Units the device behind `fd` holds (a part of a unit counts as one), or -1 with errno set.
long long device_units(int fd) {
  std::uint64_t bytes = 0;
  if (::ioctl(fd, BLKGETSIZE64, &bytes) != 0) {
    return -1;
  }
  return static_cast<long long>((bytes + kUnitBytes - 1) / kUnitBytes);
}

json read_unit(int fd, std::size_t unit, unsigned char* buffer, const KnownUnits& known) {
  const ssize_t got = ::pread(fd, buffer, kUnitBytes, static_cast<off_t>(unit * kUnitBytes));
  if (got < 0) {
    return {{"errno", errno}};
  }
  return {{"errno", 0},
          {"data", got == 0 ? "empty" : classify(buffer, static_cast<std::size_t>(got), known)}};
}

/// Reads `size` bytes of the host file `path` (through the guest's hostfs root) into `buffer`.
bool read_image(const std::string& path, unsigned char* buffer, std::size_t size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return false;
  }
  const ssize_t got = ::pread(fd, buffer, size, 0);
  ::close(fd);
  return got == static_cast<ssize_t>(size);
}

}  // namespace

KnownUnits known_units_from(const json& known) {
  KnownUnits out;
  for (const json& unit : known) {
    const std::string letter = unit.value("pattern", "");
    if (!letter.empty()) {
      out[std::stoull(unit.value("digest", "0"))] = letter[0];
    }
  }
  return out;
}

json read_units(int fd, bool whole, const KnownUnits& known) {
  const Buffer buffer = aligned_buffer(kUnitBytes);
  if (!buffer) {
    return {{"errno", ENOMEM}, {"agent_error", "out of memory"}};
  }
  if (!whole) {
    return read_unit(fd, 0, buffer.get(), known);
  }
  const long long units = device_units(fd);
  if (units < 0) {
    return {{"errno", errno}, {"agent_error", "cannot read the device's size"}};
  }
  json out = {{"errno", 0}, {"units", json::array()}};
  for (long long u = 0; u < units; ++u) {
    json one = read_unit(fd, static_cast<std::size_t>(u), buffer.get(), known);
    if (one["errno"] != 0) {
      out["errno"] = EIO;
    }
    out["units"].push_back(std::move(one));
  }
  if (units == 0) {
    out["units"].push_back(read_unit(fd, 0, buffer.get(), known));
  }
  return out;
}

json write_units(int fd, char letter, bool whole) {
  const Buffer buffer = aligned_buffer(kUnitBytes);
  if (!buffer) {
    return {{"errno", ENOMEM}, {"agent_error", "out of memory"}};
  }
  std::memset(buffer.get(), letter, kUnitBytes);
  long long units = 1;
  if (whole && (units = device_units(fd)) < 0) {
    return {{"errno", errno}, {"agent_error", "cannot read the device's size"}};
  }
  // A device of no unit is written at 0 all the same: the kernel answers that (ENOSPC).
  for (long long u = 0; u < std::max(units, 1LL); ++u) {
    const ssize_t put = ::pwrite(fd, buffer.get(), kUnitBytes, static_cast<off_t>(u * kUnitBytes));
    if (put < 0) {
      return {{"errno", errno}};
    }
    if (static_cast<std::size_t>(put) != kUnitBytes) {
      return {{"errno", 0}, {"agent_error", "a short write"}};
    }
  }
  return {{"errno", 0}};
}

std::string refill(const json& fill) {
  for (const json& disk : fill) {
    const std::string path = disk.value("path", "");
    const std::string patterns = disk.value("patterns", "");
    const std::size_t unit_bytes = disk.value("unit_bytes", kUnitBytes);
    const Buffer buffer = aligned_buffer(unit_bytes);
    const int fd = ::open(path.c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC);
    if (fd < 0 || !buffer) {
      if (fd >= 0) {
        ::close(fd);
      }
      return "cannot open " + path + " to refill it: " + std::strerror(errno);
    }
    const std::string image = disk.value("first_unit_image", "");
    for (std::size_t u = 0; u < patterns.size(); ++u) {
      std::memset(buffer.get(), patterns[u], unit_bytes);
      if (u == 0 && !image.empty() && !read_image(image, buffer.get(), unit_bytes)) {
        ::close(fd);
        return "cannot read " + image + " to refill " + path;
      }
      if (::pwrite(fd, buffer.get(), unit_bytes, static_cast<off_t>(u * unit_bytes)) !=
          static_cast<ssize_t>(unit_bytes)) {
        const std::string why = std::strerror(errno);
        ::close(fd);
        return "cannot refill " + path + ": " + why;
      }
    }
    ::close(fd);
  }
  return "";
}

}  // namespace dmcheck::conformance
