// Block-device use: open and close (each one _minor_lock section) and reads through the live
// table, which wait while the device holds I/O for a suspend.

#include "model/device_ops.h"
#include "model/machine.h"

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

void Machine::read_submit(const State& s, std::size_t pid, const CompiledCall& cc) {
  const int h = handle(s, pid, cc);
  if (h < 0) {
    return;
  }
  State n = s;
  Process& p = n.processes[pid];
  p.md = p.handle_md[h];
  p.phase = (s.devices[p.md - 1].flags & kBlockIo) != 0 ? kReadQueued : kReadInflight;
  step(n, pid, kBetweenCalls, p.md);
}

void Machine::read_complete(const State& s, std::size_t pid) {
  const Process& p = s.processes[pid];
  const auto data = read_result(c_, s, p.md - 1, p.phase == kReadInflight);
  if (!data) {
    return;  // queued until the device (or one below it) resumes
  }
  Observation obs;
  obs.err = *data == kReadEio ? kEIO : kOk;
  obs.data = *data;
  State n = s;
  if (*data == kReadEio) {
    note_hash_failure(n, p.md - 1);
  }
  finish(n, pid, obs);
}

}  // namespace dmcheck::model::detail
