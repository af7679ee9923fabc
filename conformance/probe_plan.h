#pragma once
/// The host's half of the integrity probe (conformance/integrity_probe.h): along a trace, which
/// devices the agent mounts a probe filesystem of, which mounts it lets go of before a call, and
/// what the model says IPE then holds for each mounted device.
///
/// A device is mounted after a call when the mount can neither wait nor change what the model
/// predicts: it is hashed, neither suspended, blocked nor marked for deferred removal, no other
/// device's table holds it, and its live table is a single verity target with a good root hash
/// over a disk whose probe filesystem no write has touched. A mount is let go before a call it
/// would change: a remove of the device (any kind), remove_all, and a table stacked on it.

#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "conformance/fixtures.h"
#include "conformance/predict.h"
#include "model/dm_model.h"
#include "model/step.h"

namespace dmcheck::conformance {

class ProbePlan {
 public:
  ProbePlan(const model::DmModel& model, const Fixtures& fixtures)
      : model_(model), fixtures_(fixtures) {}

  /// Adds to `request` (the call's, in state `before`) the mounts to let go of first.
  void before_call(const model::Call& call, const model::State& before, nlohmann::json& request);
  /// Adds to `request` the mounts to make after it, given the state `after`, and fills in the
  /// integrity of each view of a mounted device.
  void after_call(const model::State& after, nlohmann::json& request,
                  std::vector<DeviceView>& views);

 private:
  [[nodiscard]] bool mountable(const model::State& s, std::size_t slot) const;
  [[nodiscard]] const model::TableDef* table(std::uint8_t index) const;

  const model::DmModel& model_;
  const Fixtures& fixtures_;
  std::set<std::size_t> mounted_;  ///< device slots
};

}  // namespace dmcheck::conformance
