#include "conformance/integrity_probe.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "conformance/dev_numbers.h"

namespace dmcheck::conformance {

using nlohmann::json;

namespace {

constexpr const char* kIpeDir = "/sys/kernel/security/ipe";
constexpr const char* kFailslabDir = "/sys/kernel/debug/failslab";
/// How long the audit record of a refusal may take: the kernel's audit thread prints it.
constexpr auto kAuditWait = std::chrono::milliseconds(2000);
/// The rule as the audit record prints it: dmverity_roothash="sha256":HEX (upper case).
constexpr const char* kHashWord = "dmverity_roothash=";

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

/// Writes `text` to `path` in one write, as securityfs and debugfs files want it.
std::string write_file(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    return errno_text("cannot open " + path);
  }
  const ssize_t put = ::write(fd, text.data(), text.size());
  const int error = errno;
  ::close(fd);
  if (put != static_cast<ssize_t>(text.size())) {
    errno = error;
    return errno_text("cannot write " + path);
  }
  return "";
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string failslab(const std::string& knob, const std::string& value) {
  return write_file(std::string(kFailslabDir) + "/" + knob, value);
}

/// Mounts `type` on `dir` unless something is mounted there already (EBUSY).
std::string mount_once(const char* type, const char* dir) {
  if (::mount(type, dir, type, 0, nullptr) != 0 && errno != EBUSY) {
    return errno_text(std::string("cannot mount ") + type + " on " + dir);
  }
  return "";
}

}  // namespace

IntegrityProbe::~IntegrityProbe() {
  release_all();
  if (kmsg_ >= 0) {
    ::close(kmsg_);
  }
}

json IntegrityProbe::setup(const json& request) {
  const auto failed = [](const std::string& why) {
    return json{{"errno", EINVAL}, {"agent_error", "integrity probe: " + why}};
  };
  for (const auto& [type, dir] : {std::pair{"securityfs", "/sys/kernel/security"},
                                  std::pair{"debugfs", "/sys/kernel/debug"}}) {
    if (std::string why = mount_once(type, dir); !why.empty()) {
      return failed(why);
    }
  }
  const std::string policy = read_file(request.value("policy", ""));
  if (policy.empty()) {
    return failed("cannot read the policy " + request.value("policy", std::string()));
  }
  const std::string name = request.value("policy_name", "");
  if (std::string why = write_file(std::string(kIpeDir) + "/new_policy", policy); !why.empty()) {
    return failed(why + " (is the policy signed with the kernel's own key?)");
  }
  if (std::string why = write_file(std::string(kIpeDir) + "/policies/" + name + "/active", "1");
      !why.empty()) {
    return failed(why);
  }
  const json hashes = request.value("root_hashes", json::object());
  for (const auto& [hex, id] : hashes.items()) {
    root_hashes_[hex] = id.get<int>();
  }
  // The audit records of refusals come through the kernel log, unthrottled.
  write_file("/proc/sys/kernel/printk_ratelimit", "0");
  kmsg_ = ::open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (kmsg_ < 0 || ::lseek(kmsg_, 0, SEEK_END) < 0) {
    return failed(errno_text("cannot read /dev/kmsg"));
  }
  const json hook = request.value("hook", json::array());
  if (hook.size() != 2) {
    return failed("no address range for failslab's stack filter");
  }
  // GFP_KERNEL allocations wait, which failslab skips by default; the filter alone chooses.
  for (const auto& [knob, value] : {std::pair<std::string, std::string>{"probability", "0"},
                                    {"ignore-gfp-wait", "N"},
                                    {"task-filter", "N"},
                                    {"verbose", "0"},
                                    {"space", "0"},
                                    {"interval", "1"},
                                    {"times", "1"},
                                    {"require-start", hook[0].get<std::string>()},
                                    {"require-end", hook[1].get<std::string>()}}) {
    if (std::string why = failslab(knob, value); !why.empty()) {
      return failed(why);
    }
  }
  enabled_ = true;
  return {{"errno", 0}};
}

std::string IntegrityProbe::mount(std::uint64_t dev, const std::string& node_dir) {
  if (mounts_.contains(dev)) {
    return "";
  }
  const std::string node = node_dir + "/probe-node-" + std::to_string(dev);
  const std::string dir = node_dir + "/probe-" + std::to_string(dev);
  ::unlink(node.c_str());
  ::mkdir(dir.c_str(), 0700);
  if (::mknod(node.c_str(), S_IFBLK | 0600, decode_dev(dev)) != 0) {
    return errno_text("mknod " + node);
  }
  // ext4 prefetches block bitmaps from a kernel thread after the mount; a prefetch that meets
  // the device suspended waits there, holding the filesystem, and with it the device, open past
  // the unmount.
  const int mounted = ::mount(node.c_str(), dir.c_str(), "ext4", MS_RDONLY | MS_NOSUID | MS_NODEV,
                              "no_prefetch_block_bitmaps");
  const int error = errno;
  ::unlink(node.c_str());
  if (mounted != 0) {
    ::rmdir(dir.c_str());
    errno = error;
    return errno_text("cannot mount its probe filesystem");
  }
  const int fd = ::open((dir + "/probe").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const std::string why = errno_text("cannot open its probe file");
    ::umount2(dir.c_str(), 0);
    ::rmdir(dir.c_str());
    return why;
  }
  mounts_[dev] = {dir, fd};
  return "";
}

std::string IntegrityProbe::release(std::uint64_t dev) {
  const auto found = mounts_.find(dev);
  if (found == mounts_.end()) {
    return "";
  }
  const Mount m = found->second;
  mounts_.erase(found);
  // A suspend (lockfs) froze the filesystem, and a frozen filesystem outlives its unmount,
  // holding the device open until the resume thaws it: thaw it first. The device stays
  // suspended; its resume then finds nothing to thaw, which it ignores. EINVAL: not frozen.
  ::ioctl(m.fd, FITHAW, 0);
  ::close(m.fd);
  if (::umount2(m.dir.c_str(), 0) != 0) {
    return errno_text("cannot unmount " + m.dir);
  }
  ::rmdir(m.dir.c_str());
  return "";
}

std::string IntegrityProbe::release_all() {
  std::string first;
  while (!mounts_.empty()) {
    std::string why = release(mounts_.begin()->first);
    if (first.empty()) {
      first = std::move(why);
    }
  }
  return first;
}

json IntegrityProbe::observe(std::uint64_t dev) {
  const auto found = mounts_.find(dev);
  if (found == mounts_.end()) {
    return {{"probe_error", "not mounted"}};
  }
  void* mapped = ::mmap(nullptr, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, found->second.fd, 0);
  if (mapped != MAP_FAILED) {
    ::munmap(mapped, 4096);
    return {{"root_hash", 0}};  // allowed: IPE holds none of the fixtures' hashes
  }
  if (errno != EACCES) {
    return {{"probe_error", errno_text("executable mapping failed")}};
  }
  std::string last;
  const std::string hex = refused_hash(found->second.dir, last);
  if (hex.empty()) {
    return {{"probe_error", "refused, but no audit record names the rule (last kernel message: " +
                                (last.empty() ? std::string("none") : last) + ")"}};
  }
  if (const auto id = root_hashes_.find(hex); id != root_hashes_.end()) {
    return {{"root_hash", id->second}};
  }
  return {{"root_hash_hex", hex}};
}

std::string IntegrityProbe::refused_hash(const std::string& dir, std::string& last) {
  const std::string path = dir + "/probe";
  const auto deadline = std::chrono::steady_clock::now() + kAuditWait;
  std::vector<char> record(8192);
  while (std::chrono::steady_clock::now() < deadline) {
    const ssize_t got = ::read(kmsg_, record.data(), record.size() - 1);
    if (got < 0 && errno == EAGAIN) {
      pollfd wait{kmsg_, POLLIN, 0};
      ::poll(&wait, 1, 50);
      continue;
    }
    if (got <= 0) {
      continue;  // EPIPE: records were overwritten before they were read
    }
    const std::string text(record.data(), static_cast<std::size_t>(got));
    last = text.substr(0, text.find('\n'));
    const std::size_t at = text.find(kHashWord);
    if (text.find("ipe_op=EXECUTE") == std::string::npos || text.find(path) == std::string::npos ||
        at == std::string::npos) {
      continue;
    }
    const std::size_t colon = text.find(':', at);
    if (colon == std::string::npos) {
      continue;
    }
    std::string hex;
    for (std::size_t i = colon + 1;
         i < text.size() && std::isxdigit(static_cast<unsigned char>(text[i])); ++i) {
      hex += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
    }
    return hex;
  }
  return "";
}

std::string IntegrityProbe::arm(int allocation) {
  // failslab fails a matching allocation when its running count reaches a multiple of the
  // interval; the count is not reset, so the interval is chosen from where it stands.
  failslab_interval_ = failslab_count_ + static_cast<std::uint64_t>(allocation);
  for (const auto& [knob, value] :
       {std::pair<std::string, std::string>{"interval", std::to_string(failslab_interval_)},
        {"times", "1"},
        {"probability", "100"}}) {
    if (std::string why = failslab(knob, value); !why.empty()) {
      return why;
    }
  }
  return "";
}

bool IntegrityProbe::disarm() {
  failslab("probability", "0");
  const bool failed = read_file(std::string(kFailslabDir) + "/times").starts_with("0");
  if (failed && failslab_interval_ > 1) {
    failslab_count_ = failslab_interval_;  // an interval of 1 does not count
  }
  failslab("times", "1");
  return failed;
}

}  // namespace dmcheck::conformance
