#pragma once
/// Step coverage: which of the model's steps (calls with their flags, and the kernel actors'
/// actions) fired while exploring. `dmcheck ci` fails when a step never fires across the
/// library, so a step the library means to exercise cannot silently go dead.

#include <array>
#include <cstddef>
#include <cstdint>
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
class CoverageObserver {
 public:
  void expanding(const model::State&) {}
  void generated(const model::Action& a) {
    // Nearly every transition repeats a key already seen: a direct-mapped memo of recent keys
    // answers those without a hash-set lookup.
    const std::uint64_t k = key(a);
    std::uint64_t& recent = recent_[(k ^ k >> 13 ^ k >> 29) % kRecent];
    if (recent != k + 1) {
      recent = k + 1;
      seen_.insert(k);
    }
  }

  /// The units of every action recorded so far.
  [[nodiscard]] std::set<std::string> units(const model::DmModel& model) const;

 private:
  static std::uint64_t key(const model::Action& a) {
    return std::uint64_t{a.actor} | std::uint64_t{static_cast<std::uint8_t>(a.event)} << 8 |
           std::uint64_t{a.pc} << 16 | std::uint64_t{a.branch} << 24 | std::uint64_t{a.sub} << 32;
  }

  static constexpr std::size_t kRecent = 1024;
  std::array<std::uint64_t, kRecent> recent_{};  ///< key + 1 of a key in seen_, 0: empty
  std::unordered_set<std::uint64_t> seen_;
};

/// The model as `dmcheck ci` explores it: recording coverage as it goes.
using CoveredModel = checker::ObservedModel<model::DmModel, CoverageObserver>;

static_assert(checker::Model<CoveredModel>);

}  // namespace dmcheck::scenarios
