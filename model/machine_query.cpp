// The target queries: `status` and `table` (DM_TABLE_STATUS, one _hash_lock lookup and a read
// of the live or inactive table), and what verity's status remembers of the reads before it.

#include "model/device_ops.h"
#include "model/machine.h"
#include "model/target_status.h"
#include "model/thin_pool.h"

namespace dmcheck::model::detail {
namespace {

/// One target's reduced status line. `live`: the target belongs to the device's live table (an
/// inactive table's targets are instances no read has reached yet).
std::uint8_t reduced_status(const Compiled& c, const State& s, const Target& t, const Device& d,
                            bool live) {
  switch (t.kind) {
    case TargetKind::verity:
      return live && (d.flags & kVerityCorrupt) != 0 ? kStatusVerityCorrupt : kStatusVerityValid;
    case TargetKind::thin_pool:
      return kStatusPool;
    case TargetKind::thin: {
      // The thin's mapped blocks, from its pool's metadata (the table holds the pool device).
      const std::uint8_t lower = live ? d.live_lower : d.inactive_lower;
      const int pool = lower != 0 ? pool_of_device(c, s, lower - 1) : -1;
      const unsigned mapped = pool < 0 ? 0 : mapped_blocks(s.pools[pool], c.thin_index(t.thin_id));
      return static_cast<std::uint8_t>(kStatusThin + mapped);
    }
    default:
      return kStatusBare;
  }
}

/// Fills the per-target codes of a status or table reply for `table` (Config index + 1).
void fill_targets(const Compiled& c, const State& s, const Device& d, std::uint8_t table,
                  const Call& call, Observation& obs) {
  const bool live = !call.inactive;
  const auto& targets = c.table(table).targets;
  for (std::size_t i = 0; i < targets.size() && i < kMaxTargets; ++i) {
    const Target& t = targets[i];
    const std::uint8_t code =
        call.op == Op::table ? table_code(t.kind) : reduced_status(c, s, t, d, live);
    (i == 0 ? obs.data : obs.more[i - 1]) = code;
  }
  if (call.op == Op::status && obs.data == kStatusPool) {
    // The pool's metadata records its data size when a pool resumes (preresume) and the blocks
    // its thins use; the status of any pool table on those disks reports both.
    const PoolMetadata& m = s.pools[c.pool_index(c.disk_index(targets.front().onto))];
    obs.more[0] = static_cast<std::uint8_t>(used_blocks(m));
    obs.more[1] = m.size;
  }
}

}  // namespace

void Machine::target_query(const State& s, std::size_t pid, const CompiledCall& cc) {
  const int slot = find_by_name(s, cc.device);
  if (slot == kNone) {
    return finish(s, pid, Observation{kENXIO, 0, 0, 0});
  }
  const Device& d = s.devices[slot];
  Observation obs = status_of(d);
  const std::uint8_t table = cc.call.inactive ? d.inactive : d.live;
  if (cc.call.inactive) {
    // DM_QUERY_INACTIVE_TABLE_FLAG: the read-only bit describes the inactive table's mode.
    obs.flags &= static_cast<std::uint8_t>(~kReplyReadOnly);
    if (table != 0 && (d.flags & kInactiveRo) != 0) {
      obs.flags |= kReplyReadOnly;
    }
  }
  if (table != 0) {
    fill_targets(c_, s, d, table, cc.call, obs);
  }
  finish(s, pid, obs);
}

void Machine::note_hash_failure(State& n, std::uint8_t verity_md) const {
  // The mark splits states only where a status query can see it.
  if (c_.queries_status && verity_md != 0) {
    n.devices[verity_md - 1].flags |= kVerityCorrupt;
  }
}

}  // namespace dmcheck::model::detail
