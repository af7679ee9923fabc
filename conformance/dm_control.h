#pragma once
/// The device-mapper control interface, spoken directly: one ioctl on /dev/mapper/control per
/// call, with the reply's errno, flags and status, as a caller of the kernel sees them. Runs
/// inside the guest kernel; no libdevmapper, so nothing deletes device nodes behind our back.

#include <cstdint>
#include <string>
#include <vector>

namespace dmcheck::conformance {

struct TargetLine {
  std::uint64_t start = 0;
  std::uint64_t length = 0;
  std::string type;
  std::string params;
};

/// What one ioctl returned.
struct Reply {
  /// Why the call was not made (a name the ioctl's fields cannot hold); empty when it was.
  std::string refused;
  int error = 0;            ///< 0 or the errno
  std::uint32_t flags = 0;  ///< reply flags (DM_*_FLAG), valid when error == 0
  std::int32_t open_count = 0;
  std::uint32_t target_count = 0;
  std::uint64_t dev = 0;  ///< the kernel's encoded dev_t (huge_encode_dev)

  /// The call was refused or the kernel returned an error.
  [[nodiscard]] bool failed() const { return !refused.empty() || error != 0; }
};

/// A device as DM_LIST_DEVICES names it.
struct ListedDevice {
  std::string name;
  std::uint64_t dev = 0;
};

/// A target of a live table as DM_TABLE_STATUS returns it (params in the kernel's own format,
/// devices as major:minor).
struct LiveTarget {
  std::uint64_t start = 0;
  std::uint64_t length = 0;
  std::string type;
  std::string params;
};

class DmControl {
 public:
  /// Opens /dev/mapper/control; open_error() tells why it failed. Every call checks its names
  /// (conformance/dm_names.h) first and refuses, with no ioctl, one the kernel's fields cannot
  /// hold, rather than cut it short.
  DmControl();
  ~DmControl();
  DmControl(const DmControl&) = delete;
  DmControl& operator=(const DmControl&) = delete;

  [[nodiscard]] int open_error() const { return open_error_; }

  Reply version();
  Reply create(const std::string& name, const std::string& uuid, bool readonly);
  Reply load(const std::string& name, const std::vector<TargetLine>& targets, bool readonly);
  Reply clear(const std::string& name);
  Reply suspend(const std::string& name, bool noflush, bool nolockfs);
  Reply resume(const std::string& name, bool noflush, bool nolockfs);
  Reply remove(const std::string& name, bool deferred);
  Reply remove_all(bool deferred);
  Reply message(const std::string& name, std::uint64_t sector, const std::string& text);
  Reply rename(const std::string& name, const std::string& new_name);
  Reply status(const std::string& name);
  /// DM_TABLE_STATUS with the table flag: the status and the live table's targets.
  Reply table(const std::string& name, std::vector<LiveTarget>& targets);
  /// DM_TABLE_STATUS: the status and each target's line, its table line (`table_lines`,
  /// DM_STATUS_TABLE_FLAG) or its status line, of the live or (`inactive`,
  /// DM_QUERY_INACTIVE_TABLE_FLAG) the inactive table; LiveTarget::params holds the line.
  Reply target_lines(const std::string& name, bool table_lines, bool inactive,
                     std::vector<LiveTarget>& targets);
  /// DM_LIST_DEVICES: every hashed device.
  Reply list(std::vector<ListedDevice>& devices);

 private:
  Reply call(unsigned long command, const std::string& name, std::uint32_t flags,
             const std::vector<char>& payload, std::uint32_t target_count = 0,
             const std::string& uuid = {}, std::vector<char>* reply_data = nullptr);

  int fd_ = -1;
  int open_error_ = 0;
};

}  // namespace dmcheck::conformance
