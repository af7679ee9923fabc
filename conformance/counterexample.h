#pragma once
/// Turns a counterexample or witness from `dmcheck check --trace-dir` (a dmcheck-report/2 file)
/// into a sequential trace for the real kernel: the model is replayed along the recorded path,
/// and the user processes' calls are taken in the order they returned. Interleavings inside a
/// call (a resume's four steps, a remove waiting for holders) cannot be forced on a real
/// kernel; their order of completion can. A call that failed with the model's integrity
/// allocation failure (ENOMEM) gets that failure injected (Trace::injections).

#include <nlohmann/json.hpp>
#include <string>
#include <tl/expected.hpp>

#include "checker/error.h"
#include "conformance/trace.h"
#include "model/config.h"

namespace dmcheck::conformance {

struct Counterexample {
  Trace trace;
  model::Config config;  ///< the scenario's, under the variant the report was made with
  std::string property;
  /// Why a run of the trace alone cannot reach the counterexample's last state, even if the
  /// kernel agrees at every step: the first call that returns otherwise alone (a failure the
  /// counterexample took that cannot be injected, an interleaving a sequential run cannot
  /// force), or the devices that end otherwise. Empty: the trace alone reaches it.
  std::string unreproducible;
};

/// `property` empty: the first property of the report that has a trace.
tl::expected<Counterexample, Error> counterexample_trace(const nlohmann::json& report,
                                                         const std::string& file,
                                                         const std::string& property);

}  // namespace dmcheck::conformance
