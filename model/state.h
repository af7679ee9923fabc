#pragma once
/// The model's state: fixed-size arrays of small integers, no padding, unused slots all zero,
/// so equal situations have equal bytes (the engine hashes them).
///
/// Names, uuids and tables are 1-based indices into the model's tables (0 = none); devices and
/// processes are referred to by slot + 1 where 0 must mean "none".

#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "model/observation.h"

namespace dmcheck::model {

inline constexpr std::size_t kMaxDevices = 8;         ///< mapped devices ever created in one run
inline constexpr std::size_t kMaxProcesses = 6;       ///< user processes
inline constexpr std::size_t kMaxHandles = 4;         ///< open handles per process
inline constexpr std::size_t kMaxNames = 32;          ///< distinct names (and uuids) in a config
inline constexpr std::size_t kMaxProgramSteps = 200;  ///< steps in one process's program
inline constexpr std::size_t kMaxDisks = 8;           ///< backing disks in a config
inline constexpr std::size_t kMaxTables = 64;         ///< tables in a config (index + 1 is a byte)
inline constexpr std::size_t kMaxTargets = 4;         ///< targets in one table
inline constexpr std::size_t kMaxAlternatives = 8;    ///< alternatives of one choose
/// Units of each backing disk whose data the model tracks: a read or write that reaches a disk
/// unit past them stops the run with a model error (Bound::disk_units).
inline constexpr std::size_t kMaxDiskUnits = 4;
/// Units one whole-device read reports (Observation::data and Observation::more); a longer
/// device stops the run with a model error (Bound::read_units).
inline constexpr std::size_t kMaxReadUnits = 4;
/// Thin-pools (distinct data disks of thin-pool targets) in a config, and distinct thin device
/// ids in a config: checked when a config is validated.
inline constexpr std::size_t kMaxPools = 2;
inline constexpr std::size_t kMaxThins = 4;
/// Data blocks of each pool whose mapping the model tracks (one block is one unit, and they are
/// the first units of the pool's data disk): an allocation past them is Bound::disk_units.
inline constexpr std::size_t kMaxPoolBlocks = kMaxDiskUnits;
/// Calls in one call sequence (a choose alternative or a repeat body): Process::sub is a byte.
inline constexpr std::size_t kMaxSequenceCalls = 200;
/// The largest open count a device may start with: 255 less room for the tables of the other
/// initial devices that may sit on it, so the initial state's count fits its byte.
inline constexpr std::size_t kMaxInitialOpenCount = 255 - (kMaxDevices - 1);
/// The largest value a byte counter of the state holds; a step that would go past it stops the
/// run with a model error (Bound) instead of wrapping.
inline constexpr std::uint8_t kCounterMax = 255;

/// A bound of the model that a step would have exceeded. A state carrying one has no
/// successors; the engine reports it as a model error with the trace that reached it.
enum class Bound : std::uint8_t {
  none = 0,
  devices,     ///< a create needed a device slot past kMaxDevices (slots are never reused)
  handles,     ///< an open needed a handle past kMaxHandles in its process
  open_count,  ///< a device's open count would have gone past kCounterMax
  disk_units,  ///< a read or write reached a disk unit past kMaxDiskUnits
  read_units,  ///< a whole-device read of a device longer than kMaxReadUnits units
  /// A thin-pool's live table would be replaced by one without a thin-pool while thin tables
  /// use the pool: the pool object outlives its table, held by the thins, which the model does
  /// not follow.
  pool_replaced,
  /// A thin-pool would allocate a block while a block freed since its last commit is lower than
  /// every free one: which it takes depends on the pool's periodic commit, which the model does
  /// not time.
  pool_commit,
};

/// Where a device slot is in its life. Slots are never reused, so a freed device stays
/// distinguishable from a new one (which is what no-handle-to-freed-device needs).
enum class Life : std::uint8_t {
  unused = 0,
  hashed,    ///< has a hash cell: name and uuid are taken, lookups find it
  unhashed,  ///< removed from the hash, being destroyed (DELETING, waiting for holders)
  freed,     ///< destroyed; every other field is zero
};

/// Kernel-visible device flags (DMF_* and what the block device shows).
enum DeviceFlag : std::uint16_t {
  kSuspended = 1U << 0,      ///< DMF_SUSPENDED
  kBlockIo = 1U << 1,        ///< DMF_BLOCK_IO_FOR_SUSPEND: new I/O is queued
  kDeferred = 1U << 2,       ///< DMF_DEFERRED_REMOVE
  kDeleting = 1U << 3,       ///< DMF_DELETING
  kFreeing = 1U << 4,        ///< DMF_FREEING
  kNoOpen = 1U << 5,         ///< DMF_DEFERRED_REMOVE_NO_OPEN (no-open-flag patch)
  kDiskAdded = 1U << 6,      ///< the gendisk exists (after the first table load)
  kDiskRo = 1U << 7,         ///< the block device is read-only (from the live table's mode)
  kKeyWiped = 1U << 8,       ///< the live crypt target's key is wiped
  kLiveRo = 1U << 9,         ///< the live table was loaded read-only
  kInactiveRo = 1U << 10,    ///< the inactive table was loaded read-only
  kProbePending = 1U << 11,  ///< a uevent is waiting for the udev-like prober
  /// DMF_SUSPENDED_INTERNALLY: internal_suspend_count > 0. A user suspend, and a user resume of
  /// a SUSPENDED device, wait (are not enabled) until it clears.
  kSuspendedInternally = 1U << 12,
  /// Open-limit variants: the open limit is enforced (DM_ENFORCE_OPEN_COUNT_FLAG at create, or
  /// set by the ioctl). Its own bit, so that an enforced limit of 0 (no open at all) is said.
  kOpenLimitEnforced = 1U << 13,
  /// create-open-limit: the limit came with the create and is fixed for the device's life; the
  /// open-limit ioctl cannot change it.
  kOpenLimitFixed = 1U << 14,
  /// The live verity target saw a hash mismatch (v->hash_failed): its status says C, not V.
  /// Per table instance, so a new live table clears it. Kept only when some call asks for a
  /// status (Compiled::queries_status), so that a model without one splits no state on it.
  kVerityCorrupt = 1U << 15,
};

/// Ghost bits: history that properties need, invisible to the kernel.
enum GhostFlag : std::uint16_t {
  kGhostFailedResume = 1U << 0,       ///< the last resume of this device failed
  kGhostNoOpenMark = 1U << 1,         ///< a no-open mark is in force (until a cancel)
  kGhostOpenAfterMark = 1U << 2,      ///< an open succeeded while the mark was in force
  kGhostLiveChangedActive = 1U << 3,  ///< the live table changed while not suspended
  kGhostHolderReopened = 1U << 4,     ///< a holder opened again while a deferred remove pended
  kGhostOpenedOnce = 1U << 5,         ///< some open succeeded
  kGhostOpenedTwice = 1U << 6,        ///< a second open succeeded
  /// The live table's targets were postsuspended (or swapped in and never resumed) and have not
  /// been resumed since: the per-instance postsuspend/resume pairing state.
  kGhostTargetsStopped = 1U << 7,
  /// A postsuspend reached targets that were already stopped (postsuspend twice, no resume).
  kGhostDoublePostsuspend = 1U << 8,
  /// A failed implicit suspend inside a resume destroyed the table it had taken while the
  /// device was still hashed and its inactive slot empty (the table was lost, not replaced).
  kGhostInactiveLost = 1U << 9,
};

/// One mapped device.
struct Device {
  std::uint16_t flags;  ///< DeviceFlag bits
  Life life;
  std::uint8_t name;        ///< name index
  std::uint8_t uuid;        ///< uuid index, 0 = none
  std::uint8_t open_count;  ///< block-device opens, including tables referencing it
  std::uint8_t open_limit;  ///< open-limit variants: the limit, enforced with kOpenLimitEnforced
  std::uint8_t live;        ///< live table (Config::tables index + 1)
  std::uint8_t live_lower;  ///< device slot + 1 the live table holds open
  std::uint8_t inactive;    ///< inactive table
  std::uint8_t inactive_lower;
  std::uint8_t root_hash;  ///< integrity metadata on the block device: root hash id, 0 none
  std::uint8_t sig_valid;  ///< integrity metadata: signature valid
  /// The table whose size the block device shows, when it is not the live table's: __bind sets
  /// the capacity (and the bio mempools and queue limits) before the finalize hook runs, and a
  /// failed hook undoes none of it (finalize-hook). Config::tables index + 1; 0: the live
  /// table's size (also when the two sizes are equal, so equal situations have equal bytes).
  std::uint8_t capacity_table;
  std::uint8_t suspend_owner;           ///< process + 1 holding suspend_lock across steps, 0 = free
  std::uint8_t internal_suspend_count;  ///< md->internal_suspend_count (nested internal suspends)
  std::uint16_t ghost;                  ///< GhostFlag bits
};

/// Where a process is inside a call that spans several steps.
enum Phase : std::uint8_t {
  kBetweenCalls = 0,
  kLoadBuild,         ///< create: its load's lookup and table construction comes next
  kLoadStage,         ///< load: the built table is staged under _hash_lock next
  kResumeLookup,      ///< create: its resume's step 1 comes next
  kResumeSuspend,     ///< resume step 2: implicit suspend before a swap
  kResumeSwap,        ///< resume step 3: dm_swap_table
  kResumeResume,      ///< resume step 4: dm_resume (preresume, resume) and old table destroy
  kRemoveDestroy,     ///< remove: unhashed; destroy waits for holders
  kRemoveAllScan,     ///< remove_all: the next locked iteration
  kRemoveAllDestroy,  ///< remove_all: destroy of the device just unhashed
  kSuspendWait,       ///< suspend holds suspend_lock and waits for in-flight reads and writes
  kIoInflight,        ///< a read or write was submitted and completes next
  kIoQueued,          ///< a read or write was queued by a suspended device; completes after resume
  kCreateRevert,      ///< create: the load or resume failed; dmsetup removes the device
  kCancelLock,        ///< message @cancel_deferred_remove: looked up; the _minor_lock part next
  /// suspend: found not suspended without a lock (do_suspend); dm_suspend under suspend_lock,
  /// which checks again, comes next
  kSuspendLock,
  /// resume: found not suspended without a lock before a swap; the implicit dm_suspend next
  kResumeSuspendLock,
  /// resume: the swap is done or there was no table; the unlocked "suspended?" test that
  /// decides whether dm_resume runs comes next
  kResumeCheck,
  /// remove: unhashed; dm_destroy's section under suspend_lock (suspend if not suspended) next,
  /// before it waits for holders
  kRemoveSuspend,
  kRemoveAllSuspend,  ///< remove_all: the same, for the device just unhashed
};

/// Local bits of a process inside a call.
enum LocalFlag : std::uint8_t {
  kLocalNewRo = 1U << 0,  ///< the new table (load/resume) is read-only
  kLocalOldRo = 1U << 1,
};

/// One user process.
struct Process {
  std::uint8_t pc;      ///< top-level step; == program size when finished
  std::uint8_t branch;  ///< choice: the alternative taken
  std::uint8_t sub;     ///< call within the sequence
  std::uint8_t iter;    ///< repeat: iterations started
  Phase phase;
  std::uint8_t md;         ///< device slot + 1 this call holds a reference to
  std::uint8_t table;      ///< the new table this call holds (built by load, taken by resume)
  std::uint8_t lower;      ///< device slot + 1 that table holds open
  std::uint8_t old_table;  ///< resume: the old live table, destroyed after step 4
  std::uint8_t old_lower;
  std::uint8_t local;                                 ///< LocalFlag bits
  std::uint8_t saved_err;                             ///< create: the error its revert will return
  std::array<std::uint8_t, kMaxHandles> handle_md;    ///< device slot + 1
  std::array<std::uint8_t, kMaxHandles> handle_name;  ///< the name it was opened under
  /// Which call completed last, when a property asks (`p.last is "open a"`): its number among
  /// the calls the properties watch (Compiled::watched_calls), 0 for any other call. Zero when
  /// no property watches a call, so that tracking it splits no state that nothing reads.
  std::uint8_t last_call;
  /// What the last completed call observed. Last, so that its `more` ends the Process: a model
  /// whose calls never fill it leaves those bytes out of a packed state (model/slots.h).
  Observation last;
};

/// What a thin-pool's metadata records (dm-thin-metadata): it outlives any device, so a later
/// pool on the same disks sees it. Thin ids are the config's, by index (Compiled::thin_ids).
struct PoolMetadata {
  /// The data size recorded when a pool last resumed (preresume), in blocks; 0: never resumed.
  std::uint8_t size;
  std::uint8_t thins;  ///< bit i: thin id i exists
  /// bit b: block b was freed since the pool's last commit, so the allocator does not take it
  /// yet (it must be free in the committed space map too).
  std::uint8_t pending;
  std::uint8_t vunits;  ///< bits 2b..2b+1: the thin unit block b maps (the same for every owner)
  /// Per data block: bits 0-3 the thins mapping it (0: free), bits 4-7 those whose mapping is
  /// marked shared (older than the thin's last snapshot: a write breaks the sharing).
  std::array<std::uint8_t, kMaxPoolBlocks> blocks;
};

/// Kernel actors other than user processes.
struct Kernel {
  std::uint8_t deferred_pending;  ///< the deferred-remove work item is queued
  /// 0 idle, 1 scanning, 2 destroying worker_md (waiting for holders), 3 about to take its
  /// suspend_lock in that destroy
  std::uint8_t worker_mode;
  std::uint8_t worker_md;
  std::uint8_t prober_md;        ///< device slot + 1 the prober holds open, 0 = none
  std::uint8_t prober_err;       ///< the errno of the prober's last open, kOk before one
  std::uint8_t internal_md;      ///< device slot + 1 the internal suspender holds suspended
  std::uint8_t internal_rounds;  ///< internal suspends the internal suspender has started
};

/// What each tracked unit of each backing disk holds: 0 its original data, else the letter a
/// write left there (1 for 'a' ... 26 for 'z'). Disk i's unit u is at i * kMaxDiskUnits + u.
using DiskData = std::array<std::uint8_t, kMaxDisks * kMaxDiskUnits>;

/// The whole state.
struct State {
  std::array<Device, kMaxDevices> devices;
  std::array<Process, kMaxProcesses> processes;
  DiskData disk_data;
  /// Per pool (Compiled::pool_disks): its metadata. A pool outlives any device, so it is not
  /// part of one; pools a config does not have stay zero and are left out of a packed state.
  std::array<PoolMetadata, kMaxPools> pools;
  Kernel kernel;
  Bound bound;            ///< the bound the step into this state exceeded, none normally
  std::uint8_t bound_at;  ///< what it concerns: device slot + 1, or process + 1 for handles
  /// Always 0: a padding byte of the compiler's would make equal states unequal bytes (the
  /// Devices' 16-bit fields give State an even size; everything else is bytes).
  std::uint8_t spare;
};

// Slots are referred to as slot + 1 in a byte (0 = none); devices also as bits of a 32-bit set.
static_assert(kMaxThins <= 4 && kMaxPoolBlocks <= 4);  // PoolMetadata's bit fields
static_assert(kMaxDevices <= 32 && kMaxProcesses < 255 && kMaxHandles < 255);
static_assert(kMaxInitialOpenCount >= 1 && kMaxInitialOpenCount <= kCounterMax);
static_assert(std::is_trivially_copyable_v<State>);
static_assert(kReadDisk + kMaxDisks * kMaxDiskUnits <= kReadWritten && kReadWritten + 26 <= 255);
static_assert(std::has_unique_object_representations_v<Device>);
static_assert(std::has_unique_object_representations_v<Process>);
static_assert(std::has_unique_object_representations_v<Kernel>);
static_assert(std::has_unique_object_representations_v<State>);
static_assert(offsetof(Process, last) + offsetof(Observation, more) + sizeof(Observation::more) ==
              sizeof(Process));

}  // namespace dmcheck::model
