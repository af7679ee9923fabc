#pragma once
/// Compares what the real kernel did in one step with the model's prediction, field by field,
/// over the fields the model owns: the return code, the reply's status flags and open count,
/// what a read returned, and every device's status afterwards.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "conformance/predict.h"

namespace dmcheck::conformance {

struct Divergence {
  std::string trace;
  std::size_t step = 0;  ///< 1-based
  std::string call;
  std::string field;   ///< "errno", "reply flags", "read", "device a: open count", ...
  std::string model;   ///< the prediction
  std::string kernel;  ///< the observation
  std::string state_before;
};

/// The devices an observation lists, in the model's terms.
std::vector<DeviceView> kernel_devices(const nlohmann::json& observation);

/// The first field where `observation` differs from `predicted`, or nothing.
std::optional<Divergence> compare_step(const StepPrediction& predicted,
                                       const nlohmann::json& observation);

/// "errno ENXIO", "pattern A", "EIO", ... : the outcome of a step as the side-by-side view
/// prints it.
std::string describe_outcome(const model::Observation& obs);
/// The same for a prediction: a status or table reply shows the targets as they are compared.
std::string describe_outcome(const StepPrediction& predicted);
/// The same for a kernel's `observation` of `op` (the call its request performed); its reply is
/// read by the model's rule, model::replies_with_status.
std::string describe_outcome(const nlohmann::json& observation, model::Op op);
std::string describe_devices(const std::vector<DeviceView>& devices);

}  // namespace dmcheck::conformance
