#include "conformance/agent.h"

#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <sstream>
#include <thread>
#include <vector>

#include "conformance/block_io.h"
#include "conformance/dev_numbers.h"
#include "conformance/race_agent.h"
#include "conformance/words.h"

namespace dmcheck::conformance {

using nlohmann::json;

namespace {

/// A handle id taken by an open still in progress: in use, but not yet held.
constexpr int kReserved = -1;
constexpr std::size_t kMetadataBlock = 4096;
/// How long a step's queued deferred removals may take before the status is taken anyway (the
/// host then reports the device still present, a divergence if the model removed it).
constexpr auto kSettleLimit = std::chrono::milliseconds(1000);

std::string major_minor(dev_t dev) {
  return std::to_string(major(dev)) + ":" + std::to_string(minor(dev));
}

}  // namespace

json Agent::reply_json(const Reply& r) const {
  if (!r.refused.empty()) {
    return {{"agent_error", "not sent to the kernel: " + r.refused}};
  }
  const int mounted = !r.failed() && probe_.holds(r.dev) ? 1 : 0;
  return {{"errno", r.error}, {"flags", r.flags}, {"open_count", r.open_count - mounted}};
}

Agent::Agent(std::string node_dir) : node_dir_(std::move(node_dir)) {
  for (char c = 'a'; c <= 'p'; ++c) {
    const std::string path = std::string("/dev/ubd") + c;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISBLK(st.st_mode)) {
      disks_[st.st_rdev] = path;
    }
  }
}

json Agent::perform(const json& request) {
  const std::string op = request.value("op", "");
  if (!stuck_.empty()) {
    // A thread still in the kernel may hold any lock: nothing is asked of the kernel any more.
    return {{"op", op}, {"agent_error", "not performed: " + stuck_}, {"devices", json::array()}};
  }
  if (op == "race") {
    json out = run_race(*this, request, stuck_);
    out["op"] = op;
    return out;
  }
  json out;
  if (op == "reset") {
    out = reset(request);
  } else if (op == "integrity") {
    out = probe_.setup(request);
  } else if (std::string why = release_probes(request); !why.empty()) {
    out = {{"errno", EBUSY}, {"agent_error", "integrity probe: " + why}};
  } else {
    out = request.contains("inject_allocation") ? act_injected(request) : act(request);
    mount_probes(request);
  }
  out["op"] = op;
  out["devices"] = settled_devices();
  return out;
}

json Agent::act(const json& request) {
  const std::string op = request.value("op", "");
  if (op == "open") {
    return open_device(request);
  }
  if (op == "close") {
    return close_handle(request);
  }
  if (op == "read") {
    return read_handle(request);
  }
  if (op == "write") {
    return write_handle(request);
  }
  if (op == "create" && request.contains("targets")) {
    return create_with_table(request);
  }
  return call(request);
}

std::vector<TargetLine> Agent::targets_of(const json& request) {
  std::vector<TargetLine> targets;
  for (const auto& t : request.at("targets")) {
    // "dm:NAME" names a device-mapper device; the table gets its number, as dmsetup would
    // resolve /dev/mapper/NAME. An unknown name stays a path that does not exist.
    const std::string params =
        map_words(t.at("params").get<std::string>(), [&](const std::string& word) {
          if (!word.starts_with("dm:")) {
            return word;
          }
          const Reply r = dm_.status(word.substr(3));
          return !r.failed() ? major_minor(decode_dev(r.dev)) : "/dev/mapper/" + word.substr(3);
        });
    targets.push_back({t.at("start"), t.at("length"), t.at("type"), params});
  }
  return targets;
}

json Agent::call(const json& request) {
  const std::string op = request.value("op", "");
  const std::string name = request.value("name", "");
  const bool noflush = request.value("noflush", false);
  const bool nolockfs = request.value("nolockfs", false);
  Reply r;
  if (op == "version") {
    r = dm_.version();
  } else if (op == "create") {
    r = dm_.create(name, request.value("uuid", ""), false);
  } else if (op == "load") {
    r = dm_.load(name, targets_of(request), request.value("readonly", false));
  } else if (op == "clear") {
    r = dm_.clear(name);
  } else if (op == "suspend") {
    r = dm_.suspend(name, noflush, nolockfs);
  } else if (op == "resume") {
    r = dm_.resume(name, noflush, nolockfs);
  } else if (op == "remove") {
    r = dm_.remove(name, request.value("deferred", false));
  } else if (op == "remove_all") {
    r = dm_.remove_all(request.value("deferred", false));
  } else if (op == "message") {
    r = dm_.message(name, request.value("sector", 0), request.value("text", ""));
  } else if (op == "rename") {
    r = dm_.rename(name, request.value("new_name", ""));
  } else if (op == "info") {
    r = dm_.status(name);
  } else if (op == "status" || op == "table") {
    return target_query(request);
  } else {
    return {{"errno", EINVAL}, {"agent_error", "unknown op '" + op + "'"}};
  }
  return reply_json(r);
}

json Agent::target_query(const json& request) {
  std::vector<LiveTarget> lines;
  const Reply r = dm_.target_lines(request.value("name", ""), request.value("op", "") == "table",
                                   request.value("inactive", false), lines);
  json out = reply_json(r);
  if (!r.failed()) {
    json targets = json::array();
    for (const LiveTarget& t : lines) {
      targets.push_back({{"type", t.type}, {"length", t.length}, {"line", t.params}});
    }
    out["targets"] = targets;
  }
  return out;
}

json Agent::create_with_table(const json& request) {
  // As dmsetup create --table does: create, load, resume; a failed load or resume removes the
  // half-made device and reports that failure.
  const std::string name = request.value("name", "");
  Reply r = dm_.create(name, request.value("uuid", ""), false);
  if (r.failed()) {
    return reply_json(r);
  }
  r = dm_.load(name, targets_of(request), request.value("readonly", false));
  if (!r.failed()) {
    r = dm_.resume(name, false, false);
  }
  if (r.failed()) {
    const Reply removed = dm_.remove(name, false);
    json out = reply_json(r);
    // dmsetup reports the failure of the load or resume whether or not its revert removed the
    // device: another process may have removed it first (ENXIO) or opened it (EBUSY). The model
    // does the same; the device listing after the step shows which happened.
    out["revert_errno"] = removed.error;
    return out;
  }
  return reply_json(r);
}

json Agent::open_device(const json& request) {
  const int handle = request.value("handle", -1);
  {
    const std::lock_guard lock(handles_mutex_);
    if (handles_.contains(handle)) {
      return {{"errno", EINVAL}, {"agent_error", "handle " + std::to_string(handle) + " in use"}};
    }
    handles_[handle] = kReserved;
  }
  json out;
  const Reply r = dm_.status(request.value("name", ""));  // resolve the name as userspace does
  if (r.failed()) {
    out = r.refused.empty() ? json{{"errno", r.error}} : reply_json(r);
  } else {
    out = open_node(r.dev, handle);
  }
  const std::lock_guard lock(handles_mutex_);
  if (out.contains("fd")) {
    handles_[handle] = out["fd"].get<int>();
    out.erase("fd");
  } else {
    handles_.erase(handle);
  }
  return out;
}

json Agent::open_node(std::uint64_t dev, int handle) {
  // A node per handle: threads opening at once must not remove each other's node.
  const std::string node = node_dir_ + "/" + std::to_string(dev) + "." + std::to_string(handle);
  ::unlink(node.c_str());
  if (::mknod(node.c_str(), S_IFBLK | 0600, decode_dev(dev)) != 0) {
    return {{"errno", errno}, {"agent_error", "mknod " + node + " failed"}};
  }
  // Read-write, as a write through the handle needs; the kernel opens a read-only device so
  // too, and refuses the write itself (EPERM).
  const int fd = ::open(node.c_str(), O_RDWR | O_DIRECT | O_CLOEXEC);
  const int error = errno;
  ::unlink(node.c_str());  // the descriptor holds the device, not the node
  if (fd < 0) {
    return {{"errno", error}};
  }
  return {{"errno", 0}, {"fd", fd}};
}

Agent::HandleFd Agent::handle_fd(const json& request, bool release) {
  std::vector<int> ids;
  if (const auto many = request.find("handles"); many != request.end() && many->is_array()) {
    for (const json& id : *many) {
      ids.push_back(id.is_number_integer() ? id.get<int>() : -1);
    }
  } else {
    ids.push_back(request.value("handle", -1));
  }
  const std::lock_guard lock(handles_mutex_);
  for (const int id : ids) {
    const auto found = handles_.find(id);
    if (found == handles_.end() || found->second == kReserved) {
      continue;
    }
    const int fd = found->second;
    if (release) {
      handles_.erase(found);
      return {fd, 0};
    }
    const int copy = ::dup(fd);
    return {copy, copy < 0 ? errno : 0};
  }
  return {};
}

json Agent::close_handle(const json& request) {
  const HandleFd held = handle_fd(request, true);
  if (held.fd < 0) {
    return {{"errno", EBADF}};
  }
  return {{"errno", ::close(held.fd) == 0 ? 0 : errno}};
}

namespace {

/// What `use` makes of a copy of a handle's descriptor (`fd`, or `dup_error` when it could not
/// be copied), closed afterwards; EBADF when the process holds no such handle.
template <class Use>
json with_descriptor(int fd, int dup_error, Use use) {
  if (dup_error != 0) {
    return {{"errno", dup_error}, {"agent_error", "cannot duplicate the handle's descriptor"}};
  }
  if (fd < 0) {
    return {{"errno", EBADF}};
  }
  json out = use(fd);
  ::close(fd);
  return out;
}

}  // namespace

json Agent::read_handle(const json& request) {
  const auto [fd, dup_error] = handle_fd(request, false);
  return with_descriptor(fd, dup_error, [&](int d) {
    return read_units(d, request.value("whole", false), known_units_);
  });
}

json Agent::write_handle(const json& request) {
  const auto [fd, dup_error] = handle_fd(request, false);
  wrote_ = wrote_ || fd >= 0;
  const std::string letter = request.value("letter", "w");
  return with_descriptor(fd, dup_error, [&](int d) {
    return write_units(d, letter.empty() ? 'w' : letter[0], request.value("whole", false));
  });
}

/// A device that holds itself open through its own table (a self-map, which 6.1 accepts) is
/// never free to remove: its inactive table is cleared, and its live one replaced by a zero
/// table, whose resume destroys the self-map.
void Agent::unpin(const std::string& name) {
  dm_.clear(name);
  if (!dm_.load(name, {{0, 8, "zero", ""}}, false).failed()) {
    dm_.resume(name, false, false);
  }
}

/// Removes every device, stacked ones top first: each pass removes what nothing holds any
/// more. A device whose last close queued its deferred removal holds the devices below until the
/// kernel's worker has run, so later passes wait a little for it. Inactive tables are cleared
/// rather than resumed: a resume would swap them in, and swapping a thin-pool's table for
/// another type leaves its thins internally suspended for good. A device internally suspended
/// is not resumed at all (its resume would wait for an internal resume that may never come);
/// it is removed as it is.
void Agent::remove_every_device(std::vector<ListedDevice>& listed) {
  const auto give_up = std::chrono::steady_clock::now() + kSettleLimit;
  for (int pass = 0; std::chrono::steady_clock::now() < give_up; ++pass) {
    dm_.list(listed);
    if (listed.empty()) {
      break;
    }
    if (pass >= 8) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    for (const ListedDevice& d : listed) {
      if ((dm_.status(d.name).flags & DM_INTERNAL_SUSPEND_FLAG) != 0) {
        continue;
      }
      dm_.clear(d.name);
      if (pass > 0) {
        unpin(d.name);
      }
      dm_.resume(d.name, false, false);  // a suspended upper device would hold I/O below
    }
    dm_.remove_all(false);
  }
}

namespace {

/// Zeroes the first block of each disk of the reset's "zero" (a thin-pool's metadata disk
/// starts each trace blank, so the pool formats it afresh). Returns the disk that could not be
/// zeroed (errno set), or "".
std::string zero_metadata(const json& request) {
  const json disks = request.value("zero", json::array());
  for (const auto& disk : disks) {
    const std::string path = disk.get<std::string>();
    // A device removed by the deferred-remove worker leaves the hash before its destructor
    // has run, and a thin-pool's destructor commits its metadata: wait until no pool holds the
    // disk (an exclusive open succeeds), or the zeroes could be overwritten.
    int fd = -1;
    const auto deadline = std::chrono::steady_clock::now() + kSettleLimit;
    while ((fd = ::open(path.c_str(), O_WRONLY | O_EXCL | O_CLOEXEC)) < 0 && errno == EBUSY &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    // A pool formats its metadata afresh when the superblock (the first block) is all zeros.
    const std::vector<char> zeros(kMetadataBlock, 0);
    const bool ok = fd >= 0 &&
                    ::write(fd, zeros.data(), zeros.size()) == static_cast<ssize_t>(zeros.size()) &&
                    ::fsync(fd) == 0;
    const int error = errno;
    if (fd >= 0) {
      ::close(fd);
    }
    if (!ok) {
      errno = error;
      return path;
    }
  }
  return "";
}

}  // namespace

json Agent::reset(const json& request) {
  known_units_ = known_units_from(request.value("known_units", json::array()));
  mount_failed_.clear();
  if (std::string why = probe_.release_all(); !why.empty()) {
    return {{"errno", EBUSY}, {"agent_error", "integrity probe: " + why}};
  }
  {
    const std::lock_guard lock(handles_mutex_);
    for (const auto& [handle, fd] : handles_) {
      if (fd != kReserved) {
        ::close(fd);
      }
    }
    handles_.clear();
  }
  deferred_.clear();  // the reset's removals are not a step's
  listed_devs_.clear();
  std::vector<ListedDevice> listed;
  remove_every_device(listed);
  dm_.list(listed);
  json out = {{"errno", 0}};
  if (!listed.empty()) {
    out["errno"] = EBUSY;
    out["agent_error"] = "reset could not remove device " + listed.front().name;
    return out;
  }
  if (const std::string path = zero_metadata(request); !path.empty()) {
    out["errno"] = errno;
    out["agent_error"] = "cannot zero " + path;
    return out;
  }
  if (wrote_) {
    if (const std::string why = refill(request.value("fill", json::array())); !why.empty()) {
      out["errno"] = EIO;
      out["agent_error"] = why;
      return out;
    }
    wrote_ = false;
  }
  return out;
}

/// Lists every device with its table query, sorted by name. True when a removal is queued: a
/// device marked for deferred removal and no longer open has its removal queued on the kernel's
/// workqueue (the model runs that worker before the next step), and a device the worker removed
/// between the listing and its query (ENXIO) is gone.
bool Agent::list_with_tables(std::vector<ListedDevice>& listed, std::vector<TableQuery>& tables) {
  dm_.list(listed);
  std::sort(listed.begin(), listed.end(),
            [](const ListedDevice& a, const ListedDevice& b) { return a.name < b.name; });
  tables.assign(listed.size(), {});
  bool queued = false;
  for (std::size_t i = 0; i < listed.size(); ++i) {
    const Reply& r = tables[i].first = dm_.table(listed[i].name, tables[i].second);
    queued = queued || r.error == ENXIO ||
             (r.error == 0 && (r.flags & DM_DEFERRED_REMOVE) != 0 && r.open_count == 0);
  }
  return queued;
}

/// A device the kernel's worker removed leaves the list when it is unhashed, before its
/// destructor has run its tables' destructors (a thin-pool releases its metadata there) and
/// deleted its disk: waits until every device gone since the last listing has no disk in sysfs.
void Agent::wait_destroyed(const std::vector<ListedDevice>& listed,
                           std::chrono::steady_clock::time_point deadline) {
  for (const std::uint64_t dev : listed_devs_) {
    if (std::any_of(listed.begin(), listed.end(),
                    [&](const ListedDevice& d) { return d.dev == dev; })) {
      continue;
    }
    const std::string path = "/sys/dev/block/" + major_minor(decode_dev(dev));
    while (::access(path.c_str(), F_OK) == 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  listed_devs_.clear();
  for (const ListedDevice& d : listed) {
    listed_devs_.push_back(d.dev);
  }
}

json Agent::settled_devices() {
  std::vector<ListedDevice> listed;
  std::vector<TableQuery> tables;
  const auto deadline = std::chrono::steady_clock::now() + kSettleLimit;
  bool worker_ran = false;
  while (list_with_tables(listed, tables) && std::chrono::steady_clock::now() < deadline) {
    worker_ran = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  for (const std::string& name : deferred_) {
    worker_ran = worker_ran || std::none_of(listed.begin(), listed.end(),
                                            [&](const ListedDevice& d) { return d.name == name; });
  }
  // The worker is a kernel thread: since 6.9 the devices its removal closes (those the removed
  // tables held) are released by a delayed fput, a tick or two later. Wait until the open counts
  // have held still for a while.
  const auto counts = [&] {
    std::vector<std::pair<std::string, std::int32_t>> out;
    for (std::size_t i = 0; i < listed.size(); ++i) {
      out.emplace_back(listed[i].name, tables[i].first.open_count);
    }
    return out;
  };
  for (int still = 0; worker_ran && still < 3 && std::chrono::steady_clock::now() < deadline;) {
    const auto before = counts();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    list_with_tables(listed, tables);
    still = counts() == before ? still + 1 : 0;
  }
  wait_destroyed(listed, deadline);
  deferred_.clear();
  for (std::size_t i = 0; i < listed.size(); ++i) {
    if ((tables[i].first.flags & DM_DEFERRED_REMOVE) != 0) {
      deferred_.push_back(listed[i].name);
    }
  }
  json devices = json::array();
  for (std::size_t i = 0; i < listed.size(); ++i) {
    devices.push_back(device_status(listed[i], tables[i], listed));
  }
  return devices;
}

json Agent::device_status(const ListedDevice& d, const TableQuery& query,
                          const std::vector<ListedDevice>& listed) {
  const auto& [r, live] = query;
  json table = json::array();
  for (const LiveTarget& t : live) {
    table.push_back({{"start", t.start},
                     {"length", t.length},
                     {"type", t.type},
                     {"params", name_devices(t.params, listed)}});
  }
  const bool mounted = probe_.holds(d.dev);
  json device = {{"name", d.name},
                 {"errno", r.error},
                 {"flags", r.flags},
                 {"open_count", r.open_count - (mounted ? 1 : 0)},
                 {"live", table}};
  if (mounted) {
    device["integrity"] = probe_.observe(d.dev);
  } else if (const auto failed = mount_failed_.find(d.name); failed != mount_failed_.end()) {
    device["integrity"] = {{"probe_error", failed->second}};
  }
  return device;
}

std::string Agent::name_devices(const std::string& params,
                                const std::vector<ListedDevice>& listed) {
  return map_words(params, [&](const std::string& word) {
    unsigned maj = 0;
    unsigned min = 0;
    char colon = 0;
    std::istringstream number(word);
    if (!(number >> maj >> colon >> min) || colon != ':' || number.peek() != EOF) {
      return word;
    }
    const dev_t dev = makedev(maj, min);
    if (const auto disk = disks_.find(dev); disk != disks_.end()) {
      return disk->second;
    }
    for (const ListedDevice& d : listed) {
      if (decode_dev(d.dev) == dev) {
        return "dm:" + d.name;
      }
    }
    return word;
  });
}

}  // namespace dmcheck::conformance
