#include "model/unit_io.h"

#include "model/device_ops.h"
#include "model/thin_pool.h"

namespace dmcheck::model::detail {
namespace {

/// The live table's target covering `unit`, and `unit` relative to the target's start; null
/// past the table's end (a failed finalize hook can leave the block device longer than it).
const Target* covering(const Compiled& c, const Device& d, unsigned& unit) {
  if (d.live == 0) {
    return nullptr;
  }
  for (const Target& t : c.table(d.live).targets) {
    if (unit < t.length) {
      return &t;
    }
    unit -= t.length;
  }
  return nullptr;
}

Landing answer(Landing::Kind kind) {
  Landing at;
  at.kind = kind;
  return at;
}

}  // namespace

Landing land(const Compiled& c, const State& s, int slot, unsigned unit, bool inflight) {
  Landing at;
  // A chain longer than the devices that exist has come back to a device it passed: a self-map
  // (which 6.1 accepts) remaps the bio onto the device it came from without end.
  for (std::size_t depth = 0; depth < kMaxDevices + 1; ++depth) {
    const Device& d = s.devices[slot];
    if ((d.flags & kBlockIo) != 0 && !(inflight && depth == 0)) {
      return answer(Landing::Kind::wait);
    }
    if (unit >= device_size(c, d)) {
      // The top device's end is where a read stops; a bio past a lower device's end fails.
      return answer(depth == 0 ? Landing::Kind::end : Landing::Kind::eio);
    }
    const Target* t = covering(c, d, unit);
    if (t == nullptr || t->kind == TargetKind::error) {
      return answer(Landing::Kind::eio);
    }
    if (t->kind == TargetKind::zero) {
      return answer(Landing::Kind::zeros);
    }
    if (t->kind == TargetKind::verity) {
      at.verity = true;
      at.verified = at.verified && t->hash_matches;
      at.verity_md = static_cast<std::uint8_t>(slot + 1);
    }
    if (t->kind == TargetKind::thin) {
      // A thin remaps to its pool's data device, past the pool device's own queue.
      const int pool = d.live_lower != 0 ? pool_of_device(c, s, d.live_lower - 1) : -1;
      if (pool < 0) {
        return answer(Landing::Kind::eio);
      }
      at.kind = Landing::Kind::thin;
      at.pool = static_cast<std::uint8_t>(pool);
      at.thin = static_cast<std::uint8_t>(c.thin_index(t->thin_id));
      at.disk = static_cast<std::uint8_t>(c.pool_disks[static_cast<std::size_t>(pool)]);
      at.unit = static_cast<std::uint8_t>(unit);
      return at;
    }
    unit += t->offset;
    const int disk = c.disk_index(t->onto);
    if (disk >= 0) {
      at.kind = Landing::Kind::disk;
      at.disk = static_cast<std::uint8_t>(disk);
      at.unit = static_cast<std::uint8_t>(unit);
      return at;
    }
    if (d.live_lower == 0) {
      return answer(Landing::Kind::eio);
    }
    slot = d.live_lower - 1;
  }
  return answer(Landing::Kind::wait);
}

std::uint8_t read_landing(const State& s, const Landing& at) {
  unsigned unit = at.unit;
  switch (at.kind) {
    case Landing::Kind::end:
      return kReadEmpty;
    case Landing::Kind::zeros:
      return kReadZeros;
    case Landing::Kind::thin: {
      // An unprovisioned block reads as zeros.
      const int block = mapped_block(s.pools[at.pool], at.thin, at.unit);
      if (block < 0) {
        return kReadZeros;
      }
      unit = static_cast<unsigned>(block);
      break;
    }
    case Landing::Kind::disk:
      if (verity_rejects(s, at)) {
        return kReadEio;
      }
      break;
    default:
      return kReadEio;
  }
  if (unit >= kMaxDiskUnits) {
    return kReadNothing;
  }
  const std::uint8_t written = s.disk_data[at.disk * kMaxDiskUnits + unit];
  return static_cast<std::uint8_t>(written != 0 ? kReadWritten + written - 1
                                                : kReadDisk + at.disk * kMaxDiskUnits + unit);
}

bool verity_rejects(const State& s, const Landing& at) {
  // Verity's hash tree was built over the disk's original data.
  return at.verity && at.kind == Landing::Kind::disk && at.unit < kMaxDiskUnits &&
         (!at.verified || s.disk_data[at.disk * kMaxDiskUnits + at.unit] != 0);
}

std::uint8_t write_landing(State& s, const Landing& at, char letter) {
  unsigned unit = at.unit;
  switch (at.kind) {
    case Landing::Kind::zeros:
      return kOk;  // dm-zero drops writes
    case Landing::Kind::thin: {
      const Provision p = provision(s.pools[at.pool], at.thin, at.unit);
      switch (p.kind) {
        case Provision::Kind::no_space:
          return kENOSPC;
        case Provision::Kind::untracked:
          return kUntracked;
        case Provision::Kind::commit_time:
          return kCommitTime;
        case Provision::Kind::block:
          break;
      }
      unit = p.block;
      break;
    }
    case Landing::Kind::disk:
      if (at.verity) {
        return kEIO;  // verity kills every write bio
      }
      break;
    default:
      return kEIO;
  }
  if (unit >= kMaxDiskUnits) {
    return kUntracked;
  }
  s.disk_data[at.disk * kMaxDiskUnits + unit] = static_cast<std::uint8_t>(letter - 'a' + 1);
  return kOk;
}

}  // namespace dmcheck::model::detail
