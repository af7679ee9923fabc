/// The guest agent: runs as init inside User-Mode Linux. It mounts the pseudo filesystems, loads
/// the device-mapper modules, performs each request of $DMCHECK_DIR/requests.jsonl on the real
/// kernel, writes one observation per request to $DMCHECK_DIR/observations.jsonl, and powers
/// the guest off. Devices are opened by device number through private nodes, never through
/// /dev/mapper/NAME.

#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "conformance/dm_control.h"
#include "conformance/kernel_modules.h"

namespace conformance = dmcheck::conformance;
using nlohmann::json;

namespace {

constexpr std::size_t kReadSize = 4096;

[[noreturn]] void power_off() {
  ::sync();
  ::reboot(RB_POWER_OFF);
  std::_Exit(1);  // reached only if the reboot call failed; init exiting panics the guest
}

json reply_json(const conformance::Reply& r) {
  return {{"errno", r.error}, {"flags", r.flags}, {"open_count", r.open_count}};
}

/// Decodes the kernel's huge_encode_dev layout.
dev_t decode_dev(std::uint64_t dev) {
  return makedev(static_cast<unsigned>((dev & 0xfff00) >> 8),
                 static_cast<unsigned>((dev & 0xff) | ((dev >> 12) & 0xfff00)));
}

/// Classifies what a read returned: one repeated byte (a backing disk's pattern), or "mixed".
std::string classify(const unsigned char* data, std::size_t size) {
  for (std::size_t i = 1; i < size; ++i) {
    if (data[i] != data[0]) {
      return "mixed";
    }
  }
  if (data[0] == 0) {
    return "zeros";
  }
  return std::string("pattern ") + static_cast<char>(data[0]);
}

class Agent {
 public:
  explicit Agent(std::string node_dir) : node_dir_(std::move(node_dir)) {}

  json perform(const json& request) {
    const std::string op = request.value("op", "");
    const std::string name = request.value("name", "");
    json out = {{"op", op}};
    conformance::Reply r;
    if (op == "version") {
      r = dm_.version();
    } else if (op == "create") {
      r = dm_.create(name, request.value("uuid", ""), request.value("readonly", false));
    } else if (op == "load") {
      std::vector<conformance::TargetLine> targets;
      for (const auto& t : request.at("targets")) {
        targets.push_back({t.at("start"), t.at("length"), t.at("type"), t.at("params")});
      }
      r = dm_.load(name, targets, request.value("readonly", false));
    } else if (op == "clear") {
      r = dm_.clear(name);
    } else if (op == "suspend") {
      r = dm_.suspend(name, request.value("noflush", false), request.value("nolockfs", false));
    } else if (op == "resume") {
      r = dm_.resume(name, request.value("noflush", false), request.value("nolockfs", false));
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
    } else if (op == "open") {
      return open_device(name, out);
    } else if (op == "close") {
      return close_handle(request.value("handle", -1), out);
    } else if (op == "read") {
      return read_handle(request.value("handle", -1), out);
    } else {
      out["errno"] = EINVAL;
      out["agent_error"] = "unknown op '" + op + "'";
      return out;
    }
    out.update(reply_json(r));
    if (r.error == 0 && r.dev != 0 && !name.empty()) {
      devices_[name] = r.dev;
    }
    if (op == "rename" && r.error == 0) {
      devices_[request.value("new_name", "")] = devices_[name];
    }
    return out;
  }

  /// The device's status afterwards, as `info` reports it.
  json status_of(const std::string& name) {
    if (name.empty()) {
      return nullptr;
    }
    return reply_json(dm_.status(name));
  }

  [[nodiscard]] int control_error() const { return dm_.open_error(); }

 private:
  json open_device(const std::string& name, json& out) {
    auto known = devices_.find(name);
    if (known == devices_.end()) {
      const conformance::Reply r = dm_.status(name);  // learn the number while the name lives
      if (r.error != 0) {
        out["errno"] = r.error;
        return out;
      }
      known = devices_.emplace(name, r.dev).first;
    }
    const std::string node = node_dir_ + "/" + std::to_string(known->second);
    ::unlink(node.c_str());
    if (::mknod(node.c_str(), S_IFBLK | 0600, decode_dev(known->second)) != 0) {
      out["errno"] = errno;
      out["agent_error"] = "mknod failed";
      return out;
    }
    const int fd = ::open(node.c_str(), O_RDONLY | O_DIRECT | O_CLOEXEC);
    out["errno"] = fd < 0 ? errno : 0;
    if (fd >= 0) {
      handles_.push_back(fd);
      out["handle"] = handles_.size() - 1;
    }
    return out;
  }

  json close_handle(int handle, json& out) {
    if (handle < 0 || static_cast<std::size_t>(handle) >= handles_.size() || handles_[handle] < 0) {
      out["errno"] = EBADF;
      return out;
    }
    out["errno"] = ::close(handles_[handle]) == 0 ? 0 : errno;
    handles_[handle] = -1;
    return out;
  }

  json read_handle(int handle, json& out) {
    if (handle < 0 || static_cast<std::size_t>(handle) >= handles_.size() || handles_[handle] < 0) {
      out["errno"] = EBADF;
      return out;
    }
    void* buffer = nullptr;
    if (::posix_memalign(&buffer, kReadSize, kReadSize) != 0) {
      out["errno"] = ENOMEM;
      return out;
    }
    const ssize_t got = ::pread(handles_[handle], buffer, kReadSize, 0);
    if (got < 0) {
      out["errno"] = errno;
    } else {
      out["errno"] = 0;
      out["data"] = got == 0 ? "empty" : classify(static_cast<unsigned char*>(buffer), got);
    }
    std::free(buffer);
    return out;
  }

  conformance::DmControl dm_;
  std::string node_dir_;
  std::map<std::string, std::uint64_t> devices_;
  std::vector<int> handles_;
};

void mount_pseudo_filesystems() {
  ::mount("proc", "/proc", "proc", 0, nullptr);
  ::mount("sysfs", "/sys", "sysfs", 0, nullptr);
  ::mount("devtmpfs", "/dev", "devtmpfs", 0, nullptr);
  ::mkdir("/run", 0755);
  ::mount("tmpfs", "/run", "tmpfs", 0, nullptr);
}

}  // namespace

int main() {
  const char* dir = std::getenv("DMCHECK_DIR");
  const char* module_dir = std::getenv("DMCHECK_MODULES");
  if (dir == nullptr || module_dir == nullptr) {
    std::fprintf(stderr, "dmcheck-agent: DMCHECK_DIR and DMCHECK_MODULES must be set\n");
    if (getpid() == 1) {
      power_off();
    }
    return 2;
  }
  mount_pseudo_filesystems();
  std::ofstream out(std::string(dir) + "/observations.jsonl");
  const std::string failure = conformance::load_modules(
      module_dir, {"dm-mod", "dm-zero", "dm-verity", "dm-thin-pool"});
  if (!failure.empty()) {
    out << json{{"agent_error", failure}}.dump() << "\n";
    out.close();
    power_off();
  }
  ::mkdir("/run/dmcheck", 0700);
  Agent agent("/run/dmcheck");
  if (agent.control_error() != 0) {
    out << json{{"agent_error", std::string("cannot open /dev/mapper/control: ") +
                                    std::strerror(agent.control_error())}}
               .dump()
        << "\n";
    out.close();
    power_off();
  }
  std::ifstream requests(std::string(dir) + "/requests.jsonl");
  for (std::string line; std::getline(requests, line);) {
    if (line.empty()) {
      continue;
    }
    json observation;
    try {
      const json request = json::parse(line);
      observation = agent.perform(request);
      observation["status"] = agent.status_of(request.value("name", ""));
    } catch (const json::exception& e) {
      observation = {{"agent_error", std::string("bad request: ") + e.what()}};
    }
    out << observation.dump() << "\n";
    out.flush();
  }
  out << json{{"done", true}}.dump() << "\n";
  out.close();
  power_off();
}
