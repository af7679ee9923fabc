#pragma once
/// Races on the real kernel, from the host: each process of a model configuration becomes one
/// thread of the guest agent (conformance/race_agent.h), the configuration's initial devices are
/// made before every iteration, and the kernel's outcomes are returned in the model's terms
/// (errno names, DeviceView), so that each can be looked up among the end states the model
/// allows for the same processes. On the uniprocessor, non-preemptible User-Mode Linux kernel,
/// threads interleave only where a call sleeps: an outcome the model allows may never show.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "checker/error.h"
#include "conformance/fixtures.h"
#include "conformance/predict.h"
#include "conformance/uml_session.h"
#include "model/config.h"

namespace dmcheck::conformance {

/// The most threads, calls per thread and iterations a race may have (the agent's bounds).
inline constexpr std::size_t kMaxRaceThreads = 3;
inline constexpr std::size_t kMaxRaceCalls = 16;
inline constexpr std::size_t kMaxRaceIterations = 100'000'000;

struct Race {
  std::string name;  ///< names the race in messages
  /// Its disks, tables and initial devices (made before every iteration, opens held outside the
  /// race included), and 2 or 3 processes whose programs are plain calls (no choose or repeat):
  /// one thread each. Failures to inject are the model's business: the kernel fails on its own.
  model::Config config;
  std::size_t iterations = 1000;
};

/// One end state the kernel reached, and how often.
struct KernelOutcome {
  /// results[t][c]: what thread t's call c returned, as kernel_errno_name gives it ("0",
  /// "EBUSY", "errno 95"); comparable with model::errno_name of the model's observation.
  std::vector<std::vector<std::string>> results;
  /// Every device afterwards (once queued deferred removals ran), sorted by name, by
  /// kernel_devices (conformance/compare.h): compare with device_views of a model end state.
  std::vector<DeviceView> devices;
  std::size_t count = 0;

  /// The same end state (results and devices), whatever the counts.
  [[nodiscard]] bool same_end(const KernelOutcome& other) const {
    return results == other.results && devices == other.devices;
  }
};

struct RaceResult {
  std::string name;
  std::size_t requested = 0;   ///< Race::iterations
  std::size_t iterations = 0;  ///< performed: `requested` unless the time budget ran out
  std::string stopped;         ///< why fewer than requested (the budget), else empty
  double seconds = 0;          ///< in the guest, from the first reset to the last outcome
  /// Distinct end states, sorted by results then devices; their counts sum to `iterations`.
  std::vector<KernelOutcome> outcomes;
};

struct RaceOptions {
  /// Kernel, agent and modules; its timeout is the allowance for booting, to which each race
  /// adds its budget and call limits (so a race cannot outlast it); its disks are the fixtures.
  UmlOptions uml;
  /// No iteration of a race starts after this much time in it (1 ms to 24 h).
  std::chrono::milliseconds budget{60'000};
  /// How long the threads of one iteration may take before the race is an error (a call that
  /// waits forever, such as a read of a suspended device, cannot race); 1 ms to 10 min.
  std::chrono::milliseconds call_limit{10'000};
  std::uint64_t seed = 0;  ///< varies which thread starts first in each iteration
};

struct RaceReport {
  std::vector<RaceResult> races;  ///< in the order given; only those finished if interrupted
  std::size_t boots = 0;          ///< one per run of consecutive races sharing disks and tables
  double seconds = 0;             ///< wall time of the boots
  bool interrupted = false;       ///< SIGINT or SIGTERM stopped the run
};

/// The fixtures of `a` serve `b`: the same disks and tables (so one boot, or one set of model
/// views, serves both).
bool same_fixtures(const model::Config& a, const model::Config& b);

/// Why `race` cannot run on the real kernel, as a bad_input Error naming the race (and the
/// process and step at fault): not 2 or 3 processes, a step that is not a plain call, more than
/// 16 calls in a process, iterations outside 1..10^8, a call or initial device only a patched
/// kernel has, a prober or internal suspender (the kernel has neither), no deferred-remove
/// worker (the kernel's always runs), or a configuration model::validate refuses.
tl::expected<void, Error> check_race(const Race& race);

/// The agent's race request for `race` (checked) on `fixtures`: the initial devices' setup, one
/// thread per process. A thread's opens use handle ids of its own; its close or read of NAME
/// names every handle it opened under NAME, newest first, and the agent uses the first still
/// held: as the model's process uses its newest open of NAME that succeeded and is not closed.
nlohmann::json race_request(const Race& race, const Fixtures& fixtures, const RaceOptions& options,
                            std::uint64_t seed);

/// The agent's observation of `race` (already checked by the guest protocol) in the model's
/// terms. Outcomes the model cannot tell apart (reply bits it does not own) are merged. Errors
/// (system): the agent could not run the race (its reason), or a device listed in an outcome
/// whose status could not be read (its end state is unknown).
tl::expected<RaceResult, Error> race_result(const Race& race, const nlohmann::json& observation);

/// Runs `races` on the real kernel: consecutive races sharing disks and tables run in one boot.
/// Errors: bad_input for a race check_race refuses or options out of range (before any boot);
/// system for a kernel that cannot run, a race the agent could not run (its reason: a setup
/// request that failed, a call that did not return, ...), a guest protocol error.
tl::expected<RaceReport, Error> run_races(const std::vector<Race>& races,
                                          const RaceOptions& options);

}  // namespace dmcheck::conformance
