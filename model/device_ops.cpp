#include "model/device_ops.h"

namespace dmcheck::model::detail {

int find_by_name(const State& s, std::uint8_t name) {
  const std::size_t used = used_device_slots(s);
  for (std::size_t i = 0; i < used; ++i) {
    if (name != 0 && s.devices[i].life == Life::hashed && s.devices[i].name == name) {
      return static_cast<int>(i);
    }
  }
  return kNone;
}

int find_by_uuid(const State& s, std::uint8_t uuid) {
  const std::size_t used = used_device_slots(s);
  for (std::size_t i = 0; i < used; ++i) {
    if (uuid != 0 && s.devices[i].life == Life::hashed && s.devices[i].uuid == uuid) {
      return static_cast<int>(i);
    }
  }
  return kNone;
}

std::uint8_t blk_open(const Compiled& c, State& s, int slot, bool user) {
  Device& d = s.devices[slot];
  if ((d.life != Life::hashed && d.life != Life::unhashed) || (d.flags & kDiskAdded) == 0 ||
      (d.flags & (kDeleting | kFreeing | kNoOpen)) != 0) {
    return kENXIO;
  }
  if (c.config.variant.has_open_limit() && (d.flags & kOpenLimitEnforced) != 0 &&
      d.open_count >= d.open_limit) {
    return kEBUSY;
  }
  if (d.open_count == kCounterMax) {
    s.bound = Bound::open_count;  // the state ends the run; the count itself stays as it was
    s.bound_at = static_cast<std::uint8_t>(slot + 1);
    return kOk;
  }
  ++d.open_count;
  if (user) {
    if ((d.ghost & kGhostOpenedOnce) != 0) {
      d.ghost |= kGhostOpenedTwice;
    }
    d.ghost |= kGhostOpenedOnce;
    if ((d.ghost & kGhostNoOpenMark) != 0) {
      d.ghost |= kGhostOpenAfterMark;
    }
  }
  return kOk;
}

void blk_close(State& s, int slot) {
  Device& d = s.devices[slot];
  --d.open_count;
  if (d.open_count == 0 && (d.flags & kDeferred) != 0) {
    s.kernel.deferred_pending = 1;
  }
}

bool references(const State& s, int upper, int lower) {
  const auto below = static_cast<std::uint8_t>(lower + 1);
  const Device& d = s.devices[upper];
  if (d.live_lower == below || d.inactive_lower == below) {
    return true;
  }
  for (const Process& p : s.processes) {
    if (p.md == upper + 1 && (p.lower == below || p.old_lower == below)) {
      return true;
    }
  }
  return false;
}

std::uint8_t hold_below(const Compiled& c, State& s, int upper, int lower) {
  return references(s, upper, lower) ? static_cast<std::uint8_t>(kOk)
                                     : blk_open(c, s, lower, false);
}

void drop_table(State& s, int upper, std::uint8_t lower) {
  if (lower != 0 && !references(s, upper, lower - 1)) {
    blk_close(s, lower - 1);
  }
}

void free_device(State& s, int slot) {
  Device& d = s.devices[slot];
  const std::uint8_t live_lower = d.live_lower;
  const std::uint8_t inactive_lower = d.inactive_lower;
  d = Device{};
  d.life = Life::freed;
  drop_table(s, slot, inactive_lower);
  if (live_lower != inactive_lower) {
    drop_table(s, slot, live_lower);
  }
}

int holders(const State& s, int slot, int except) {
  int count = s.devices[slot].open_count;
  if (s.kernel.internal_md == slot + 1) {
    ++count;
  }
  for (std::size_t i = 0; i < kMaxProcesses; ++i) {
    const Process& p = s.processes[i];
    if (static_cast<int>(i) == except || p.md != slot + 1) {
      continue;
    }
    switch (p.phase) {
      case kLoadStage:
      case kResumeSuspend:
      case kResumeSwap:
      case kResumeResume:
      case kSuspendWait:
      case kCancelLock:
      case kSuspendLock:
      case kResumeSuspendLock:
      case kResumeCheck:
      case kRemoveSuspend:
      case kRemoveAllSuspend:
      case kRemoveDestroy:
      case kRemoveAllDestroy:
        ++count;
        break;
      default:
        break;
    }
  }
  return count;
}

int inflight_io(const State& s, int slot) {
  int count = 0;
  for (const Process& p : s.processes) {
    if (p.phase == kIoInflight && p.md == slot + 1) {
      ++count;
    }
  }
  return count;
}

void requeue_io(State& s, int slot) {
  for (Process& p : s.processes) {
    if (p.phase == kIoInflight && p.md == slot + 1) {
      p.phase = kIoQueued;
    }
  }
}

void postsuspend(Device& d) {
  if (d.live == 0) {
    return;
  }
  if ((d.ghost & kGhostTargetsStopped) != 0) {
    d.ghost |= kGhostDoublePostsuspend;
  }
  d.ghost |= kGhostTargetsStopped;
}

void suspend_for_destroy(Device& d) {
  if ((d.flags & kSuspended) == 0) {
    d.flags |= kSuspended;
    postsuspend(d);
  }
}

void resume_targets(Device& d) {
  d.flags &= static_cast<std::uint16_t>(~(kSuspended | kBlockIo));
  d.ghost &= static_cast<std::uint16_t>(~(kGhostFailedResume | kGhostTargetsStopped));
}

Observation status_of(const Device& d) {
  Observation o;
  o.flags = kReplyStatus;
  if ((d.flags & kSuspended) != 0) {
    o.flags |= kReplySuspended;
  }
  if ((d.flags & kDiskRo) != 0) {
    o.flags |= kReplyReadOnly;
  }
  if (d.live != 0) {
    o.flags |= kReplyLive;
  }
  if (d.inactive != 0) {
    o.flags |= kReplyInactive;
  }
  if ((d.flags & kDeferred) != 0) {
    o.flags |= kReplyDeferred;
    if ((d.flags & kNoOpen) != 0) {
      o.flags |= kReplyNoOpen;
    }
  }
  o.open_count = d.open_count;
  return o;
}

unsigned table_length(const Compiled& c, std::uint8_t table) {
  unsigned length = 0;
  if (table != 0) {
    for (const Target& t : c.table(table).targets) {
      length += t.length;
    }
  }
  return length;
}

unsigned device_size(const Compiled& c, const Device& d) {
  return table_length(c, d.capacity_table != 0 ? d.capacity_table : d.live);
}

namespace {

/// The data disk of a table's thin-pool target, or -1.
int pool_disk(const Compiled& c, std::uint8_t table) {
  if (table != 0) {
    for (const Target& t : c.table(table).targets) {
      if (t.kind == TargetKind::thin_pool) {
        return c.disk_index(t.onto);
      }
    }
  }
  return -1;
}

}  // namespace

bool table_fits(const Compiled& c, const State& s, std::uint8_t table, std::uint8_t lower) {
  for (const Target& t : c.table(table).targets) {
    if (t.kind != TargetKind::linear || t.onto.empty()) {
      continue;
    }
    const int disk = c.disk_index(t.onto);
    const unsigned below = disk >= 0    ? c.config.disks[disk].size
                           : lower != 0 ? device_size(c, s.devices[lower - 1])
                                        : 0;
    if (below != 0 &&
        t.offset + t.length > below) {  // the kernel skips the check on a zero-size device
      return false;
    }
  }
  return true;
}

bool pool_in_use_elsewhere(const Compiled& c, const State& s, std::uint8_t table, int slot) {
  const int disk = pool_disk(c, table);
  if (disk < 0) {
    return false;
  }
  const std::size_t used = used_device_slots(s);
  for (std::size_t other = 0; other < used; ++other) {
    const Device& d = s.devices[other];
    if (static_cast<int>(other) != slot &&
        (pool_disk(c, d.live) == disk || pool_disk(c, d.inactive) == disk)) {
      return true;
    }
  }
  for (const Process& p : s.processes) {
    if (p.md != slot + 1 && (pool_disk(c, p.table) == disk || pool_disk(c, p.old_table) == disk)) {
      return true;
    }
  }
  return false;
}

std::uint8_t immutable_type(const Compiled& c, std::uint8_t table) {
  if (table == 0) {
    return 0;
  }
  for (const Target& t : c.table(table).targets) {
    if (is_immutable(t.kind)) {
      return static_cast<std::uint8_t>(static_cast<std::uint8_t>(t.kind) + 1);
    }
  }
  return 0;
}

bool has_wildcard(const Compiled& c, std::uint8_t table) {
  for (const Target& t : c.table(table).targets) {
    if (t.kind == TargetKind::error) {
      return true;
    }
  }
  return false;
}

std::pair<std::uint8_t, std::uint8_t> live_integrity(const Compiled& c, const Device& d) {
  if (d.live == 0) {
    return {0, 0};
  }
  for (const Target& t : c.table(d.live).targets) {
    if (t.kind == TargetKind::verity) {
      return {t.root_hash, t.signature ? 1 : 0};
    }
  }
  return {0, 0};
}

}  // namespace dmcheck::model::detail
