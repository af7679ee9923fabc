#pragma once
/// Runs one program alone, one call after another, and returns what each call observed — the
/// model's prediction for a replay on a real kernel. Kernel work a call leaves behind (a
/// deferred removal queued by a last close) runs to completion before the next call, as a
/// replay waits for it. Where the model allows failures, the first (succeeding) outcome is
/// taken, so the result is deterministic, except in the calls a replay injects a failure into:
/// there the last outcome (the failure; see run_sequential) is taken wherever there is a choice.

#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "checker/error.h"
#include "model/config.h"
#include "model/dm_model.h"

namespace dmcheck::model {

/// One call and what it returned.
struct StepObservation {
  std::string call;  ///< in dmsetup's words
  Observation obs;
  State after{};  ///< the state once the call and the kernel work it queued have finished
  bool failure_taken = false;  ///< an injected failure's outcome was taken in this call
};

struct SequentialRun {
  std::vector<StepObservation> steps;
  State final_state{};
  bool blocked = false;  ///< the program stopped at a call that can never proceed alone
  /// Not empty when the run stopped because call number `bound_call` (0-based) went past a
  /// bound of the model: what was exceeded (DmModel::exceeded_bound). That call has no step.
  std::string bound;
  std::size_t bound_call = 0;
  std::vector<std::string> trace;  ///< every transition, described
};

/// Runs `config`'s first process alone (other processes are ignored, the prober and the
/// internal suspender are off). In each call whose 0-based index is in `failing_calls`, a step
/// with several outcomes takes the last: with only the injected kind of failure enabled in
/// `config.failures`, that is the failure (a model lists success first).
tl::expected<SequentialRun, Error> run_sequential(
    const Config& config, const std::vector<std::size_t>& failing_calls = {});

/// Parses `steps` (see parse_step) into a program for a single process and runs it on
/// `config`'s devices, tables and variant (`failing_calls` as above).
tl::expected<SequentialRun, Error> run_sequential(
    Config config, const std::vector<std::string>& steps,
    const std::vector<std::size_t>& failing_calls = {});

}  // namespace dmcheck::model
