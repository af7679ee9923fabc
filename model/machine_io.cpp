// Block-device use: open and close (each one _minor_lock section), and reads and writes through
// the live table, which wait while the device (or one below it) holds I/O for a suspend.

#include "model/device_ops.h"
#include "model/machine.h"
#include "model/unit_io.h"

namespace dmcheck::model::detail {
namespace {

Observation fail(std::uint8_t err) { return Observation{err, 0, 0, 0}; }

/// The newest handle the process opened under `name`, or -1.
int find_handle(const Process& p, std::uint8_t name) {
  for (int h = static_cast<int>(kMaxHandles) - 1; h >= 0; --h) {
    if (p.handle_md[h] != 0 && p.handle_name[h] == name) {
      return h;
    }
  }
  return -1;
}

}  // namespace

void Machine::open(const State& s, std::size_t pid, const CompiledCall& cc) {
  State n = s;
  Process& p = n.processes[pid];
  // The name resolves to a device number first (the conformance agent opens by number).
  const int slot = find_by_name(s, cc.device);
  if (slot == kNone) {
    return finish(n, pid, fail(kENXIO));
  }
  int free_handle = -1;
  bool holder = false;
  for (int h = static_cast<int>(kMaxHandles) - 1; h >= 0; --h) {
    if (p.handle_md[h] == 0) {
      free_handle = h;
    } else if (p.handle_md[h] == slot + 1) {
      holder = true;
    }
  }
  if (free_handle < 0) {
    return exceed(n, pid, Bound::handles, static_cast<std::uint8_t>(pid + 1));
  }
  const std::uint8_t err = blk_open(c_, n, slot, true);
  if (err != kOk) {
    return finish(n, pid, fail(err));
  }
  Device& d = n.devices[slot];
  if (holder && (d.flags & kDeferred) != 0) {
    d.ghost |= kGhostHolderReopened;
  }
  p.handle_md[free_handle] = static_cast<std::uint8_t>(slot + 1);
  p.handle_name[free_handle] = cc.device;
  finish(n, pid, Observation{});
}

int Machine::handle(const State& s, std::size_t pid, const CompiledCall& cc) {
  const int h = find_handle(s.processes[pid], cc.device);
  if (h < 0) {
    finish(s, pid, fail(kEBADF));
  }
  return h;
}

void Machine::close(const State& s, std::size_t pid, const CompiledCall& cc) {
  const int h = handle(s, pid, cc);
  if (h < 0) {
    return;
  }
  State n = s;
  Process& p = n.processes[pid];
  const int slot = p.handle_md[h] - 1;
  // Handles stay packed in opening order so equal situations have equal bytes.
  for (std::size_t i = static_cast<std::size_t>(h); i + 1 < kMaxHandles; ++i) {
    p.handle_md[i] = p.handle_md[i + 1];
    p.handle_name[i] = p.handle_name[i + 1];
  }
  p.handle_md[kMaxHandles - 1] = 0;
  p.handle_name[kMaxHandles - 1] = 0;
  blk_close(n, slot);
  finish(n, pid, Observation{});
}

void Machine::io_submit(const State& s, std::size_t pid, const CompiledCall& cc) {
  const int h = handle(s, pid, cc);
  if (h < 0) {
    return;
  }
  const std::uint8_t md = s.processes[pid].handle_md[h];
  const Device& d = s.devices[md - 1];
  const bool write = cc.call.op == Op::write;
  // The block layer answers these before any bio: a read-only block device refuses a write,
  // and at the device's end a read returns no byte and a write has no room.
  if (write && (d.flags & kDiskRo) != 0) {
    return finish(s, pid, fail(kEPERM));
  }
  if (device_size(c_, d) == 0) {
    return finish(s, pid, write ? fail(kENOSPC) : Observation{kOk, 0, 0, kReadEmpty, {}});
  }
  State n = s;
  Process& p = n.processes[pid];
  p.md = md;
  p.phase = (d.flags & kBlockIo) != 0 ? kIoQueued : kIoInflight;
  step(n, pid, kBetweenCalls, p.md);
}

void Machine::io_complete(const State& s, std::size_t pid, const CompiledCall& cc) {
  const Process& p = s.processes[pid];
  const int slot = p.md - 1;
  const unsigned units = cc.call.whole ? device_size(c_, s.devices[slot]) : 1;
  if (cc.call.op == Op::read && units > kMaxReadUnits) {
    return exceed(s, pid, Bound::read_units, p.md);
  }
  // The units land together: the whole call waits while any of them would.
  std::array<Landing, kMaxReadUnits> reads{};
  for (unsigned u = 0; u < units; ++u) {
    const Landing at = land(c_, s, slot, u, p.phase == kIoInflight);
    if (at.kind == Landing::Kind::wait) {
      return;
    }
    if (u < kMaxReadUnits) {
      reads[u] = at;
    }
  }
  if (cc.call.op == Op::write) {
    return write_units(s, pid, cc, units);
  }
  Observation obs;
  State n = s;
  for (unsigned u = 0; u < units; ++u) {
    const std::uint8_t data = read_landing(s, reads[u]);
    if (data == kReadNothing) {
      return exceed(s, pid, Bound::disk_units, p.md);
    }
    (u == 0 ? obs.data : obs.more[u - 1]) = data;
    if (data == kReadEio) {
      obs.err = kEIO;
    }
    if (verity_rejects(s, reads[u])) {
      note_hash_failure(n, reads[u].verity_md);
    }
  }
  finish(n, pid, units == 0 ? Observation{kOk, 0, 0, kReadEmpty, {}} : obs);
}

void Machine::write_units(const State& s, std::size_t pid, const CompiledCall& cc, unsigned units) {
  State n = s;
  const int slot = s.processes[pid].md - 1;
  std::uint8_t err = units == 0 ? kENOSPC : kOk;
  // Unit by unit from the first, up to the first that fails, as the units are written in turn.
  for (unsigned u = 0; u < units && err == kOk; ++u) {
    const Landing at = land(c_, s, slot, u, s.processes[pid].phase == kIoInflight);
    err = at.kind == Landing::Kind::end ? std::uint8_t{kENOSPC}
                                        : write_landing(n, at, cc.call.letter);
    if (err == kUntracked || err == kCommitTime) {
      return exceed(s, pid, err == kUntracked ? Bound::disk_units : Bound::pool_commit,
                    s.processes[pid].md);
    }
  }
  finish(n, pid, fail(err));
}

}  // namespace dmcheck::model::detail
