#pragma once
/// The entry points the fuzz targets drive, shared with the regression test so that a saved
/// input runs through exactly the code the fuzzer found it in. Each returns what the entry
/// point said: empty when the input was accepted, otherwise its error messages, one a line.
/// A returned error is a correct answer to bad input; only a crash, a hang, a leak or a
/// sanitizer report is a finding.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "conformance/counterexample.h"
#include "conformance/trace.h"
#include "model/step.h"
#include "reports/json.h"
#include "scenarios/loader.h"

namespace dmcheck::fuzz {

/// The name inputs are given in messages.
inline const std::string kInputName = "fuzz-input";

/// A scenario file's text, as `dmcheck check FILE` reads it.
inline std::string run_loader(std::string_view text) {
  auto scenario = scenarios::parse_scenario(text, kInputName);
  return scenario ? std::string() : scenario.error().describe();
}

/// One program step, as written in a scenario's `steps`.
inline std::string run_step(std::string_view text) {
  auto step = model::parse_step(text);
  return step ? std::string() : step.error().describe();
}

/// A file given to `dmcheck replay`: a trace (dmcheck-trace/1) whose calls are then parsed, or
/// a report whose counterexample is turned into a trace. Every JSON value goes through both
/// readers, so that neither relies on the other's choice of which one applies.
inline std::string run_trace(std::string_view text) {
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded()) {
    return "not JSON";
  }
  auto trace = conformance::trace_from_json(json, kInputName);
  if (trace) {
    for (const std::string& call : trace->calls) {
      if (auto parsed = model::parse_call(call); !parsed) {
        return parsed.error().describe();
      }
    }
    return {};
  }
  auto cex = conformance::counterexample_trace(json, kInputName, "");
  return cex ? std::string() : trace.error().describe() + "\n" + cex.error().describe();
}

/// A report written by `dmcheck check --format json` or `--trace-dir`, read back.
inline std::string run_report(std::string_view text) {
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded()) {
    return "not JSON";
  }
  auto report = reports::report_from_json(json, kInputName);
  return report ? std::string() : report.error().describe();
}

}  // namespace dmcheck::fuzz
