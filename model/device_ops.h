#pragma once
/// Internal: the small kernel primitives the steps share — hash lookups, block-device open and
/// close under _minor_lock, table references, holders, device status. Each is part of a step;
/// none is a step on its own.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

#include "model/compiled.h"
#include "model/slots.h"
#include "model/state.h"

namespace dmcheck::model::detail {

inline constexpr int kNone = -1;

/// The hashed device with this name (_hash_lock lookup), or kNone.
int find_by_name(const State& s, std::uint8_t name);
/// The hashed device with this uuid, or kNone.
int find_by_uuid(const State& s, std::uint8_t uuid);

/// The block-device open check (dm_blk_open): ENXIO without a disk or while DELETING/FREEING
/// (or the no-open mark); EBUSY at an open limit. On success counts the open. `user` opens
/// (processes, prober) also update the ghost history; table references do not. An open past
/// kCounterMax marks `s` past Bound::open_count instead of wrapping the count.
std::uint8_t blk_open(const Compiled& c, State& s, int slot, bool user);
/// dm_blk_close: the last close of a device marked for deferred removal queues the worker.
void blk_close(State& s, int slot);
/// Whether the device in `upper` has a table (live, inactive, or held by a call in progress on
/// it) referencing the device in `lower`.
bool references(const State& s, int upper, int lower);
/// A table of `upper` is built onto `lower`: the device below is opened once per device above
/// (the kernel shares one table device among a device's tables), so only the first reference
/// opens it. Returns blk_open's result.
std::uint8_t hold_below(const Compiled& c, State& s, int upper, int lower);
/// A table of `upper` holding `lower` (slot + 1, 0 for none) is destroyed; the reference must
/// already be gone from `s`. The last reference of `upper` closes the device below.
void drop_table(State& s, int upper, std::uint8_t lower);
/// The destroy's end: tables dropped, the slot freed and zeroed.
void free_device(State& s, int slot);

/// References that keep a device from being freed: opens plus calls in progress that hold it,
/// plus the internal suspender while it holds the device suspended, not counting process
/// `except` (the destroyer itself).
int holders(const State& s, int slot, int except);
/// Reads and writes submitted to the device and not yet completed (suspend waits for them).
int inflight_io(const State& s, int slot);

/// A --noflush suspend of a device whose targets requeue (thin-pool here): I/O in flight is
/// pushed back to its queue (as NOFLUSH_SUSPENDING lets such a target do) instead of being
/// waited for; they complete after a resume.
void requeue_io(State& s, int slot);
/// The live table's targets are postsuspended: records the pairing ghost (a postsuspend of
/// targets already stopped is a double postsuspend). Nothing without a live table.
void postsuspend(Device& d);

/// dm_destroy's suspend section: a device not yet suspended gets presuspend, SUSPENDED and
/// postsuspend (no flush and no BLOCK_IO: nothing has it open).
void suspend_for_destroy(Device& d);
/// The live table's targets are resumed (all preresumes succeeded): I/O flows again.
void resume_targets(Device& d);

/// The status a reply carries: flags and open count.
Observation status_of(const Device& d);

/// The sum of a table's target lengths (0 for no table).
unsigned table_length(const Compiled& c, std::uint8_t table);
/// The size the device's block device shows: its live table's, unless a failed finalize hook
/// left another table's (Device::capacity_table).
unsigned device_size(const Compiled& c, const Device& d);

/// Whether a table's targets fit what is below them (the size check at first load or at swap):
/// a disk, or the DM device in slot `lower` - 1, whose size is device_size (0 without a table).
bool table_fits(const Compiled& c, const State& s, std::uint8_t table, std::uint8_t lower);
/// Whether a thin-pool in `table`, built for the device in `slot`, finds its metadata in use by
/// a pool of another device (a table of it, live, inactive or held by a call in progress).
bool pool_in_use_elsewhere(const Compiled& c, const State& s, std::uint8_t table, int slot);
/// The immutable target type of a table (as a TargetKind value + 1), or 0.
std::uint8_t immutable_type(const Compiled& c, std::uint8_t table);
/// Whether a table contains the wildcard `error` target.
bool has_wildcard(const Compiled& c, std::uint8_t table);

/// The integrity metadata the device's live table should have attached: its verity target's
/// (root hash id, signature valid), (0, 0) without a live verity table.
std::pair<std::uint8_t, std::uint8_t> live_integrity(const Compiled& c, const Device& d);

}  // namespace dmcheck::model::detail
