#pragma once
/// The model's prediction for a trace run alone on the real kernel: for every call, the agent
/// request that performs it, what the call returns, and every device's status once the kernel
/// work the call queued (a deferred removal) has run.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <tl/expected.hpp>
#include <utility>
#include <vector>

#include "checker/error.h"
#include "conformance/fixtures.h"
#include "conformance/trace.h"
#include "model/config.h"
#include "model/dm_model.h"
#include "model/observation.h"
#include "model/sequential.h"
#include "model/step.h"

namespace dmcheck::conformance {

/// A device as a status query shows it: the fields the model owns.
struct DeviceView {
  std::string name;
  std::uint8_t flags =
      0;  ///< model::ReplyFlag bits: suspended, read-only, live, inactive, deferred
  std::uint32_t open_count = 0;  ///< as wide as the kernel's count, so none is cut short
  std::string live;  ///< the live table's signature (Fixtures::signature), "none" without one
  /// What IPE holds for the device ("root hash 1", "none"), where the integrity probe looks;
  /// empty where it does not.
  std::string integrity{};
  friend bool operator==(const DeviceView&, const DeviceView&) = default;
  /// Field by field, in order: sorts outcomes deterministically.
  friend auto operator<=>(const DeviceView&, const DeviceView&) = default;
};

/// The status bits a conformance run compares (kReplyStatus and the patch-only no-open bit are
/// not kernel state).
inline constexpr std::uint8_t kComparedFlags = model::kReplySuspended | model::kReplyReadOnly |
                                               model::kReplyLive | model::kReplyInactive |
                                               model::kReplyDeferred;

struct StepPrediction {
  std::string call;
  model::Call parsed;      ///< the call as the model reads it (a setup step's too)
  nlohmann::json request;  ///< what the agent performs
  model::Observation obs;  ///< what the call returns
  /// status and table: the reply's targets, reduced (conformance/target_reply.h); else empty.
  std::string targets;
  std::vector<DeviceView> devices;  ///< every device afterwards, sorted by name
  std::string state_before;         ///< the model state before the call, described
  /// A call with an injected failure: whether the model's call reached the failure (and took
  /// it). Empty for every other call.
  std::optional<bool> injected{};
};

struct TracePrediction {
  std::vector<StepPrediction> setup;  ///< requests that make a scenario's initial devices
  std::vector<StepPrediction> steps;
  /// Non-empty when the trace cannot run on a real kernel alone: why (a call would wait
  /// forever, the model's bounds are reached, the step exists only in a patched variant).
  std::string unrunnable;
};

/// The handles a process holds, as the model picks them: a close or read through NAME uses the
/// newest handle opened under NAME. Ids count up from 0 in opening order.
class Handles {
 public:
  int open(const std::string& name, bool succeeds) {
    const int id = next_++;
    if (succeeds) {
      held_.emplace_back(name, id);
    }
    return id;
  }
  /// The newest handle opened under `name`, or -1 (the agent answers EBADF).
  int newest(const std::string& name, bool release) {
    for (auto it = held_.rbegin(); it != held_.rend(); ++it) {
      if (it->first == name) {
        const int id = it->second;
        if (release) {
          held_.erase(std::next(it).base());
        }
        return id;
      }
    }
    return -1;
  }

 private:
  std::vector<std::pair<std::string, int>> held_;
  int next_ = 0;
};

/// The agent request that performs `call` (conformance/agent.h), whose outcome in the model is
/// `obs` (an open's success decides which handle later closes use), with `handles` the
/// process's.
nlohmann::json request_for(const model::Call& call, const model::Observation& obs,
                           const Fixtures& fixtures, Handles& handles);

/// The requests that make `config`'s initial devices, each followed by the opens held on it by
/// something outside the trace (a swapon, a mount), which the trace never closes (handle ids
/// from 1000 on).
std::vector<StepPrediction> setup_for(const model::Config& config, const Fixtures& fixtures,
                                      Handles& handles);

/// Why the real kernel cannot run `calls` on `config`: the first call, or else the first initial
/// device, that needs a patch it lacks; "" when none does.
std::string needs_patch(const model::Config& config, const std::vector<model::Call>& calls);

/// Every device of model state `s` that a status listing shows, sorted by name, as the kernel's
/// are compared (kernel_devices in conformance/compare.h).
std::vector<DeviceView> device_views(const model::DmModel& m, const Fixtures& fixtures,
                                     const model::State& s);

/// Why a model run of `calls` alone cannot be repeated on a real kernel, or "": a call waits
/// forever (a read of a suspended device), or reaches the model's bound on handles or devices.
std::string unrunnable_alone(const model::SequentialRun& run,
                             const std::vector<std::string>& calls);

/// Predicts `trace` on `config` (its disks, tables and initial devices; its own processes are
/// ignored) under `config.variant`, with no failures but the trace's injected ones: the
/// kernel's own outcome. With `integrity`, the requests carry the integrity probe's mounts and
/// the device views what IPE holds (conformance/probe_plan.h).
tl::expected<TracePrediction, Error> predict(const model::Config& config, const Fixtures& fixtures,
                                             const Trace& trace, bool integrity = false);

}  // namespace dmcheck::conformance
