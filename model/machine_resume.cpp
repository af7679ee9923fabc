// Suspend, and resume as the kernel's four steps: (1) take the inactive table out of the cell,
// (2) suspend implicitly before a swap, (3) swap tables, (4) dm_resume with the targets'
// preresume, then destroy the old table whatever step 4 returned.

#include <vector>

#include "model/device_ops.h"
#include "model/machine.h"

namespace dmcheck::model::detail {
namespace {

Observation fail(std::uint8_t err) { return Observation{err, 0, 0, 0}; }

/// One way a hook or preresume can turn out.
struct Outcome {
  State state;
  std::uint8_t err;
};

/// The integrity hook: IPE copies the root hash (an allocation that may fail, keeping the old
/// copy), then records the signature (a refusal clears the root hash).
void integrity_outcomes(const Failures& failures, const Outcome& in, int slot, const Target& t,
                        std::vector<Outcome>& out) {
  Outcome ok = in;
  ok.state.devices[slot].root_hash = t.root_hash;
  ok.state.devices[slot].sig_valid = t.signature ? 1 : 0;
  out.push_back(ok);
  if (failures.integrity_alloc) {
    out.push_back(Outcome{in.state, kENOMEM});
  }
  if (failures.integrity_refused) {
    Outcome refused = in;
    refused.state.devices[slot].root_hash = 0;
    refused.state.devices[slot].sig_valid = 0;
    refused.err = kEPERM;
    out.push_back(refused);
  }
}

}  // namespace

void Machine::suspend(const State& s, std::size_t pid, const CompiledCall& cc) {
  State n = s;
  const int slot = find_by_name(s, cc.device);
  if (slot == kNone) {
    return finish(n, pid, fail(kENXIO));
  }
  Device& d = n.devices[slot];
  if ((d.flags & kSuspended) != 0) {
    return finish(n, pid, status_of(d));  // idempotent
  }
  if (d.suspend_owner != 0) {
    return;  // suspend_lock is held by a suspend waiting for reads
  }
  // No filesystem is modelled, so lockfs never freezes or fails, and --noflush changes nothing
  // observable for the model's targets.
  d.flags |= kBlockIo;
  if (inflight_reads(s, slot) == 0) {
    d.flags |= kSuspended;
    return finish(n, pid, status_of(d));
  }
  Process& p = n.processes[pid];
  d.suspend_owner = static_cast<std::uint8_t>(pid + 1);
  p.md = static_cast<std::uint8_t>(slot + 1);
  p.phase = kSuspendWait;
  step(n, pid, kBetweenCalls, p.md);
}

void Machine::suspend_wait(const State& s, std::size_t pid) {
  const int slot = s.processes[pid].md - 1;
  if (inflight_reads(s, slot) > 0) {
    return;
  }
  State n = s;
  Device& d = n.devices[slot];
  d.flags |= kSuspended;
  d.suspend_owner = 0;
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
  p.phase = p.table != 0 ? kResumeSuspend : kResumeResume;
  step(n, pid, performed, p.md);
}

void Machine::resume_suspend(const State& s, std::size_t pid) {
  const int slot = s.processes[pid].md - 1;
  const Device& d = s.devices[slot];
  State n = s;
  if ((d.flags & kSuspended) == 0) {
    if (d.suspend_owner != 0 || inflight_reads(s, slot) > 0) {
      return;  // dm_suspend takes suspend_lock and waits for in-flight I/O
    }
    // Neither lockfs nor an internal suspend can fail here, so 6.1.0's ignored result and the
    // 6.11 fix (backported to 6.1.176) behave alike in the model.
    n.devices[slot].flags |= kSuspended | kBlockIo;
  }
  n.processes[pid].phase = kResumeSwap;
  step(n, pid, kResumeSuspend, static_cast<std::uint8_t>(slot + 1));
}

void Machine::resume_swap(const State& s, std::size_t pid) {
  const Process& p0 = s.processes[pid];
  const int slot = p0.md - 1;
  if (s.devices[slot].suspend_owner != 0) {
    return;
  }
  const Variant& v = c_.config.variant;
  auto fail_swap = [&](State m, std::uint8_t err) {
    Process& q = m.processes[pid];
    drop_table(m, q.lower);  // the new table is destroyed; the old one stays live
    q.table = q.lower = 0;
    m.devices[slot].ghost |= kGhostFailedResume;
    end_resume(m, pid, fail(err));
  };
  if ((s.devices[slot].flags & kSuspended) == 0) {
    return fail_swap(s, kEINVAL);  // someone resumed it since step 2
  }
  if (!table_fits(c_, p0.table)) {
    return fail_swap(s, kEINVAL);  // size limits are checked here for every later table
  }
  if (c_.config.failures.swap_size) {
    fail_swap(s, kEINVAL);
  }
  std::vector<Outcome> outcomes{Outcome{s, kOk}};
  if (v.has(kFinalizeHook)) {
    // __bind calls each target's finalize before switching the map; a failure cancels it.
    for (const Target& t : c_.table(p0.table).targets) {
      if (t.kind != TargetKind::verity) {
        continue;
      }
      std::vector<Outcome> next;
      for (const Outcome& o : outcomes) {
        if (o.err == kOk) {
          integrity_outcomes(c_.config.failures, o, slot, t, next);
        } else {
          next.push_back(o);
        }
      }
      outcomes = std::move(next);
    }
  }
  for (Outcome& o : outcomes) {
    if (o.err != kOk) {
      fail_swap(o.state, o.err);
      continue;
    }
    State& m = o.state;
    Process& q = m.processes[pid];
    Device& d = m.devices[slot];
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
    std::uint16_t flags = d.flags & static_cast<std::uint16_t>(~(kLiveRo | kDiskRo | kKeyWiped));
    if (new_ro) {
      flags |= kLiveRo | kDiskRo;
    }
    const Target& first = c_.table(d.live).targets.front();
    if (first.kind == TargetKind::crypt && !first.key_set) {
      flags |= kKeyWiped;
    }
    d.flags = flags;
    q.table = q.lower = 0;
    q.phase = kResumeResume;
    step(m, pid, kResumeSwap, static_cast<std::uint8_t>(slot + 1));
  }
}

void Machine::resume_resume(const State& s, std::size_t pid) {
  const int slot = s.processes[pid].md - 1;
  if (s.devices[slot].suspend_owner != 0) {
    return;
  }
  auto done = [&](State m, Observation obs) {
    Process& q = m.processes[pid];
    drop_table(m, q.old_lower);  // the old table goes whatever dm_resume returned
    q.old_table = q.old_lower = 0;
    end_resume(m, pid, obs);
  };
  const Device& d0 = s.devices[slot];
  if ((d0.flags & kSuspended) == 0) {
    return done(s, status_of(d0));  // nothing to resume: a no-op success
  }
  if (d0.live == 0) {
    State m = s;
    m.devices[slot].ghost |= kGhostFailedResume;
    return done(m, fail(kEINVAL));  // no table: stays suspended
  }
  // Preresume of each target in order; the first failure stops it, with no undo.
  std::vector<Outcome> outcomes{Outcome{s, kOk}};
  for (const Target& t : c_.table(d0.live).targets) {
    std::vector<Outcome> next;
    for (const Outcome& o : outcomes) {
      if (o.err != kOk) {
        next.push_back(o);
        continue;
      }
      const Device& d = o.state.devices[slot];
      switch (t.kind) {
        case TargetKind::crypt:
          next.push_back(Outcome{o.state, (d.flags & kKeyWiped) != 0 ? kEAGAIN : kOk});
          break;
        case TargetKind::thin_pool:
          if (t.length < d.pool_size) {
            next.push_back(Outcome{o.state, kEINVAL});  // "pool target too small"
          } else {
            Outcome grown = o;
            grown.state.devices[slot].pool_size = t.length;
            next.push_back(grown);
          }
          break;
        case TargetKind::generic:
          next.push_back(o);
          if (c_.config.failures.preresume) {
            next.push_back(Outcome{o.state, kEIO});
          }
          break;
        case TargetKind::verity:
          if (c_.config.variant.integrity_at_preresume()) {
            integrity_outcomes(c_.config.failures, o, slot, t, next);
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
  for (Outcome& o : outcomes) {
    Device& d = o.state.devices[slot];
    if (o.err != kOk) {
      d.ghost |= kGhostFailedResume;  // stays suspended; the new table stays live
      done(o.state, fail(o.err));
      continue;
    }
    d.flags &= static_cast<std::uint16_t>(~(kSuspended | kBlockIo));
    d.ghost &= static_cast<std::uint8_t>(~kGhostFailedResume);
    if (c_.config.actors.prober) {
      d.flags |= kProbePending;  // the CHANGE uevent
    }
    done(o.state, status_of(d));
  }
}

}  // namespace dmcheck::model::detail
