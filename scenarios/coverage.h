#pragma once
/// Step coverage: which of the model's steps (calls with their flags, and the kernel actors'
/// actions) fired while exploring. `dmcheck ci` fails when a step never fires across the
/// library, so a step the library means to exercise cannot silently go dead.

#include <cstdint>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "checker/model.h"
#include "model/dm_model.h"

namespace dmcheck::scenarios {

/// Every coverage unit the model has, e.g. "remove --deferred", "worker unhashes".
const std::vector<std::string>& all_coverage_units();

/// The units an action of `model` counts towards.
std::vector<std::string> coverage_units(const model::DmModel& model, const model::Action& action);

/// Wraps the model and records every action it generates (the engine only sees a model).
class CoveredModel {
 public:
  using State = model::DmModel::State;
  using Action = model::DmModel::Action;

  explicit CoveredModel(model::DmModel inner) : inner_(std::move(inner)) {}

  [[nodiscard]] std::vector<State> initial_states() const { return inner_.initial_states(); }
  void successors(const State& s, checker::SuccessorSink<Action, State> emit) const {
    inner_.successors(s, [&](const Action& a, const State& n) {
      seen_.insert(key(a));
      emit(a, n);
    });
  }
  [[nodiscard]] std::vector<checker::Property<State>> properties() const {
    return inner_.properties();
  }
  [[nodiscard]] std::string describe_action(const Action& a) const {
    return inner_.describe_action(a);
  }
  [[nodiscard]] std::string describe_state(const State& s) const {
    return inner_.describe_state(s);
  }
  [[nodiscard]] bool is_final(const State& s) const { return inner_.is_final(s); }

  /// The units of every action generated so far.
  [[nodiscard]] std::set<std::string> units() const;

 private:
  static std::uint64_t key(const Action& a) {
    return std::uint64_t{a.actor} | std::uint64_t{static_cast<std::uint8_t>(a.event)} << 8 |
           std::uint64_t{a.pc} << 16 | std::uint64_t{a.branch} << 24 | std::uint64_t{a.sub} << 32;
  }

  model::DmModel inner_;
  mutable std::unordered_set<std::uint64_t> seen_;
};

static_assert(checker::Model<CoveredModel>);

}  // namespace dmcheck::scenarios
