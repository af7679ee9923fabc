#pragma once
/// The one result data model every renderer reads: a run of one scenario (or any model), with
/// each property's verdict, what was expected, and its trace as text. Knows nothing of
/// device-mapper; the model's own describe functions produced the text.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/property.h"
#include "checker/result.h"

namespace dmcheck::reports {

/// The JSON schema's name and version; readers refuse other versions.
inline constexpr std::string_view kSchema = "dmcheck-report/2";
/// The earlier version readers still accept: a /1 file is a /2 file that never reports
/// "holds vacuously" nor a property's antecedent.
inline constexpr std::string_view kSchemaV1 = "dmcheck-report/1";

/// One step of a trace: what happened, the full state after it, and the parts that changed.
struct TraceStep {
  std::string action;  ///< empty for the initial state
  std::string state;
  std::vector<std::string> changed;
  std::uint32_t successor = 0;  ///< index among the predecessor's successors (for replay)
};

/// How a verdict compares with its expectation. `unchecked`: no verdict was expected, so the
/// verdict is only reported; a property without one is still `incomplete` while undecided.
enum class Outcome : std::uint8_t { as_expected, changed, incomplete, unchecked };

std::string_view to_string(Outcome outcome);

struct PropertyReport {
  std::string name;
  checker::PropertyKind kind = checker::PropertyKind::always;
  std::string meaning;
  checker::Verdict verdict = checker::Verdict::unknown;
  /// An invariant "A implies B": A in words. Under "holds vacuously" it is what never happened.
  std::string antecedent;
  std::optional<checker::Verdict> expected;
  std::optional<std::size_t> expected_shortest;
  std::vector<TraceStep> trace;  ///< empty when there is none
  std::uint32_t trace_initial = 0;

  [[nodiscard]] bool has_trace() const { return !trace.empty(); }
  [[nodiscard]] std::size_t trace_length() const { return trace.empty() ? 0 : trace.size() - 1; }
  [[nodiscard]] Outcome outcome() const;
};

struct Report {
  std::string name;  ///< scenario name
  std::string file;
  std::string description;
  std::string variant;
  checker::Strategy strategy = checker::Strategy::bfs;
  checker::StopReason stop = checker::StopReason::completed;
  checker::Stats stats;
  std::vector<PropertyReport> properties;

  /// changed if any property changed; else incomplete if any is undecided; else as expected,
  /// or unchecked when no property has an expected verdict (a scenario run to explore).
  [[nodiscard]] Outcome outcome() const;
};

/// The parts of `after` not in `before`, splitting states on "; " and " | " (one part per
/// device or process), so a trace shows which fields a step changed.
std::vector<std::string> changed_parts(const std::string& before, const std::string& after);

}  // namespace dmcheck::reports
