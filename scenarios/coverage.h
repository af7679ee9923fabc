#pragma once
/// Step coverage: which of the model's steps (calls with their flags, and the kernel actors'
/// actions) fired while exploring. `dmcheck ci` fails when a step never fires across the
/// library, so a step the library means to exercise cannot silently go dead.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "checker/model.h"
#include "checker/observed_model.h"
#include "model/dm_model.h"

namespace dmcheck::scenarios {

/// Every coverage unit the model has, e.g. "remove --deferred", "worker unhashes".
const std::vector<std::string>& all_coverage_units();

/// The units an action of `model` counts towards.
std::vector<std::string> coverage_units(const model::DmModel& model, const model::Action& action);

/// Records which program positions and kernel-actor events fired (a compact key per action).
/// Any exploring thread may record; units() reads what all of them recorded.
class CoverageObserver {
 public:
  /// Any thread may report what it generates (see checker::ObservedModel).
  static constexpr bool kThreadSafe = true;

  CoverageObserver();

  void expanding(const model::State&) {}
  void generated(const model::Action& a);

  /// The units of every action recorded so far (call when no thread is recording).
  [[nodiscard]] std::set<std::string> units(const model::DmModel& model) const;

 private:
  struct Keys {
    std::mutex mutex;
    std::unordered_set<std::uint64_t> seen;
  };
  std::uint64_t id_;  ///< tells this observer's entries in a thread's memo from another's
  std::unique_ptr<Keys> keys_ = std::make_unique<Keys>();
};

/// The model as `dmcheck ci` explores it: recording coverage as it goes.
using CoveredModel = checker::ObservedModel<model::DmModel, CoverageObserver>;

static_assert(checker::Model<CoveredModel>);

}  // namespace dmcheck::scenarios
