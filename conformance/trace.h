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

/// The failure a trace can inject, the only one a real kernel can be made to give on demand: an
/// allocation of IPE's setintegrity hook fails (ENOMEM) while verity hands it its root hash.
inline constexpr const char* kIntegrityAllocFailure = "integrity_alloc";
/// The hook makes three allocations (the digest's record, the digest, the algorithm's name).
inline constexpr int kIntegrityAllocations = 3;

/// A failure injected into one call of a trace (failslab, through the integrity probe).
struct Injection {
  std::size_t call = 0;  ///< 0-based index into Trace::calls
  std::string failure = kIntegrityAllocFailure;
  int allocation = 1;  ///< which of the hook's allocations fails, 1-based
  friend bool operator==(const Injection&, const Injection&) = default;
};

struct Trace {
  std::string name;                ///< "exhaustive-17", "random-3", "directed-crypt-key-wipe"
  std::vector<std::string> calls;  ///< each parsed by model::parse_call
  /// The scenario file whose disks, tables and devices the calls use; empty: the built-in
  /// conformance universe.
  std::string scenario;
  /// The kernel version it ran on ("6.1", "6.12") when a run recorded it; empty: not said.
  std::string kernel_version{};
  /// Failures injected into calls, at most one per call, in call order.
  std::vector<Injection> injections{};

  /// The failure injected into call `index`, or nullptr.
  [[nodiscard]] const Injection* injection(std::size_t index) const {
    for (const Injection& i : injections) {
      if (i.call == index) {
        return &i;
      }
    }
    return nullptr;
  }
};

/// "resume v [integrity_alloc fails, allocation 2]": a call as a report shows it.
std::string call_label(const Trace& trace, std::size_t index);

nlohmann::json to_json(const Trace& trace);
/// Reads a trace written by to_json; every field is checked and an error names the file and the
/// JSON path of what is wrong ("$.calls[2] must be a string, got number").
tl::expected<Trace, Error> trace_from_json(const nlohmann::json& json, const std::string& file);

}  // namespace dmcheck::conformance
