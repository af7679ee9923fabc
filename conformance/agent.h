#pragma once
/// The guest agent's request interpreter: performs one request (a device-mapper ioctl, an open,
/// close or read of a device, or a reset between traces) on the real kernel and says what it
/// observed, followed by every device's settled status. Runs inside the guest only.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "conformance/dm_control.h"

namespace dmcheck::conformance {

class Agent {
 public:
  /// `node_dir` is a private folder for device nodes made by number.
  explicit Agent(std::string node_dir);

  /// Performs `request` and returns the observation: "errno", "flags", "open_count" (replies),
  /// "data" (reads), "agent_error" (a request the agent could not perform), and "devices": the
  /// status of every device once deferred removals queued by the step have run.
  nlohmann::json perform(const nlohmann::json& request);

  [[nodiscard]] int control_error() const { return dm_.open_error(); }

 private:
  nlohmann::json call(const nlohmann::json& request);
  nlohmann::json create_with_table(const nlohmann::json& request);
  nlohmann::json open_device(const nlohmann::json& request);
  nlohmann::json close_handle(const nlohmann::json& request);
  nlohmann::json read_handle(const nlohmann::json& request);
  nlohmann::json reset(const nlohmann::json& request);
  std::vector<TargetLine> targets_of(const nlohmann::json& request);
  /// Waits (briefly) until no device has a deferred removal queued, then lists every device.
  nlohmann::json settled_devices();
  /// "98:0" -> "/dev/ubda", "254:1" -> "dm:NAME"; other words unchanged.
  std::string name_devices(const std::string& params, const std::vector<ListedDevice>& listed);

  DmControl dm_;
  std::string node_dir_;
  std::map<int, int> handles_;                  ///< the host's handle id -> file descriptor
  std::map<std::uint64_t, std::string> disks_;  ///< backing disks: dev_t -> /dev/ubdX
};

}  // namespace dmcheck::conformance
