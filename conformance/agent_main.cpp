/// The guest agent: runs as init inside User-Mode Linux. It mounts the pseudo filesystems, loads
/// the device-mapper modules, performs each request of $DMCHECK_DIR/requests.jsonl on the real
/// kernel (conformance/agent.h), writes one observation per request to
/// $DMCHECK_DIR/observations.jsonl, and powers the guest off.

#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>

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

void mount_pseudo_filesystems() {
  ::mount("proc", "/proc", "proc", 0, nullptr);
  ::mount("sysfs", "/sys", "sysfs", 0, nullptr);
  ::mount("devtmpfs", "/dev", "devtmpfs", 0, nullptr);
  ::mkdir("/run", 0755);
  ::mount("tmpfs", "/run", "tmpfs", 0, nullptr);
}

/// The kernel would try to start its uevent helper (/sbin/hotplug) for every uevent a device
/// change sends; nothing in the guest listens, and each attempt costs a process start.
void disable_uevent_helper() {
  std::ofstream("/proc/sys/kernel/hotplug") << "\n";
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
  disable_uevent_helper();
  std::ofstream out(std::string(dir) + "/observations.jsonl");
  // cbc is not a dependency in modules.dep, but encrypted-keys (which dm-crypt needs) fails its
  // init without cbc(aes), and the guest has no modprobe to load it on demand.
  const std::string failure = conformance::load_modules(
      module_dir, {"dm-mod", "dm-zero", "dm-verity", "dm-thin-pool", "cbc", "dm-crypt"});
  if (!failure.empty()) {
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
    try {
      const json request = json::parse(line);
      observation = agent.perform(request);
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
