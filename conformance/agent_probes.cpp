// The agent's side of the integrity probe around a call: the mounts it lets go of before the
// call, the injected failure armed around it, and the mounts it makes after it
// (conformance/integrity_probe.h).

#include <cerrno>

#include "conformance/agent.h"

namespace dmcheck::conformance {

using nlohmann::json;

std::string Agent::release_probes(const json& request) {
  const json names = request.value("release", json::array());
  for (const json& name : names) {
    if (name == "*") {
      return probe_.release_all();
    }
    const Reply r = dm_.status(name.get<std::string>());
    if (std::string why = r.failed() ? "" : probe_.release(r.dev); !why.empty()) {
      return why;
    }
  }
  return "";
}

void Agent::mount_probes(const json& request) {
  const json names = request.value("mount", json::array());
  for (const json& name : names) {
    const Reply r = dm_.status(name.get<std::string>());
    std::string why = r.failed() ? "no such device" : probe_.mount(r.dev, node_dir_);
    if (why.empty()) {
      mount_failed_.erase(name.get<std::string>());
    } else {
      mount_failed_[name.get<std::string>()] = std::move(why);  // kept until the next reset
    }
  }
}

json Agent::act_injected(const json& request) {
  if (!probe_.enabled()) {
    return {{"errno", EINVAL}, {"agent_error", "an injected failure needs the integrity probe"}};
  }
  if (std::string why = probe_.arm(request.value("inject_allocation", 1)); !why.empty()) {
    probe_.disarm();
    return {{"errno", EINVAL}, {"agent_error", "cannot arm failslab: " + why}};
  }
  json out = act(request);
  out["injected"] = probe_.disarm();
  return out;
}

}  // namespace dmcheck::conformance
