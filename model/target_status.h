#pragma once
/// What a `status` or `table` query (DM_TABLE_STATUS) reports per target, reduced to what the
/// model owns. Observation::data holds the first target's code, Observation::more the second to
/// fourth's (a table has at most kMaxTargets = 4); 0 marks no target there. The two queries'
/// codes do not overlap, so an observation says by itself which query it answers.

#include <cstdint>
#include <string>

#include "model/observation.h"
#include "model/table.h"

namespace dmcheck::model {

/// A target's status line, reduced. Linear, zero, error and crypt print nothing in their status
/// (crypt's key and linear's device are in their table lines), so they reduce to kStatusBare.
enum TargetStatus : std::uint8_t {
  kStatusNoTarget = 0,
  kStatusBare = 1,           ///< a target whose status line the model owns nothing of
  kStatusVerityValid = 2,    ///< verity: "V", no hash mismatch seen by this table instance
  kStatusVerityCorrupt = 3,  ///< verity: "C", a read hit a hash mismatch (v->hash_failed)
  /// thin-pool: its used and total data blocks. A thin-pool is alone in its table, so
  /// Observation::more carries them: more[0] used, more[1] total (one block per model unit).
  kStatusPool = 4,
  /// thin: the blocks it maps, kStatusThin + that count (at most kMaxPoolBlocks).
  kStatusThin = 5,
  /// A `table` reply's target: kTableTarget + its TargetKind.
  kTableTarget = 16,
};

/// A `table` reply's code for a target of `kind`.
inline std::uint8_t table_code(TargetKind kind) {
  return static_cast<std::uint8_t>(kTableTarget + static_cast<std::uint8_t>(kind));
}

/// Whether `obs` is a status or table reply that reported targets.
inline bool reports_targets(const Observation& obs) {
  return (obs.flags & kReplyStatus) != 0 && obs.err == kOk && obs.data != kStatusNoTarget;
}

/// The targets of a status reply in the words conformance compares with a kernel's: "V", "C",
/// "USED/TOTAL" for a thin-pool, the blocks it maps for a thin, "-" for a bare target, separated by
/// blanks; of a table reply, the target types ("linear zero"). "no targets" when the queried table
/// is absent.
std::string target_reply_text(const Observation& obs);

}  // namespace dmcheck::model
