#pragma once
/// What a caller observes from one step: the return code (an errno, Linux numbering), the reply
/// flags of the ioctl, the open count the reply reports, and for a read which data came back.
/// These are the fields a conformance run compares with a real kernel.

#include <array>
#include <cstdint>
#include <string>

namespace dmcheck::model {

enum class Op : std::uint8_t;  // model/step.h

/// errno values with Linux's numbers, so observations compare directly with a kernel's.
enum Errno : std::uint8_t {
  kOk = 0,
  kEPERM = 1,
  kENOENT = 2,  ///< 6.12: a table names a path that does not exist (the path lookup's answer)
  kEINTR = 4,   ///< a signal interrupted an interruptible wait (injected, Failures)
  kEIO = 5,
  kENXIO = 6,
  kEBADF = 9,  ///< the program closes or reads a device it holds no handle to
  kEAGAIN = 11,
  kENOMEM = 12,
  kEBUSY = 16,
  kEEXIST = 17,
  kENODEV = 19,  ///< 6.1: a table names a device that does not exist
  kEINVAL = 22,
  kENOSPC = 28,   ///< a write at or past the block device's end, or a full thin-pool
  kENODATA = 61,  ///< a thin id the pool's metadata does not have
};

/// "0", "ENXIO", ...
std::string errno_name(std::uint8_t err);

/// Reply flags, a compact image of the dm_ioctl flags the kernel sets in its reply.
/// Conformance maps them to the uapi bits named on each.
enum ReplyFlag : std::uint8_t {
  kReplySuspended = 1U << 0,  ///< DM_SUSPEND_FLAG
  kReplyReadOnly = 1U << 1,   ///< DM_READONLY_FLAG
  kReplyLive = 1U << 2,       ///< DM_ACTIVE_PRESENT_FLAG
  kReplyInactive = 1U << 3,   ///< DM_INACTIVE_PRESENT_FLAG
  kReplyDeferred = 1U << 4,   ///< DM_DEFERRED_REMOVE
  kReplyNoOpen = 1U << 5,     ///< DM_DEFERRED_REMOVE_NO_OPEN_FLAG (no-open-flag patch, bit 20)
  kReplyStatus = 1U << 6,     ///< the reply carries the device status (open count is valid)
};

/// Whether `op`, when it succeeds, replies with the device's status (kReplyStatus: its flags and
/// open count), as the kernel's create, load, clear, suspend, resume, rename and status ioctls
/// do, and the open-limit-ioctl patch's set_open_limit. The model replies so exactly for these
/// calls; conformance reads a kernel's reply by the same rule, so the two cannot disagree on
/// which replies carry a status.
bool replies_with_status(Op op);

/// "[SUSPENDED READ-ONLY ...]" in dmsetup's words; empty when no flag is set.
std::string reply_flags_text(std::uint8_t flags);

/// What a read returned.
enum ReadData : std::uint8_t {
  kReadNothing = 0,  ///< the step was not a read
  kReadZeros = 1,    ///< a zero target
  kReadEio = 2,      ///< an error target, a verity hash mismatch, or no table below a stack
  /// No byte: the device has no live table, so its size is 0 and a read at 0 is at its end.
  kReadEmpty = 3,
  /// kReadDisk + i * kMaxDiskUnits + u: the original data of unit u of backing disk i (through
  /// any stack); i < kMaxDisks, u < kMaxDiskUnits (model/state.h).
  kReadDisk = 16,
  /// kReadWritten + l: the data a write of letter 'a' + l left (after every disk's units).
  kReadWritten = 48,
};

/// "zeros", "EIO", "data of disk0", "data of disk0 unit 1", "written x". `disk_name` names the
/// disk the data came from.
std::string read_data_text(std::uint8_t data, const std::string& disk_name);

/// One step's observation; all zero before the first step completes.
struct Observation {
  std::uint8_t err = kOk;
  std::uint8_t flags = 0;       ///< ReplyFlag bits
  std::uint8_t open_count = 0;  ///< as reported, when flags has kReplyStatus
  std::uint8_t data = kReadNothing;
  std::array<std::uint8_t, 3>
      more{};  ///< a whole-device read: units 2-4; a status query: targets 2-4
  friend bool operator==(const Observation&, const Observation&) = default;
};

}  // namespace dmcheck::model
