#pragma once
/// The model's prediction for a trace run alone on the real kernel: for every call, the agent
/// request that performs it, what the call returns, and every device's status once the kernel
/// work the call queued (a deferred removal) has run.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "checker/error.h"
#include "conformance/fixtures.h"
#include "conformance/trace.h"
#include "model/config.h"
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
  friend bool operator==(const DeviceView&, const DeviceView&) = default;
};

/// The status bits a conformance run compares (kReplyStatus and the patch-only no-open bit are
/// not kernel state).
inline constexpr std::uint8_t kComparedFlags = model::kReplySuspended | model::kReplyReadOnly |
                                               model::kReplyLive | model::kReplyInactive |
                                               model::kReplyDeferred;

struct StepPrediction {
  std::string call;
  model::Call parsed;               ///< the call as the model reads it (a setup step's too)
  nlohmann::json request;           ///< what the agent performs
  model::Observation obs;           ///< what the call returns
  std::vector<DeviceView> devices;  ///< every device afterwards, sorted by name
  std::string state_before;         ///< the model state before the call, described
};

struct TracePrediction {
  std::vector<StepPrediction> setup;  ///< requests that make a scenario's initial devices
  std::vector<StepPrediction> steps;
  /// Non-empty when the trace cannot run on a real kernel alone: why (a call would wait
  /// forever, the model's bounds are reached, the step exists only in a patched variant).
  std::string unrunnable;
};

/// Why a model run of `calls` alone cannot be repeated on a real kernel, or "": a call waits
/// forever (a read of a suspended device), or reaches the model's bound on handles or devices.
std::string unrunnable_alone(const model::SequentialRun& run,
                             const std::vector<std::string>& calls);

/// Predicts `trace` on `config` (its disks, tables and initial devices; its own processes are
/// ignored) under `config.variant`, with no failures injected: the kernel's own outcome.
tl::expected<TracePrediction, Error> predict(const model::Config& config, const Fixtures& fixtures,
                                             const Trace& trace);

}  // namespace dmcheck::conformance
