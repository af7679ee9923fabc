#pragma once
/// Internal: where one unit of a read or write lands. A unit (the model's length unit) of a
/// device maps through its live table, and down any stack of linear targets, to a unit of a
/// backing disk, to a target that answers by itself (zero, error), or to nothing (past a
/// device's end); on the way it may meet a device that holds I/O for a suspend.

#include <cstdint>

#include "model/compiled.h"
#include "model/state.h"

namespace dmcheck::model::detail {

/// Where a unit lands.
struct Landing {
  enum class Kind : std::uint8_t {
    wait,   ///< a device on the way holds I/O, or the stack maps back onto itself (never ends)
    end,    ///< past the end of the device the I/O was issued to: no byte
    eio,    ///< an error target, a unit past a lower device's end or its live table's end
    zeros,  ///< a zero target: reads zeros, drops writes
    disk,   ///< unit `unit` of backing disk `disk`
    /// unit `unit` of thin `thin` of pool `pool`: a block of the pool's data disk `disk` if the
    /// thin maps one there, else unprovisioned
    thin,
  };
  Kind kind = Kind::eio;
  std::uint8_t disk = 0;
  std::uint8_t unit = 0;
  /// disk: a verity target is on the way (it fails every write, and a read whose data is not
  /// what its hash tree was built over); `verified` says whether the table's hash matches.
  bool verity = false;
  bool verified = true;
  std::uint8_t verity_md = 0;  ///< the device (slot + 1) whose live table's verity target it passed
  std::uint8_t pool = 0;       ///< thin: the pool (Kernel::pools index)
  std::uint8_t thin = 0;       ///< thin: the thin's index (Compiled::thin_ids)
};

/// Where unit `unit` of the device in `slot` lands now. An `inflight` I/O already passed that
/// device's gate.
Landing land(const Compiled& c, const State& s, int slot, unsigned unit, bool inflight);

/// What a read of a landing returns (a ReadData value, kReadEio included), or kReadNothing when
/// the disk unit is past those the model tracks (Bound::disk_units). Not for `wait`.
std::uint8_t read_landing(const State& s, const Landing& at);

/// Whether verity fails a read of the landing: its data is not what the hash tree was built
/// over (a wrong root hash, or a unit written since), which sets its corruption mark.
bool verity_rejects(const State& s, const Landing& at);

/// write_landing's answer for a disk unit past those the model tracks (Bound::disk_units).
inline constexpr std::uint8_t kUntracked = 255;
/// write_landing's answer for a thin write whose block depends on the pool's commit timing
/// (Bound::pool_commit).
inline constexpr std::uint8_t kCommitTime = 254;

/// The errno a write of `letter` onto a landing gets; a disk unit it reaches now holds the
/// letter; a thin write provisions its block first (ENOSPC when the pool is full). kUntracked
/// past the units the model tracks, kCommitTime. Not for `wait` or `end`.
std::uint8_t write_landing(State& s, const Landing& at, char letter);

}  // namespace dmcheck::model::detail
