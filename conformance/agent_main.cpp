/// The guest agent: runs as init inside User-Mode Linux. It mounts the pseudo filesystems, loads
/// the device-mapper modules, performs each request of $DMCHECK_DIR/requests.jsonl on the real
/// kernel (conformance/agent.h), writes one observation per request to
/// $DMCHECK_DIR/observations.jsonl, and powers the guest off.

#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "conformance/agent.h"
#include "conformance/kernel_modules.h"

namespace conformance = dmcheck::conformance;
using nlohmann::json;

namespace {

[[noreturn]] void power_off() {
  ::sync();
  ::reboot(RB_POWER_OFF);
  std::_Exit(1);  // reached only if the reboot call failed; init exiting panics the guest
}

/// Mounts `type` on `target`; the reason when it failed, else empty.
std::string mount_checked(const char* type, const char* target) {
  if (::mount(type, target, type, 0, nullptr) != 0) {
    return std::string("cannot mount ") + type + " on " + target + ": " + std::strerror(errno);
  }
  return "";
}

/// True when /proc (already mounted) shows User-Mode Linux's own cpuinfo: its vendor line reads
/// "User Mode Linux", which no hardware reports.
bool inside_uml() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.starts_with("vendor_id") && line.find("User Mode Linux") != std::string::npos) {
      return true;
    }
  }
  return false;
}

/// Makes sure this process is the init of a User-Mode Linux guest before it changes anything:
/// the guest's root is the host's filesystem, so the mounts and the write to
/// /proc/sys/kernel/hotplug that follow would otherwise act on the host. Returns why not, or "".
std::string check_guest() {
  if (::getpid() != 1) {
    return "refusing to run: not process 1 (it runs only as init of the User-Mode Linux guest "
           "that dmcheck conform boots)";
  }
  // As process 1 of a fresh kernel nothing is mounted on /proc yet; mounting it there is the
  // only way to ask the kernel what it is.
  if (std::string failed = mount_checked("proc", "/proc"); !failed.empty()) {
    return failed;
  }
  if (!inside_uml()) {
    return "refusing to run: /proc/cpuinfo is not User-Mode Linux's";
  }
  return "";
}

/// The other pseudo filesystems, each checked.
std::string mount_pseudo_filesystems() {
  if (std::string failed = mount_checked("sysfs", "/sys"); !failed.empty()) {
    return failed;
  }
  // A kernel built with DEVTMPFS_MOUNT (Debian's) has mounted it on /dev already: EBUSY.
  if (::mount("devtmpfs", "/dev", "devtmpfs", 0, nullptr) != 0 && errno != EBUSY) {
    return std::string("cannot mount devtmpfs on /dev: ") + std::strerror(errno);
  }
  ::mkdir("/run", 0755);
  return mount_checked("tmpfs", "/run");
}

/// Empties the paths of the helpers the kernel starts on its own, each attempt a process start.
/// The uevent helper (/sbin/hotplug) runs for every uevent a device change sends, and nothing in
/// the guest listens. Modprobe runs when a device's node is opened before its disk is added (no
/// table yet): the guest's modprobe has no module for this kernel, so the open fails ENXIO
/// either way, a quarter second later; without a path the kernel refuses the request at once.
/// The modules the guest needs are loaded directly. Written only once /proc is known to be the
/// guest's own.
void disable_kernel_helpers() {
  std::ofstream("/proc/sys/kernel/hotplug") << "\n";
  std::ofstream("/proc/sys/kernel/modprobe") << "\n";
}

/// Loads device-mapper and the targets from `module_dir`; returns what failed, or "". A kernel
/// with all of them built in has no module folder, or shows dm_mod (its parameters) in /sys
/// before anything is loaded.
std::string load_device_mapper(const std::string& module_dir) {
  struct stat st {};
  if (module_dir == conformance::kModulesBuiltIn || ::stat("/sys/module/dm_mod", &st) == 0) {
    return "";
  }
  // cbc is not a dependency in modules.dep, but encrypted-keys (which dm-crypt needs) fails its
  // init without cbc(aes), and the guest has no modprobe to load it on demand.
  return conformance::load_modules(
      module_dir, {"dm-mod", "dm-zero", "dm-verity", "dm-thin-pool", "cbc", "dm-crypt"});
}

}  // namespace

int main() {
  if (const std::string refused = check_guest(); !refused.empty()) {
    std::fprintf(stderr, "dmcheck-agent: %s\n", refused.c_str());
    if (::getpid() == 1) {
      power_off();
    }
    return 2;
  }
  const char* dir = std::getenv("DMCHECK_DIR");
  const char* module_dir = std::getenv("DMCHECK_MODULES");
  if (dir == nullptr || module_dir == nullptr) {
    std::fprintf(stderr, "dmcheck-agent: DMCHECK_DIR and DMCHECK_MODULES must be set\n");
    power_off();
  }
  const std::string mounted = mount_pseudo_filesystems();
  std::ofstream out(std::string(dir) + "/observations.jsonl");
  if (!mounted.empty()) {
    out << json{{"agent_error", mounted}}.dump() << "\n";
    out.close();
    power_off();
  }
  disable_kernel_helpers();
  if (const std::string failure = load_device_mapper(module_dir); !failure.empty()) {
    out << json{{"agent_error", failure}}.dump() << "\n";
    out.close();
    power_off();
  }
  ::mkdir("/run/dmcheck", 0700);
  conformance::Agent agent("/run/dmcheck");
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
    std::string call = "?";
    try {
      const json request = json::parse(line);
      call = request.value("call", request.value("op", call));
      observation = agent.perform(request);
    } catch (const json::exception& e) {
      observation = {{"agent_error", "bad request (" + call + "): " + e.what()}};
    }
    out << observation.dump() << "\n";
    out.flush();
  }
  out << json{{"done", true}}.dump() << "\n";
  out.close();
  power_off();
}
