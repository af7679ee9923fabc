#pragma once
/// A conformance run: predicts every trace with the model, performs them all on the real kernel
/// (many traces per boot, a reset between traces), and compares every step. A divergence names
/// the trace, the first differing step and field, both values, and the model state before it.

#include <cstddef>
#include <map>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "checker/error.h"
#include "conformance/compare.h"
#include "conformance/integrity_policy.h"
#include "conformance/trace.h"
#include "conformance/uml_session.h"
#include "model/config.h"

namespace dmcheck::conformance {

struct ConformOptions {
  UmlOptions uml;  ///< kernel, agent and modules; its disks are the run's fixtures
  std::size_t traces_per_boot = 5000;
  /// Guests run at once, each on its own copy of the fixtures; the report is the same for any.
  std::size_t jobs = 1;
  /// The kernel's integrity probe files: with them, every guest loads the probe policy, and the
  /// traces compare IPE's integrity metadata and may inject failures (conformance/probe_plan.h).
  std::optional<ProbeKernel> integrity;
};

/// One step of a trace as run: both sides, for the side-by-side view.
struct StepRecord {
  std::string call;
  std::string model;
  std::string kernel;
  std::string devices_model;
  std::string devices_kernel;
  bool matches = true;
};

struct TraceRecord {
  Trace trace;
  std::vector<StepRecord> steps;
  std::optional<Divergence> divergence;
};

struct ConformReport {
  std::size_t traces = 0;      ///< traces performed
  std::size_t steps = 0;       ///< steps performed and compared
  std::size_t unrunnable = 0;  ///< traces left out (see TracePrediction::unrunnable)
  /// The first trace left out and why (for a single replay, the reason it cannot run).
  std::string first_left_out;
  std::size_t boots = 0;
  double seconds = 0;                            ///< wall time of the kernel runs
  std::map<std::string, std::size_t> per_step;   ///< step kind -> steps compared
  std::map<std::string, std::size_t> per_errno;  ///< the kernel's errno -> steps
  /// Device statuses whose integrity metadata was compared (one per probed device per step).
  std::size_t integrity_compared = 0;
  std::size_t injected = 0;  ///< steps in which an injected failure happened
  /// Steps after which a device's live table is a verity table other than the one before.
  std::size_t verity_reloads = 0;
  std::vector<TraceRecord> records;  ///< every trace performed, in order
  /// SIGINT or SIGTERM stopped the run: `records` holds the traces that finished.
  bool interrupted = false;
  std::size_t not_run = 0;  ///< traces an interrupt left unrun
  [[nodiscard]] std::vector<const TraceRecord*> diverged() const;
};

/// "create --table", "remove --deferred", "message @cancel_deferred_remove", "read", ...
std::string step_kind(const std::string& call);

/// Runs `traces` on `config` (its disks, tables, initial devices) on the real kernel. The kernel,
/// its modules and the agent are checked before any fixture is built; a name the kernel cannot
/// hold is refused (bad_input) before the kernel runs. Under SIGINT or SIGTERM the guest is killed
/// and the report holds the traces that finished (`interrupted`, `not_run`).
tl::expected<ConformReport, Error> conform(const model::Config& config,
                                           const std::vector<Trace>& traces,
                                           const ConformOptions& options);

}  // namespace dmcheck::conformance
