#pragma once
/// A race judged: every end state the real kernel reached must be one the model allows for the
/// same processes from the same devices. The model's allowed set is every distinct end over all
/// interleavings (model/outcomes.h), put in the kernel's terms: each call's errno and every
/// device as a status listing shows it (DeviceView). A kernel outcome outside it is a divergence.
/// An allowed outcome the kernel never showed is listed, not counted against either side: a
/// uniprocessor kernel without preemption interleaves only where a call sleeps.

#include <cstdint>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "checker/error.h"
#include "checker/options.h"
#include "conformance/fixtures.h"
#include "conformance/race.h"

namespace dmcheck::conformance {

/// An end the model allows, in the kernel's terms.
struct AllowedOutcome {
  std::vector<std::vector<std::string>> results;  ///< per process, each call's errno name
  std::vector<DeviceView> devices;                ///< sorted by name, as kernel_devices
  /// A process never returns (a read of a device that stays suspended): the kernel cannot show
  /// this one, since the agent's call limit turns it into an error.
  bool deadlock = false;
  std::uint64_t end_states = 0;  ///< distinct model end states in this class
};

/// Every end the model allows for `race`, on `fixtures` (which name the live tables).
struct AllowedSet {
  std::vector<AllowedOutcome> outcomes;  ///< sorted, each once
  /// Every interleaving was explored; when false the set may lack outcomes and the race is
  /// judged `unknown`, never divergent.
  bool complete = false;
  std::string stop;  ///< why the exploration stopped, when not complete
  std::uint64_t states = 0;
};

/// Explores `race.config` under `limits` (breadth-first). Errors are the model's (a bound).
tl::expected<AllowedSet, Error> allowed_outcomes(const Race& race, const Fixtures& fixtures,
                                                 const checker::Options& limits);

enum class RaceVerdict { agrees, diverges, unknown };

struct RaceJudgement {
  RaceVerdict verdict = RaceVerdict::agrees;
  std::vector<std::size_t> outside;  ///< kernel outcomes (indexes) the model does not allow
  std::vector<std::size_t> unseen;   ///< allowed outcomes (indexes) the kernel never showed
  std::string why_unknown;           ///< the model's exploration was incomplete: why
};

/// Judges the kernel's `result` against `allowed`.
RaceJudgement judge(const AllowedSet& allowed, const RaceResult& result);

/// "0 / EBUSY" for a kernel or model outcome's results: threads by " / ", calls by ", ".
std::string results_text(const std::vector<std::vector<std::string>>& results);

}  // namespace dmcheck::conformance
