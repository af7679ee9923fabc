#include "model/observation.h"

#include "model/state.h"
#include "model/step.h"

namespace dmcheck::model {

std::string errno_name(std::uint8_t err) {
  switch (err) {
    case kOk:
      return "0";
    case kEPERM:
      return "EPERM";
    case kEINTR:
      return "EINTR";
    case kEIO:
      return "EIO";
    case kENXIO:
      return "ENXIO";
    case kENOENT:
      return "ENOENT";
    case kEBADF:
      return "EBADF";
    case kEAGAIN:
      return "EAGAIN";
    case kENOMEM:
      return "ENOMEM";
    case kEBUSY:
      return "EBUSY";
    case kEEXIST:
      return "EEXIST";
    case kENODEV:
      return "ENODEV";
    case kEINVAL:
      return "EINVAL";
    case kENOSPC:
      return "ENOSPC";
    case kENODATA:
      return "ENODATA";
    case 24:  // never the model's answer (its bounds stop a run instead); a real kernel's
      return "EMFILE";
    default:
      return "errno " + std::to_string(err);
  }
}

bool replies_with_status(Op op) {
  // No default: a new call must decide here whether its reply carries a status.
  switch (op) {
    case Op::create:
    case Op::load:
    case Op::clear:
    case Op::suspend:
    case Op::resume:
    case Op::rename:
    case Op::info:
    case Op::set_open_limit:  // the open-limit-ioctl patch's reply, as the model gives it
    case Op::status:
    case Op::table:
      return true;
    case Op::remove:  // says at most whether it was deferred
    case Op::remove_all:
    case Op::cancel_deferred:
    case Op::crypt_key:
    case Op::thin_message:
    case Op::open:
    case Op::close:
    case Op::read:
    case Op::write:
      return false;
  }
  return false;
}

std::string reply_flags_text(std::uint8_t flags) {
  static constexpr struct {
    std::uint8_t bit;
    const char* name;
  } kNames[] = {{kReplySuspended, "SUSPENDED"},
                {kReplyReadOnly, "READ-ONLY"},
                {kReplyLive, "LIVE"},
                {kReplyInactive, "INACTIVE"},
                {kReplyDeferred, "DEFERRED_REMOVE"},
                {kReplyNoOpen, "NO_OPEN"}};
  std::string text;
  for (const auto& n : kNames) {
    if ((flags & n.bit) != 0) {
      text += text.empty() ? "[" : " ";
      text += n.name;
    }
  }
  return text.empty() ? text : text + "]";
}

std::string read_data_text(std::uint8_t data, const std::string& disk_name) {
  switch (data) {
    case kReadNothing:
      return "nothing";
    case kReadZeros:
      return "zeros";
    case kReadEio:
      return "EIO";
    case kReadEmpty:
      return "empty";
    default:
      break;
  }
  if (data >= kReadWritten) {
    return std::string("written ") + static_cast<char>('a' + (data - kReadWritten));
  }
  const unsigned unit = (data - kReadDisk) % kMaxDiskUnits;
  return "data of " + disk_name + (unit == 0 ? "" : " unit " + std::to_string(unit));
}

}  // namespace dmcheck::model
