#pragma once
/// Internal: a thin-pool's metadata (dm-thin-metadata) and who uses it. Thin devices and their
/// block mappings live in the pool's metadata, which outlives any DM device; a thin target
/// reaches its pool through the pool's DM device, which its table holds open.
///
/// Allocation follows the data space map: the lowest block free both now and at the last
/// commit. Sharing follows the metadata's clock: a snapshot marks every mapping of its origin and
/// of itself shared, and a write to a shared mapping moves it to a new block, even when no other
/// thin maps the old one any more.

#include <cstdint>
#include <vector>

#include "model/compiled.h"
#include "model/state.h"
#include "model/step.h"

namespace dmcheck::model::detail {

/// Whether `table` (index + 1, 0 none) is a thin-pool table (a thin-pool is alone in its table).
bool has_pool(const Compiled& c, std::uint8_t table);

/// The pool of the thin-pool target the device in `slot` has (its live table's, else its
/// inactive table's), or -1: the pool object a thin target built onto that device finds.
int pool_of_device(const Compiled& c, const State& s, int slot);

/// Whether a table instance (of a device, or held by a call in progress) has a thin target of
/// `pool` with thin index `thin`: the thin device is open in the pool (td->open_count).
bool thin_open(const Compiled& c, const State& s, int pool, int thin);

/// The pool's active thins: for each table instance with a thin target onto the device in
/// `pool_slot`, the device it belongs to (a device twice when two of its tables are thins). The
/// pool's presuspend internally suspends each, and its resume resumes each.
std::vector<int> active_thins(const Compiled& c, const State& s, int pool_slot);

/// The thin constructor's checks for a thin target of `t`'s id onto the device in `below` (its
/// pool device, already opened), in the kernel's order: the pool object (EINVAL), the thin id
/// in the metadata (ENODATA), the pool resumed and not suspended (EINVAL).
std::uint8_t thin_constructor(const Compiled& c, const State& s, const Target& t, int below);

/// A create_thin, create_snap or delete message to the pool `pool`: its errno; on success the
/// metadata changes and the pool commits.
std::uint8_t thin_message_effect(const Compiled& c, State& s, int pool, const Call& call);

/// The block thin `thin` maps at unit `vunit`, or -1 (unprovisioned).
int mapped_block(const PoolMetadata& m, int thin, unsigned vunit);

/// The result of provisioning a write.
struct Provision {
  enum class Kind : std::uint8_t {
    block,        ///< write the data to block `block`
    no_space,     ///< ENOSPC: no free block (the pool errors, as error_if_no_space asks)
    untracked,    ///< past the blocks or units the model tracks (Bound::disk_units)
    commit_time,  ///< the block depends on the pool's next commit (Bound::pool_commit)
  };
  Kind kind = Kind::block;
  std::uint8_t block = 0;
};

/// Thin `thin` writes its whole unit `vunit`: an unshared mapping is written in place; an
/// unprovisioned one, or a shared one (whose old block loses this thin), gets a new block.
Provision provision(PoolMetadata& m, int thin, unsigned vunit);

/// Blocks in use (the pool status's used data blocks).
unsigned used_blocks(const PoolMetadata& m);
/// Blocks thin `thin` maps (the thin status's mapped sectors, in blocks).
unsigned mapped_blocks(const PoolMetadata& m, int thin);

}  // namespace dmcheck::model::detail
