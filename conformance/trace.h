#pragma once
/// A conformance trace: calls in dmsetup's words, performed one after another by one process on
/// a model configuration. Stored as JSON (schema dmcheck-trace/1) so a divergence can be
/// replayed: `dmcheck replay FILE`.

#include <nlohmann/json.hpp>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "checker/error.h"

namespace dmcheck::conformance {

/// The schema name of a trace file.
inline constexpr const char* kTraceSchema = "dmcheck-trace/1";

struct Trace {
  std::string name;                ///< "exhaustive-17", "random-3", "directed-crypt-key-wipe"
  std::vector<std::string> calls;  ///< each parsed by model::parse_call
  /// The scenario file whose disks, tables and devices the calls use; empty: the built-in
  /// conformance universe.
  std::string scenario;
  /// The kernel version it ran on ("6.1", "6.12") when a run recorded it; empty: not said.
  std::string kernel_version{};
};

nlohmann::json to_json(const Trace& trace);
/// Reads a trace written by to_json; every field is checked and an error names the file and the
/// JSON path of what is wrong ("$.calls[2] must be a string, got number").
tl::expected<Trace, Error> trace_from_json(const nlohmann::json& json, const std::string& file);

}  // namespace dmcheck::conformance
