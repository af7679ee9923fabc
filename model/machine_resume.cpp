// Suspend, and resume as the kernel's four steps: (1) take the inactive table out of the cell,
// (2) suspend implicitly before a swap, (3) swap tables, (4) dm_resume with the targets'
// preresume, then destroy the old table whatever step 4 returned. Also the internal suspender:
// internal suspend and resume of a device by another device's target.

#include <algorithm>
#include <iterator>
#include <utility>
#include <vector>

#include "model/device_ops.h"
#include "model/machine.h"
#include "model/thin_pool.h"

namespace dmcheck::model::detail {
namespace {

/// Whether a noflush suspend may push the device's in-flight I/O back to its queue. Only
/// targets that requeue under NOFLUSH_SUSPENDING do so (multipath and thin in the kernel; of the
/// modelled targets, thin-pool and thin); for every other target the suspend still waits for the
/// reads, as a real kernel does for linear.
bool requeues_under_noflush(const Compiled& c, const Device& d) {
  if (d.live == 0) {
    return false;
  }
  for (const Target& t : c.table(d.live).targets) {
    if (t.kind == TargetKind::thin_pool || t.kind == TargetKind::thin) {
      return true;
    }
  }
  return false;
}

Observation fail(std::uint8_t err) { return Observation{err, 0, 0, 0}; }

/// Whether dm_internal_suspend_noflush of the device in `slot` can run now: it takes the
/// device's suspend_lock, and waits for I/O in flight unless the device is suspended already or
/// its targets requeue (modelled as: not enabled until then).
bool can_internal_suspend(const Compiled& c, const State& s, int slot) {
  const Device& d = s.devices[slot];
  return d.suspend_owner == 0 && !(d.internal_suspend_count == 0 && (d.flags & kSuspended) == 0 &&
                                   !requeues_under_noflush(c, d) && inflight_io(s, slot) > 0);
}

/// __dm_internal_suspend (noflush) of the device in `slot`: nested ones only count; a device
/// the user suspended only gains the mark; any other stops its I/O and postsuspends.
void internal_suspend_device(const Compiled& c, State& n, int slot) {
  Device& d = n.devices[slot];
  if (d.internal_suspend_count++ != 0) {
    return;
  }
  d.flags |= kSuspendedInternally;
  if ((d.flags & kSuspended) == 0) {
    d.flags |= kBlockIo;
    if (requeues_under_noflush(c, d)) {
      requeue_io(n, slot);
    }
    postsuspend(d);
  }
}

/// The active thins a presuspend or resume of the device in `slot` reaches: those of its pool,
/// when its live table is a thin-pool (only its target's presuspend and resume reach them).
std::vector<int> pool_thins(const Compiled& c, const State& s, int slot) {
  return has_pool(c, s.devices[slot].live) ? active_thins(c, s, slot) : std::vector<int>{};
}

/// A pool's presuspend (pool_presuspend) internally suspends its active thins; it waits while
/// one of them cannot be (its suspend_lock held, or its I/O in flight), and a thin of the pool
/// device itself would wait on the lock its own suspend holds.
bool can_suspend_thins(const Compiled& c, const State& s, int pool_slot) {
  const std::vector<int> thins = pool_thins(c, s, pool_slot);
  return std::all_of(thins.begin(), thins.end(),
                     [&](int t) { return t != pool_slot && can_internal_suspend(c, s, t); });
}

void suspend_thins(const Compiled& c, State& n, int pool_slot) {
  for (const int t : pool_thins(c, n, pool_slot)) {
    internal_suspend_device(c, n, t);
  }
}

/// One way a hook or preresume can turn out.
struct Outcome {
  State state;
  std::uint8_t err;
};

/// An end of the integrity hook: what IPE then holds for the device, and the hook's result.
Outcome with_integrity(const Outcome& in, int slot, std::uint8_t root_hash, std::uint8_t sig,
                       std::uint8_t err) {
  Outcome o = in;
  o.state.devices[slot].root_hash = root_hash;
  o.state.devices[slot].sig_valid = sig;
  o.err = err;
  return o;
}

/// The integrity hook: verity makes two calls into the security modules, each stopping at the
/// first module that fails it. The root-hash call: IPE copies the digest (an allocation that may
/// fail, keeping the old copy). The signature call: IPE records the signature state; if the
/// call fails, verity clears the root hash (a third call) and leaves the signature state as it
/// is. Another module may refuse either call (EPERM), ordered before IPE (IPE never sees the
/// call) or after it (IPE has already taken it): four ends, each a choice of the checker.
void integrity_outcomes(const Failures& failures, const Outcome& in, int slot, const Target& t,
                        std::vector<Outcome>& out) {
  const Device& d = in.state.devices[slot];
  const std::uint8_t new_sig = t.signature ? 1 : 0;
  out.push_back(with_integrity(in, slot, t.root_hash, new_sig, in.err));
  if (failures.integrity_alloc) {
    out.push_back(Outcome{in.state, kENOMEM});
  }
  if (failures.integrity_refused) {
    const std::pair<std::uint8_t, std::uint8_t> ends[] = {
        {d.root_hash, d.sig_valid},  // the root-hash call, refused before IPE
        {t.root_hash, d.sig_valid},  // the root-hash call, refused after IPE took the digest
        {0, d.sig_valid},            // the signature call, refused before IPE
        {0, new_sig},                // the signature call, refused after IPE recorded it
    };
    for (std::size_t i = 0; i < std::size(ends); ++i) {
      // Ends that leave IPE the same are one outcome.
      if (std::find(ends, ends + i, ends[i]) == ends + i) {
        out.push_back(with_integrity(in, slot, ends[i].first, ends[i].second, kEPERM));
      }
    }
  }
}

/// Preresume of each live target in order; the first failure stops it, with no undo.
std::vector<Outcome> preresume(const Compiled& c, const State& s, int slot) {
  std::vector<Outcome> outcomes{Outcome{s, kOk}};
  for (const Target& t : c.table(s.devices[slot].live).targets) {
    std::vector<Outcome> next;
    for (const Outcome& o : outcomes) {
      if (o.err != kOk) {
        next.push_back(o);
        continue;
      }
      const Device& d = o.state.devices[slot];
      const int disk = c.disk_index(t.onto);
      switch (t.kind) {
        case TargetKind::crypt:
          next.push_back(Outcome{o.state, (d.flags & kKeyWiped) != 0 ? kEAGAIN : kOk});
          break;
        case TargetKind::thin_pool:
          if (t.length < o.state.pools[c.pool_index(disk)].size) {
            next.push_back(Outcome{o.state, kEINVAL});  // "pool target too small"
          } else {
            Outcome grown = o;
            grown.state.pools[c.pool_index(disk)].size = t.length;
            next.push_back(grown);
          }
          break;
        case TargetKind::generic:
          next.push_back(o);
          if (c.config.failures.preresume) {
            next.push_back(Outcome{o.state, kEIO});
          }
          break;
        case TargetKind::verity:
          if (c.config.variant.integrity_at_preresume()) {
            integrity_outcomes(c.config.failures, o, slot, t, next);
          } else {
            next.push_back(o);
          }
          break;
        default:
          next.push_back(o);
          break;
      }
    }
    outcomes = std::move(next);
  }
  return outcomes;
}

/// The outcomes of the finalize hook (finalize-hook variants): __bind calls each verity target's
/// finalize before switching the map, and a failure cancels the switch. Without the hook the
/// swap goes on as one success.
std::vector<Outcome> finalize(const Compiled& c, const State& s, int slot, std::uint8_t table) {
  std::vector<Outcome> outcomes{Outcome{s, kOk}};
  if (!c.config.variant.has(kFinalizeHook)) {
    return outcomes;
  }
  for (const Target& t : c.table(table).targets) {
    if (t.kind != TargetKind::verity) {
      continue;
    }
    std::vector<Outcome> next;
    for (const Outcome& o : outcomes) {
      if (o.err == kOk) {
        integrity_outcomes(c.config.failures, o, slot, t, next);
      } else {
        next.push_back(o);
      }
    }
    outcomes = std::move(next);
  }
  return outcomes;
}

/// dm_swap_table's map switch: the table the resume took becomes live, the old live table
/// passes to the process (destroyed after step 4), and the device's read-only and key state
/// follow the new table.
void switch_map(const Compiled& c, State& n, std::size_t pid, int slot) {
  Process& q = n.processes[pid];
  Device& d = n.devices[slot];
  const bool new_ro = (q.local & kLocalNewRo) != 0;
  q.old_table = d.live;
  q.old_lower = d.live_lower;
  q.local = static_cast<std::uint8_t>((q.local & ~kLocalOldRo) |
                                      ((d.flags & kLiveRo) != 0 ? kLocalOldRo : 0));
  if ((d.flags & kSuspended) == 0) {
    d.ghost |= kGhostLiveChangedActive;
  }
  d.live = q.table;
  d.live_lower = q.lower;
  d.capacity_table = 0;             // __bind set the capacity from this table
  d.ghost |= kGhostTargetsStopped;  // a new table instance: not resumed yet
  std::uint16_t flags =
      d.flags & static_cast<std::uint16_t>(~(kLiveRo | kDiskRo | kKeyWiped | kVerityCorrupt));
  if (new_ro) {
    flags |= kLiveRo | kDiskRo;
  }
  const Target& first = c.table(d.live).targets.front();
  if (first.kind == TargetKind::crypt && !first.key_set) {
    flags |= kKeyWiped;
  }
  d.flags = flags;
  q.table = q.lower = 0;
  q.phase = kResumeCheck;
}

/// dm_internal_resume of the device in `slot`: only the last of nested internal suspends
/// resumes, and only a device the user has not suspended meanwhile is resumed.
std::vector<Outcome> internal_resume_outcomes(const Compiled& c, const State& s, int slot) {
  State n = s;
  Device& d = n.devices[slot];
  if (--d.internal_suspend_count != 0) {
    return {Outcome{n, kOk}};
  }
  d.flags &= static_cast<std::uint16_t>(~kSuspendedInternally);
  if ((d.flags & kSuspended) != 0) {
    return {Outcome{n, kOk}};  // the user's suspend stays; nothing is called
  }
  if (!c.config.variant.internal_resume_runs_preresume() || d.live == 0) {
    // 6.1.0: I/O flows again, but the targets' resume is never called (CVE-2024-26880).
    d.flags &= static_cast<std::uint16_t>(~kBlockIo);
    return {Outcome{n, kOk}};
  }
  std::vector<Outcome> outcomes = preresume(c, n, slot);
  for (Outcome& o : outcomes) {
    Device& od = o.state.devices[slot];
    if (o.err != kOk) {
      od.flags |= kSuspended;  // the "fake user suspend" keeps postsuspend/resume paired
      od.ghost |= kGhostFailedResume;
    } else {
      resume_targets(od);
    }
  }
  return outcomes;
}

/// A pool's resume (pool_resume) internally resumes its active thins, each under its own
/// suspend_lock; a thin whose preresume fails is left SUSPENDED, and the pool's resume does not
/// see it. Every combination of the thins' ends is a successor.
std::vector<State> resume_thins(const Compiled& c, const State& s, int pool_slot) {
  std::vector<State> ends = {s};
  for (const int t : pool_thins(c, s, pool_slot)) {
    std::vector<State> next;
    for (const State& e : ends) {
      if (e.devices[t].internal_suspend_count == 0) {
        next.push_back(e);  // never suspended by this pool (nothing to undo)
        continue;
      }
      for (const Outcome& o : internal_resume_outcomes(c, e, t)) {
        next.push_back(o.state);
      }
    }
    ends = std::move(next);
  }
  return ends;
}

/// Whether the pool's resume can take each active thin's suspend_lock now.
bool thins_unlocked(const Compiled& c, const State& s, int pool_slot) {
  const std::vector<int> thins = pool_thins(c, s, pool_slot);
  return std::none_of(thins.begin(), thins.end(),
                      [&](int t) { return s.devices[t].suspend_owner != 0; });
}

}  // namespace

void Machine::suspend(const State& s, std::size_t pid, const CompiledCall& cc) {
  const int slot = lookup(s, pid, cc);
  if (slot == kNone) {
    return;
  }
  State n = s;
  Device& d = n.devices[slot];
  // do_suspend tests "already suspended?" without a lock, then dm_suspend takes suspend_lock
  // and tests again: another suspender may come between the two (do_suspend, dm_suspend).
  if ((d.flags & kSuspended) != 0) {
    return finish(n, pid, status_of(d));  // idempotent
  }
  Process& p = n.processes[pid];
  p.md = static_cast<std::uint8_t>(slot + 1);
  p.phase = kSuspendLock;
  step(n, pid, kBetweenCalls, p.md);
}

void Machine::suspend_lock(const State& s, std::size_t pid, const CompiledCall& cc) {
  const int slot = s.processes[pid].md - 1;
  const Device& d0 = s.devices[slot];
  if (d0.suspend_owner != 0 ||
      ((d0.flags & kSuspended) == 0 && (d0.flags & kSuspendedInternally) != 0)) {
    return;  // suspend_lock is held by a suspend waiting for reads, or an internal resume is due
  }
  if ((d0.flags & kSuspended) == 0 && !can_suspend_thins(c_, s, slot)) {
    return;  // the pool's presuspend waits for a thin
  }
  State n = s;
  Device& d = n.devices[slot];
  if ((d.flags & kSuspended) != 0) {
    return finish(n, pid, fail(kEINVAL));  // dm_suspend: suspended since do_suspend looked
  }
  suspend_thins(c_, n, slot);
  // No filesystem is modelled, so lockfs (skipped by --nolockfs and --noflush) never fails here.
  d.flags |= kBlockIo;
  if (cc.call.noflush && requeues_under_noflush(c_, d)) {
    requeue_io(n, slot);
  }
  if (inflight_io(n, slot) == 0) {
    d.flags |= kSuspended;
    postsuspend(d);
    return finish(n, pid, status_of(d));
  }
  Process& p = n.processes[pid];
  d.suspend_owner = static_cast<std::uint8_t>(pid + 1);
  p.phase = kSuspendWait;
  step(n, pid, kSuspendLock, p.md);
}

void Machine::suspend_wait(const State& s, std::size_t pid) {
  const int slot = s.processes[pid].md - 1;
  if (inflight_io(s, slot) > 0) {
    return;
  }
  State n = s;
  Device& d = n.devices[slot];
  d.flags |= kSuspended;
  d.suspend_owner = 0;
  postsuspend(d);
  finish(n, pid, status_of(d));
}

void Machine::resume_lookup(const State& s, std::size_t pid, const CompiledCall& cc) {
  State n = s;
  Process& p = n.processes[pid];
  const Phase performed = p.phase == kResumeLookup ? kResumeLookup : kBetweenCalls;
  const int slot = find_by_name(s, cc.device);
  if (slot == kNone) {
    return end_resume(n, pid, fail(kENXIO));
  }
  Device& d = n.devices[slot];
  p.md = static_cast<std::uint8_t>(slot + 1);
  p.table = d.inactive;
  p.lower = d.inactive_lower;
  p.local = (d.flags & kInactiveRo) != 0 ? kLocalNewRo : 0;
  d.inactive = d.inactive_lower = 0;
  d.flags &= static_cast<std::uint16_t>(~kInactiveRo);
  p.phase = p.table != 0 ? kResumeSuspend : kResumeCheck;
  step(n, pid, performed, p.md);
}

void Machine::resume_suspend(const State& s, std::size_t pid) {
  // do_resume tests "suspended?" without a lock: a suspended device is swapped at once, any
  // other is suspended by dm_suspend, which takes suspend_lock and tests again (do_resume).
  const int slot = s.processes[pid].md - 1;
  State n = s;
  const bool suspended = (s.devices[slot].flags & kSuspended) != 0;
  n.processes[pid].phase = suspended ? kResumeSwap : kResumeSuspendLock;
  step(n, pid, kResumeSuspend, static_cast<std::uint8_t>(slot + 1));
}

void Machine::resume_suspend_lock(const State& s, std::size_t pid) {
  const Process& p0 = s.processes[pid];
  const int slot = p0.md - 1;
  const Device& d = s.devices[slot];
  if (d.suspend_owner != 0) {
    return;  // dm_suspend takes suspend_lock
  }
  if ((d.flags & kSuspended) != 0) {
    // dm_suspend: another suspender came after the unlocked test. The taken table goes back
    // to the inactive slot, or is destroyed with ENXIO when the slot was refilled meanwhile.
    return fail_implicit_suspend(s, pid, kEINVAL);
  }
  if (!can_suspend_thins(c_, s, slot)) {
    return;  // the pool's presuspend waits for a thin
  }
  const Call& call = c_.call_at(pid, p0)->call;
  State n = s;
  Device& m = n.devices[slot];
  m.flags |= kBlockIo;
  if (call.noflush && requeues_under_noflush(c_, m)) {
    requeue_io(n, slot);
  }
  const bool internal_wait = (d.flags & kSuspendedInternally) != 0;
  const bool io_wait = inflight_io(n, slot) > 0;
  if (!internal_wait && !io_wait) {
    m.flags |= kSuspended;
    postsuspend(m);
    suspend_thins(c_, n, slot);
    n.processes[pid].phase = kResumeSwap;
    step(n, pid, kResumeSuspendLock, static_cast<std::uint8_t>(slot + 1));
  }
  // Otherwise dm_suspend waits: for the internal resume, then for in-flight I/O. The failures
  // come after the success, so a sequential run takes the success.
  if (!c_.config.failures.implicit_suspend) {
    return;
  }
  if (internal_wait) {
    return fail_implicit_suspend(s, pid, kEINTR);  // the wait for the internal resume
  }
  // lockfs freezes a mounted filesystem unless --nolockfs, --noflush or no live table.
  if (!call.nolockfs && !call.noflush && d.live != 0) {
    fail_implicit_suspend(s, pid, kEBUSY);
  }
  if (io_wait) {
    fail_implicit_suspend(s, pid, kEINTR);  // the wait for in-flight I/O
  }
}

void Machine::fail_implicit_suspend(const State& s, std::size_t pid, std::uint8_t err) {
  // The suspend undid itself (presuspend undo, fs thawed, I/O let through): only the table the
  // resume took out of the cell is left to handle.
  State n = s;
  Process& p = n.processes[pid];
  Device& d = n.devices[p.md - 1];
  std::uint8_t destroyed = 0;  // the lower device of a table that could not go back
  if (d.life == Life::hashed && d.inactive == 0) {
    d.inactive = p.table;
    d.inactive_lower = p.lower;
    if ((p.local & kLocalNewRo) != 0) {
      d.flags |= kInactiveRo;
    }
  } else {
    destroyed = p.lower;
    err = kENXIO;
  }
  p.table = p.lower = 0;
  drop_table(n, p.md - 1, destroyed);
  if (d.life == Life::hashed && d.inactive == 0) {
    d.ghost |= kGhostInactiveLost;  // what failed-implicit-suspend-keeps-table forbids
  }
  end_resume(n, pid, fail(err));
}

void Machine::fail_swap(State n, std::size_t pid, int slot, std::uint8_t err) {
  Process& q = n.processes[pid];
  const std::uint8_t lower = q.lower;
  q.table = q.lower = 0;
  drop_table(n, slot, lower);  // the new table is destroyed; the old one stays live
  n.devices[slot].ghost |= kGhostFailedResume;
  end_resume(n, pid, fail(err));
}

void Machine::resume_swap(const State& s, std::size_t pid) {
  const Process& p0 = s.processes[pid];
  const int slot = p0.md - 1;
  if (s.devices[slot].suspend_owner != 0) {
    return;
  }
  if ((s.devices[slot].flags & kSuspended) == 0) {
    return fail_swap(s, pid, slot, kEINVAL);  // someone resumed it since step 2
  }
  if (!table_fits(c_, s, p0.table, p0.lower)) {
    return fail_swap(s, pid, slot, kEINVAL);  // size limits are checked here for every later table
  }
  if (c_.config.failures.swap_size) {
    fail_swap(s, pid, slot, kEINVAL);
  }
  if (has_pool(c_, s.devices[slot].live) && !has_pool(c_, p0.table) &&
      !active_thins(c_, s, slot).empty()) {
    return exceed(s, pid, Bound::pool_replaced, static_cast<std::uint8_t>(slot + 1));
  }
  for (Outcome& o : finalize(c_, s, slot, p0.table)) {
    if (o.err != kOk) {
      // __bind set the new table's capacity (with its mempools and queue limits) before the
      // hook ran, and a failed hook undoes none of it.
      Device& d = o.state.devices[slot];
      d.capacity_table = table_length(c_, p0.table) != table_length(c_, d.live) ? p0.table : 0;
      fail_swap(o.state, pid, slot, o.err);
      continue;
    }
    switch_map(c_, o.state, pid, slot);
    step(o.state, pid, kResumeSwap, static_cast<std::uint8_t>(slot + 1));
  }
}

/// The old table goes whatever dm_resume returned (do_resume destroys it last), and a
/// successful reply's status is taken after that: an old self-map's open is gone from it.
void Machine::end_resume_call(State n, std::size_t pid, Observation obs) {
  Process& q = n.processes[pid];
  const std::uint8_t lower = q.old_lower;
  q.old_table = q.old_lower = 0;
  drop_table(n, q.md - 1, lower);
  if ((obs.flags & kReplyStatus) != 0) {
    obs = status_of(n.devices[q.md - 1]);
  }
  end_resume(n, pid, obs);
}

void Machine::resume_check(const State& s, std::size_t pid) {
  // do_resume tests "suspended?" without a lock; only a suspended device goes to dm_resume,
  // which takes suspend_lock and tests again (do_resume, dm_resume).
  const int slot = s.processes[pid].md - 1;
  const Device& d = s.devices[slot];
  if ((d.flags & kSuspended) == 0) {
    return end_resume_call(s, pid, status_of(d));  // nothing to resume: a no-op success
  }
  State n = s;
  n.processes[pid].phase = kResumeResume;
  step(n, pid, kResumeCheck, static_cast<std::uint8_t>(slot + 1));
}

void Machine::resume_resume(const State& s, std::size_t pid) {
  const int slot = s.processes[pid].md - 1;
  const Device& d0 = s.devices[slot];
  if (d0.suspend_owner != 0) {
    return;
  }
  if ((d0.flags & kSuspended) == 0) {
    // dm_resume: another resume came after the unlocked test. This call fails, the device runs.
    State m = s;
    m.devices[slot].ghost |= kGhostFailedResume;
    return end_resume_call(m, pid, fail(kEINVAL));
  }
  if ((d0.flags & kFreeing) != 0 && c_.config.variant.resume_refuses_freeing()) {
    return end_resume_call(s, pid, fail(kEINVAL));  // dm_resume: the device is being freed
  }
  if ((d0.flags & kSuspendedInternally) != 0 || !thins_unlocked(c_, s, slot)) {
    return;  // dm_resume waits for the internal resume, or for a thin of this pool
  }
  if (d0.live == 0) {
    State m = s;
    m.devices[slot].ghost |= kGhostFailedResume;
    return end_resume_call(m, pid, fail(kEINVAL));  // no table: stays suspended
  }
  for (Outcome& o : preresume(c_, s, slot)) {
    Device& d = o.state.devices[slot];
    if (o.err != kOk) {
      d.ghost |= kGhostFailedResume;  // stays suspended; the new table stays live
      end_resume_call(o.state, pid, fail(o.err));
      continue;
    }
    resume_targets(d);
    if (c_.config.actors.prober) {
      d.flags |= kProbePending;  // the CHANGE uevent
    }
    for (const State& end : resume_thins(c_, o.state, slot)) {
      end_resume_call(end, pid, status_of(end.devices[slot]));
    }
  }
}

void Machine::internal(const State& s) {
  if (c_.internal_suspender == 0) {
    return;
  }
  if (s.kernel.internal_md != 0) {
    return internal_resume(s);
  }
  internal_suspend(s);
}

void Machine::internal_resume(const State& s) {
  // dm_internal_resume runs under suspend_lock.
  const int slot = s.kernel.internal_md - 1;
  if (s.devices[slot].suspend_owner != 0) {
    return;
  }
  Action a;
  a.actor = kInternalActor;
  a.event = Event::internal_resume;
  a.device = s.kernel.internal_md;
  a.name = s.devices[slot].name;
  State n = s;
  n.kernel.internal_md = 0;
  for (const Outcome& o : internal_resume_outcomes(c_, n, slot)) {
    a.obs = fail(o.err);
    emit_(a, o.state);
  }
}

void Machine::internal_suspend(const State& s) {
  const int slot = find_by_name(s, c_.internal_suspender);
  if (s.kernel.internal_rounds >= c_.config.actors.internal_suspend_rounds || slot == kNone) {
    return;
  }
  // dm_internal_suspend_noflush: uninterruptible; a requeueing target pushes in-flight I/O
  // back, any other is waited for (modelled as: not enabled until they complete).
  if (!can_internal_suspend(c_, s, slot)) {
    return;
  }
  State n = s;
  internal_suspend_device(c_, n, slot);
  const Device& d = n.devices[slot];
  n.kernel.internal_md = static_cast<std::uint8_t>(slot + 1);
  ++n.kernel.internal_rounds;
  Action a;
  a.actor = kInternalActor;
  a.event = Event::internal_suspend;
  a.device = n.kernel.internal_md;
  a.name = d.name;
  emit_(a, n);
}

}  // namespace dmcheck::model::detail
