#pragma once
/// Every distinct end of a scenario over all interleavings: what each process's calls returned,
/// and the state the devices are left in. This answers "what can my sequence observe when it
/// races this?", and is the model's side of a race run on a real kernel.

#include <cstdint>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "checker/error.h"
#include "checker/options.h"
#include "checker/result.h"
#include "model/dm_model.h"

namespace dmcheck::model {

/// The most calls an outcome records per process; a process that completes more is refused.
inline constexpr std::size_t kOutcomeCalls = 8;

/// One end state: the results of every process's calls, in order, and the model state.
struct EndState {
  std::vector<std::vector<CallResult>> results;  ///< per process
  State state{};
  bool deadlock = false;  ///< no move left, yet not every process finished (a hang)
};

struct OutcomeRun {
  std::vector<EndState> ends;  ///< each distinct (state, results) once, in discovery order
  checker::StopReason stop = checker::StopReason::completed;
  checker::Stats stats;
  /// Every interleaving was explored: `ends` is every outcome there is.
  [[nodiscard]] bool complete() const { return stop == checker::StopReason::completed; }
};

/// Explores `model` by breadth-first search with `options`' limits. Fails with the model error
/// of a bound the exploration met (the model's own, or a process completing more than
/// kOutcomeCalls calls).
tl::expected<OutcomeRun, Error> explore_outcomes(const DmModel& model,
                                                 const checker::Options& options);

/// One device at the end, in the model's terms.
struct DeviceEnd {
  std::string name;
  bool exists = false;  ///< still hashed (false: removed)
  bool suspended = false;
  bool deferred = false;
  bool read_only = false;
  int open_count = 0;
  std::string live;      ///< table name, "" none
  std::string inactive;  ///< table name, "" none
  friend bool operator==(const DeviceEnd&, const DeviceEnd&) = default;
  friend auto operator<=>(const DeviceEnd&, const DeviceEnd&) = default;
};

/// A call and what it returned, as an outcome shows it: the errno (and for a read, its data).
struct CallEnd {
  std::string call;
  std::string result;  ///< "0", "ENXIO", "data of disk0", ...
  friend bool operator==(const CallEnd&, const CallEnd&) = default;
  friend auto operator<=>(const CallEnd&, const CallEnd&) = default;
};

/// A class of end states that look the same to the processes and on the devices.
struct Outcome {
  std::vector<std::vector<CallEnd>> processes;  ///< per process, its calls in order
  std::vector<DeviceEnd> devices;               ///< every device ever created, by slot
  bool deadlock = false;
  std::uint64_t end_states = 0;  ///< distinct end states in this class
  friend bool operator==(const Outcome& a, const Outcome& b) {
    return a.processes == b.processes && a.devices == b.devices && a.deadlock == b.deadlock;
  }
};

/// The end states grouped into outcomes, sorted (deterministic).
std::vector<Outcome> group_outcomes(const DmModel& model, const std::vector<EndState>& ends);

}  // namespace dmcheck::model
