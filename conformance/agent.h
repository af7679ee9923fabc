#pragma once
/// The guest agent's request interpreter: performs one request (a device-mapper ioctl, an open,
/// close or read of a device, a reset between traces, or a race of several threads:
/// conformance/race_agent.h) on the real kernel and says what it observed, followed by every
/// device's settled status. Runs inside the guest only.
///
/// Requests for one call may be performed by several threads at once (act()): the control
/// interface holds no buffer of its own between calls, and the handle map is guarded by a mutex
/// that is never held across a device-mapper ioctl. Resets and device listings are for one
/// thread, while no other performs a call.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "conformance/block_io.h"
#include "conformance/dm_control.h"
#include "conformance/integrity_probe.h"

namespace dmcheck::conformance {

class Agent {
 public:
  /// `node_dir` is a private folder for device nodes made by number.
  explicit Agent(std::string node_dir);

  /// Performs `request` and returns the observation: "errno", "flags", "open_count" (replies),
  /// "data" (reads), "agent_error" (a request the agent could not perform), and "devices": the
  /// status of every device once deferred removals queued by the step have run. A race's
  /// observation is its own (conformance/race_agent.h), with no "devices".
  ///
  /// Integrity (once an "integrity" request has set the probe up): "release" names the devices
  /// ("*": all) whose probe mount is let go before the call, "mount" those whose probe
  /// filesystem is mounted after it, "inject_allocation" the allocation of IPE's setintegrity
  /// hook that fails during the call ("injected" says whether it did). Each mounted device's
  /// status has "integrity" (IntegrityProbe::observe), and open counts leave the mount out.
  ///
  /// Handles: "open" stores the descriptor under the request's "handle" id; "close" and "read"
  /// use "handle", or "handles": ids newest first, of which the first one held is used (how a
  /// process's "close NAME" picks its newest open that succeeded); none held is EBADF.
  nlohmann::json perform(const nlohmann::json& request);

  /// Performs one call request (any op but "reset" and "race") and returns what it returned,
  /// without listing the devices. Safe to call from several threads at once.
  nlohmann::json act(const nlohmann::json& request);
  /// Closes every handle and removes every device; "zero" names disks to zero afterwards.
  nlohmann::json reset(const nlohmann::json& request);
  /// Waits (briefly) until no device has a deferred removal queued, then lists every device.
  nlohmann::json settled_devices();
  void wait_destroyed(const std::vector<ListedDevice>& listed,
                      std::chrono::steady_clock::time_point deadline);

  [[nodiscard]] int control_error() const { return dm_.open_error(); }

 private:
  using TableQuery = std::pair<Reply, std::vector<LiveTarget>>;
  /// One device of a listing as the host sees it: its status, live table and integrity.
  nlohmann::json device_status(const ListedDevice& d, const TableQuery& query,
                               const std::vector<ListedDevice>& listed);
  /// A reply as the host sees it: the probe's own mount left out of the open count.
  nlohmann::json reply_json(const Reply& r) const;
  /// The probe mounts a request lets go of before its call; what failed, or "".
  std::string release_probes(const nlohmann::json& request);
  /// Mounts the probe filesystems a request asks for after its call.
  void mount_probes(const nlohmann::json& request);
  /// Performs a call with its injected failure armed around it.
  nlohmann::json act_injected(const nlohmann::json& request);
  bool list_with_tables(std::vector<ListedDevice>& listed, std::vector<TableQuery>& tables);
  /// Frees a device that pins itself (a self-map) so that it can be removed.
  void unpin(const std::string& name);
  void remove_every_device(std::vector<ListedDevice>& listed);
  nlohmann::json call(const nlohmann::json& request);
  nlohmann::json create_with_table(const nlohmann::json& request);
  /// status and table: the reply and its "targets" (type, length in sectors, line).
  nlohmann::json target_query(const nlohmann::json& request);
  nlohmann::json open_device(const nlohmann::json& request);
  nlohmann::json close_handle(const nlohmann::json& request);
  nlohmann::json read_handle(const nlohmann::json& request);
  nlohmann::json write_handle(const nlohmann::json& request);
  /// Opens device number `dev` through a node of its own (removed once open) for `handle`.
  nlohmann::json open_node(std::uint64_t dev, int handle);
  struct HandleFd {
    int fd = -1;        ///< -1: no handle of the request is held (or the duplicate failed)
    int dup_error = 0;  ///< why the duplicate could not be made
  };
  /// The descriptor of the request's handle: taken out of the map (`release`) or duplicated, so
  /// that a close by another thread cannot hand its number to a new file mid-read.
  HandleFd handle_fd(const nlohmann::json& request, bool release);
  std::vector<TargetLine> targets_of(const nlohmann::json& request);
  /// "98:0" -> "/dev/ubda", "254:1" -> "dm:NAME"; other words unchanged.
  std::string name_devices(const std::string& params, const std::vector<ListedDevice>& listed);

  DmControl dm_;
  std::string node_dir_;
  std::mutex handles_mutex_;    ///< guards handles_
  bool wrote_ = false;          ///< a write was asked for since the disks were last filled
  std::map<int, int> handles_;  ///< the host's handle id -> file descriptor
  /// The devices marked for deferred removal at the last listing: when one is gone, the
  /// kernel's worker ran.
  std::vector<std::string> deferred_;
  /// The devices (encoded dev_t) of the last listing, to see which are gone at the next.
  std::vector<std::uint64_t> listed_devs_;
  /// Why a thread of an earlier race is still stuck in the kernel; then nothing more is done.
  std::string stuck_;
  std::map<std::uint64_t, std::string> disks_;  ///< backing disks: dev_t -> /dev/ubdX
  KnownUnits known_units_;                      ///< images in the disks, for reads
  IntegrityProbe probe_;
  std::map<std::string, std::string> mount_failed_;  ///< device -> why its probe mount failed
};

}  // namespace dmcheck::conformance
