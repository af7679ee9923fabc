#include "conformance/dm_control.h"

#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>

#include "conformance/dm_names.h"

namespace dmcheck::conformance {

namespace {

constexpr std::size_t kBufferSize = 16 * 1024;

void append_aligned(std::vector<char>& out, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const char*>(data);
  out.insert(out.end(), bytes, bytes + size);
  while (out.size() % 8 != 0) {
    out.push_back('\0');
  }
}

/// Copies a name already checked to fit (invalid_dm_name, invalid_dm_uuid) with its NUL.
void copy_name(char* out, std::size_t capacity, const std::string& name) {
  std::memcpy(out, name.data(), std::min(name.size(), capacity - 1));
  out[std::min(name.size(), capacity - 1)] = '\0';
}

Reply refused(std::string why) {
  Reply r;
  r.refused = std::move(why);
  return r;
}

}  // namespace

DmControl::DmControl() {
  fd_ = ::open("/dev/mapper/control", O_RDWR | O_CLOEXEC);
  if (fd_ < 0) {
    open_error_ = errno;
  }
}

DmControl::~DmControl() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

Reply DmControl::call(unsigned long command, const std::string& name, std::uint32_t flags,
                      const std::vector<char>& payload, std::uint32_t target_count,
                      const std::string& uuid, std::vector<char>* reply_data) {
  if (std::string why = invalid_dm_name(name); !why.empty()) {
    return refused(std::move(why));
  }
  if (std::string why = invalid_dm_uuid(uuid); !why.empty()) {
    return refused(std::move(why));
  }
  std::vector<char> buffer(kBufferSize + payload.size(), '\0');
  auto* io = reinterpret_cast<dm_ioctl*>(buffer.data());
  io->version[0] = DM_VERSION_MAJOR;
  io->version[1] = 0;
  io->version[2] = 0;
  io->data_size = static_cast<std::uint32_t>(buffer.size());
  io->data_start = sizeof(dm_ioctl);
  io->flags = flags;
  io->target_count = target_count;
  copy_name(io->name, sizeof(io->name), name);
  copy_name(io->uuid, sizeof(io->uuid), uuid);
  std::memcpy(buffer.data() + sizeof(dm_ioctl), payload.data(), payload.size());
  Reply reply;
  if (::ioctl(fd_, command, io) < 0) {
    reply.error = errno;
    return reply;
  }
  reply.flags = io->flags;
  reply.open_count = io->open_count;
  reply.target_count = io->target_count;
  reply.dev = io->dev;
  if ((io->flags & DM_BUFFER_FULL_FLAG) != 0) {
    reply.error = ENOSPC;  // our buffer is far larger than any table or list the model makes
    return reply;
  }
  if (reply_data != nullptr && io->data_size > io->data_start) {
    reply_data->assign(buffer.begin() + io->data_start, buffer.begin() + io->data_size);
  }
  return reply;
}

Reply DmControl::version() { return call(DM_VERSION, "", 0, {}); }

Reply DmControl::create(const std::string& name, const std::string& uuid, bool readonly) {
  return call(DM_DEV_CREATE, name, readonly ? DM_READONLY_FLAG : 0, {}, 0, uuid);
}

Reply DmControl::load(const std::string& name, const std::vector<TargetLine>& targets,
                      bool readonly) {
  std::vector<char> payload;
  for (const TargetLine& t : targets) {
    if (t.type.size() >= sizeof(dm_target_spec::target_type) ||
        t.type.find('\0') != std::string::npos || t.params.find('\0') != std::string::npos) {
      return refused("target type '" + t.type + "' or its parameters do not fit the ioctl");
    }
    std::vector<char> params(t.params.begin(), t.params.end());
    params.push_back('\0');
    while ((sizeof(dm_target_spec) + params.size()) % 8 != 0) {
      params.push_back('\0');
    }
    dm_target_spec spec{};
    spec.sector_start = t.start;
    spec.length = t.length;
    spec.next = static_cast<std::uint32_t>(sizeof(dm_target_spec) + params.size());
    copy_name(spec.target_type, sizeof(spec.target_type), t.type);
    append_aligned(payload, &spec, sizeof(spec));
    append_aligned(payload, params.data(), params.size());
  }
  return call(DM_TABLE_LOAD, name, readonly ? DM_READONLY_FLAG : 0, payload,
              static_cast<std::uint32_t>(targets.size()));
}

Reply DmControl::clear(const std::string& name) { return call(DM_TABLE_CLEAR, name, 0, {}); }

Reply DmControl::suspend(const std::string& name, bool noflush, bool nolockfs) {
  return call(
      DM_DEV_SUSPEND, name,
      DM_SUSPEND_FLAG | (noflush ? DM_NOFLUSH_FLAG : 0) | (nolockfs ? DM_SKIP_LOCKFS_FLAG : 0), {});
}

Reply DmControl::resume(const std::string& name, bool noflush, bool nolockfs) {
  return call(DM_DEV_SUSPEND, name,
              (noflush ? DM_NOFLUSH_FLAG : 0) | (nolockfs ? DM_SKIP_LOCKFS_FLAG : 0), {});
}

Reply DmControl::remove(const std::string& name, bool deferred) {
  return call(DM_DEV_REMOVE, name, deferred ? DM_DEFERRED_REMOVE : 0, {});
}

Reply DmControl::remove_all(bool deferred) {
  return call(DM_REMOVE_ALL, "", deferred ? DM_DEFERRED_REMOVE : 0, {});
}

Reply DmControl::message(const std::string& name, std::uint64_t sector, const std::string& text) {
  if (text.find('\0') != std::string::npos) {
    return refused("message contains a NUL byte");
  }
  std::vector<char> payload(sizeof(dm_target_msg), '\0');
  std::memcpy(payload.data(), &sector, sizeof(sector));
  payload.insert(payload.end(), text.begin(), text.end());
  payload.push_back('\0');
  return call(DM_TARGET_MSG, name, 0, payload);
}

Reply DmControl::rename(const std::string& name, const std::string& new_name) {
  if (std::string why = invalid_dm_name(new_name); !why.empty()) {
    return refused("new " + why);
  }
  std::vector<char> payload(new_name.begin(), new_name.end());
  payload.push_back('\0');
  return call(DM_DEV_RENAME, name, 0, payload);
}

Reply DmControl::status(const std::string& name) { return call(DM_DEV_STATUS, name, 0, {}); }

Reply DmControl::table(const std::string& name, std::vector<LiveTarget>& targets) {
  return target_lines(name, true, false, targets);
}

Reply DmControl::target_lines(const std::string& name, bool table_lines, bool inactive,
                              std::vector<LiveTarget>& targets) {
  targets.clear();
  std::vector<char> data;
  const std::uint32_t flags =
      (table_lines ? DM_STATUS_TABLE_FLAG : 0U) | (inactive ? DM_QUERY_INACTIVE_TABLE_FLAG : 0U);
  Reply r = call(DM_TABLE_STATUS, name, flags, {}, 0, {}, &data);
  if (r.error != 0) {
    return r;
  }
  std::size_t at = 0;
  for (std::uint32_t i = 0; i < r.target_count && at + sizeof(dm_target_spec) <= data.size(); ++i) {
    dm_target_spec spec{};
    std::memcpy(&spec, data.data() + at, sizeof(spec));
    const char* params = data.data() + at + sizeof(spec);
    const std::size_t room = data.size() - at - sizeof(spec);
    targets.push_back(
        {spec.sector_start, spec.length,
         std::string(spec.target_type, strnlen(spec.target_type, sizeof(spec.target_type))),
         std::string(params, strnlen(params, room))});
    at = spec.next;  // from the start of the first spec, on a status reply
  }
  return r;
}

Reply DmControl::list(std::vector<ListedDevice>& devices) {
  devices.clear();
  std::vector<char> data;
  Reply r = call(DM_LIST_DEVICES, "", 0, {}, 0, {}, &data);
  if (r.error != 0 || data.size() < sizeof(dm_name_list)) {
    return r;
  }
  std::size_t at = 0;
  for (;;) {
    dm_name_list entry{};
    std::memcpy(&entry, data.data() + at, sizeof(entry));
    if (entry.dev == 0 && entry.next == 0 && at == 0 && data[at + sizeof(entry)] == '\0') {
      break;  // an empty list is one zeroed record
    }
    const char* entry_name = data.data() + at + offsetof(dm_name_list, name);
    devices.push_back({std::string(entry_name, strnlen(entry_name, data.size() - at)), entry.dev});
    if (entry.next == 0) {
      break;
    }
    at += entry.next;
  }
  return r;
}

}  // namespace dmcheck::conformance
