// Removal: remove (its _hash_lock section, then the destroy that waits for holders),
// remove_all, and cancelling a deferred remove.

#include <array>
#include <utility>

#include "model/device_ops.h"
#include "model/machine.h"

namespace dmcheck::model::detail {
namespace {

Observation fail(std::uint8_t err) { return Observation{err, 0, 0, 0}; }

}  // namespace

void Machine::remove(const State& s, std::size_t pid, const CompiledCall& cc, bool revert) {
  State n = s;
  Process& p = n.processes[pid];
  const Call& call = cc.call;
  const std::uint8_t create_err = p.saved_err;
  auto failed = [&](std::uint8_t err) { finish(n, pid, fail(revert ? create_err : err)); };
  const int slot = find_by_name(s, cc.device);
  if (slot == kNone) {
    return failed(kENXIO);
  }
  const bool deferred = !revert && call.deferred;
  const bool no_open = !revert && call.no_open;
  if (no_open && !deferred) {
    return failed(kEINVAL);  // the no-open flag is valid only with --deferred
  }
  Device& d = n.devices[slot];
  if (d.open_count > 0) {
    if (!deferred) {
      return failed(kEBUSY);  // an earlier deferred mark stays
    }
    mark_deferred(d, no_open);
    // The caller's flags echoed back: "scheduled"; no status, no uevent.
    Observation obs;
    obs.flags = static_cast<std::uint8_t>(kReplyDeferred | (no_open ? kReplyNoOpen : 0));
    return finish(n, pid, obs);
  }
  d.flags |= kDeleting | kFreeing;  // dm_destroy sets FREEING before it waits
  d.life = Life::unhashed;          // name and uuid are free from here on
  p.md = static_cast<std::uint8_t>(slot + 1);
  p.phase = kRemoveSuspend;
  step(n, pid, revert ? kCreateRevert : kBetweenCalls, p.md);
}

void Machine::destroy_suspend(const State& s, std::size_t pid) {
  const Process& p0 = s.processes[pid];
  const int slot = p0.md - 1;
  if (s.devices[slot].suspend_owner != 0) {
    return;  // suspend_lock is held by a suspend waiting for reads
  }
  State n = s;
  suspend_for_destroy(n.devices[slot]);
  Process& p = n.processes[pid];
  const Phase performed = p.phase;
  p.phase = performed == kRemoveAllSuspend ? kRemoveAllDestroy : kRemoveDestroy;
  step(n, pid, performed, p.md);
}

void Machine::destroy(const State& s, std::size_t pid, bool remove_all) {
  const Process& p0 = s.processes[pid];
  const int slot = p0.md - 1;
  if (s.devices[slot].suspend_owner != 0 || holders(s, slot, static_cast<int>(pid)) > 0) {
    return;  // dm_destroy waits until nobody holds the device
  }
  State n = s;
  free_device(n, slot);
  Process& p = n.processes[pid];
  if (remove_all) {
    p.md = 0;
    p.phase = kRemoveAllScan;
    return step(n, pid, kRemoveAllDestroy, static_cast<std::uint8_t>(slot + 1));
  }
  const bool revert = c_.call_at(pid, p0)->call.op == Op::create;
  finish(n, pid, revert ? fail(p0.saved_err) : Observation{});
}

void Machine::remove_all_scan(const State& s, std::size_t pid, const CompiledCall& cc) {
  State n = s;
  Process& p = n.processes[pid];
  const Call& call = cc.call;
  const Phase performed = p.phase;
  if (performed == kBetweenCalls && call.no_open && !call.deferred) {
    return finish(n, pid, fail(kEINVAL));
  }
  // The hash is walked in name order; each removal restarts the walk.
  std::array<int, kMaxDevices> order{};
  std::size_t count = 0;
  const std::size_t used = used_device_slots(s);
  for (std::size_t i = 0; i < used; ++i) {
    if (s.devices[i].life == Life::hashed) {
      order[count++] = static_cast<int>(i);
    }
  }
  // Insertion sort: at most kMaxDevices entries.
  for (std::size_t i = 1; i < count; ++i) {
    for (std::size_t j = i; j > 0 && c_.name_rank[s.devices[order[j]].name] <
                                         c_.name_rank[s.devices[order[j - 1]].name];
         --j) {
      std::swap(order[j], order[j - 1]);
    }
  }
  for (std::size_t k = 0; k < count; ++k) {
    Device& d = n.devices[order[k]];
    if (d.open_count > 0) {
      if (call.deferred) {
        mark_deferred(d, call.no_open);
      }
      continue;
    }
    d.flags |= kDeleting | kFreeing;  // dm_destroy sets FREEING before it waits
    d.life = Life::unhashed;
    p.md = static_cast<std::uint8_t>(order[k] + 1);
    p.phase = kRemoveAllSuspend;
    return step(n, pid, performed, p.md);
  }
  finish(n, pid, Observation{});  // remove_all always succeeds
}

void Machine::cancel_lookup(const State& s, std::size_t pid, const CompiledCall& cc) {
  const int slot = lookup(s, pid, cc);
  if (slot == kNone) {
    return;
  }
  State n = s;
  if (cc.call.extra_args) {
    return finish(n, pid, fail(kEINVAL));
  }
  // The lookup drops _hash_lock before the cancel takes _minor_lock: a remove may come between.
  Process& p = n.processes[pid];
  p.md = static_cast<std::uint8_t>(slot + 1);
  p.phase = kCancelLock;
  step(n, pid, kBetweenCalls, p.md);
}

void Machine::cancel_lock(const State& s, std::size_t pid) {
  State n = s;
  Device& d = n.devices[s.processes[pid].md - 1];
  if ((d.flags & kDeleting) != 0) {
    return finish(n, pid, fail(kEBUSY));
  }
  d.flags &= static_cast<std::uint16_t>(~(kDeferred | kNoOpen));
  d.ghost &= static_cast<std::uint16_t>(~kGhostNoOpenMark);
  finish(n, pid, Observation{});
}

}  // namespace dmcheck::model::detail
