#include "model/machine.h"

#include <algorithm>

#include "model/device_ops.h"

namespace dmcheck::model::detail {

void Machine::process(const State& s, std::size_t pid) {
  from_ = &s;
  const Process& p = s.processes[pid];
  const CompiledCall* cc = c_.call_at(pid, p);
  if (cc == nullptr) {
    return;  // the program has finished
  }
  if (p.phase == kBetweenCalls) {
    return start_call(s, pid, *cc);
  }
  continue_call(s, pid, *cc);
}

void Machine::continue_call(const State& s, std::size_t pid, const CompiledCall& cc) {
  switch (s.processes[pid].phase) {
    case kBetweenCalls:
      return start_call(s, pid, cc);
    case kLoadBuild:
      return load_build(s, pid, cc);
    case kLoadStage:
      return load_stage(s, pid, cc);
    case kResumeLookup:
      return resume_lookup(s, pid, cc);
    case kResumeSuspend:
      return resume_suspend(s, pid);
    case kResumeSwap:
      return resume_swap(s, pid);
    case kResumeResume:
      return resume_resume(s, pid);
    case kRemoveSuspend:
    case kRemoveAllSuspend:
      return destroy_suspend(s, pid);
    case kRemoveDestroy:
      return destroy(s, pid, false);
    case kRemoveAllScan:
      return remove_all_scan(s, pid, cc);
    case kRemoveAllDestroy:
      return destroy(s, pid, true);
    case kSuspendWait:
      return suspend_wait(s, pid);
    case kIoInflight:
    case kIoQueued:
      return io_complete(s, pid, cc);
    case kCreateRevert:
      return remove(s, pid, cc, true);
    case kCancelLock:
      return cancel_lock(s, pid);
    case kSuspendLock:
      return suspend_lock(s, pid, cc);
    case kResumeSuspendLock:
      return resume_suspend_lock(s, pid);
    case kResumeCheck:
      return resume_check(s, pid);
  }
}

void Machine::start_call(const State& s, std::size_t pid, const CompiledCall& cc) {
  switch (cc.call.op) {
    case Op::create:
      return create(s, pid, cc);
    case Op::load:
      return load_build(s, pid, cc);
    case Op::clear:
      return clear(s, pid, cc);
    case Op::suspend:
      return suspend(s, pid, cc);
    case Op::resume:
      return resume_lookup(s, pid, cc);
    case Op::remove:
      return remove(s, pid, cc, false);
    case Op::remove_all:
      return remove_all_scan(s, pid, cc);
    case Op::cancel_deferred:
      return cancel_lookup(s, pid, cc);
    case Op::crypt_key:
      return crypt_key(s, pid, cc);
    case Op::thin_message:
      return thin_message(s, pid, cc);
    case Op::rename:
      return rename(s, pid, cc);
    case Op::info:
      return info(s, pid, cc);
    case Op::open:
      return open(s, pid, cc);
    case Op::close:
      return close(s, pid, cc);
    case Op::read:
    case Op::write:
      return io_submit(s, pid, cc);
    case Op::set_open_limit:
      return set_open_limit(s, pid, cc);
    case Op::status:
    case Op::table:
      return target_query(s, pid, cc);
  }
}

void Machine::label(Action& a, std::size_t pid, Event event) const {
  const Process& p = from_->processes[pid];
  a.actor = static_cast<std::uint8_t>(pid);
  a.event = event;
  a.pc = p.pc;
  a.branch = p.branch;
  a.sub = p.sub;
}

int Machine::lookup(const State& s, std::size_t pid, const CompiledCall& cc) {
  const int slot = find_by_name(s, cc.device);
  if (slot == kNone) {
    finish(s, pid, Observation{kENXIO, 0, 0, 0});
  }
  return slot;
}

void Machine::step(const State& n, std::size_t pid, Phase performed, std::uint8_t device) {
  Action a;
  label(a, pid, Event::call_step);
  a.phase = performed;
  a.device = device;
  a.name = device == 0 ? 0 : n.devices[device - 1].name;
  if (a.name == 0 && device != 0) {
    a.name = from_->devices[device - 1].name;  // freed by this step: its name before
  }
  a.obs = n.processes[pid].last;
  emit_(a, n);
}

void Machine::exceed(State n, std::size_t pid, Bound bound, std::uint8_t at) {
  n.bound = bound;
  n.bound_at = at;
  Action a;
  label(a, pid, Event::bound_exceeded);
  emit_(a, n);
}

void Machine::finish(State n, std::size_t pid, Observation obs) {
  Process& p = n.processes[pid];
  const Positions next = c_.after(pid, p, obs.err);
  const auto handles = p.handle_md;
  const auto handle_names = p.handle_name;
  const std::uint8_t watched = c_.watched_calls.empty() ? 0 : c_.call_at(pid, p)->watched;
  p = Process{};
  p.handle_md = handles;
  p.handle_name = handle_names;
  p.last = obs;
  p.last_call = watched;
  Action a;
  label(a, pid, Event::call_done);
  a.obs = obs;
  for (std::uint8_t i = 0; i < next.size; ++i) {
    p.pc = next.at[i].pc;
    p.branch = next.at[i].branch;
    p.sub = next.at[i].sub;
    p.iter = next.at[i].iter;
    emit_(a, n);
  }
}

void Machine::fail_create(State n, std::size_t pid, std::uint8_t err, Phase performed) {
  Process& p = n.processes[pid];
  p.md = p.table = p.lower = p.old_table = p.old_lower = p.local = 0;
  p.saved_err = err;
  p.last = Observation{err, 0, 0, 0};
  p.phase = kCreateRevert;
  step(n, pid, performed, 0);
}

void Machine::end_load(State n, std::size_t pid, Observation obs) {
  Process& p = n.processes[pid];
  if (c_.call_at(pid, p)->call.op != Op::create) {
    return finish(n, pid, obs);
  }
  if (obs.err != kOk) {
    return fail_create(n, pid, obs.err, kLoadStage);
  }
  const std::uint8_t device = p.md;
  p.md = p.table = p.lower = p.local = 0;
  p.last = obs;
  p.phase = kResumeLookup;
  step(n, pid, kLoadStage, device);
}

void Machine::end_resume(State n, std::size_t pid, Observation obs) {
  Process& p = n.processes[pid];
  if (c_.call_at(pid, p)->call.op == Op::create && obs.err != kOk) {
    return fail_create(n, pid, obs.err, kResumeResume);
  }
  finish(n, pid, obs);
}

void Machine::mark_deferred(Device& d, bool no_open) const {
  d.flags |= kDeferred;
  const bool patch = c_.config.variant.has(kNoOpenFlag);
  if (patch && no_open) {
    d.flags |= kNoOpen;
  }
  // Reading (catalogue): the mark is --no-open where the patch exists; elsewhere a deferred
  // remove of a busy device is the only way to say "no more users".
  if (!patch || no_open) {
    d.ghost |= kGhostNoOpenMark;
  }
}

void Machine::worker_destroy(const State& s) {
  const Kernel& k = s.kernel;
  const int slot = k.worker_md - 1;
  if (s.devices[slot].suspend_owner != 0) {
    return;  // dm_destroy takes suspend_lock
  }
  Action a;
  a.actor = kWorkerActor;
  a.device = k.worker_md;
  a.name = s.devices[slot].name;
  State n = s;
  if (k.worker_mode == 3) {
    suspend_for_destroy(n.devices[slot]);
    n.kernel.worker_mode = 2;
    a.event = Event::worker_suspend;
    emit_(a, n);
    return;
  }
  if (holders(s, slot, -1) > 0) {
    return;  // dm_destroy waits for holders
  }
  free_device(n, slot);
  n.kernel.worker_mode = 1;
  n.kernel.worker_md = 0;
  a.event = Event::worker_destroy;
  emit_(a, n);
}

void Machine::worker(const State& s) {
  if (!c_.config.actors.deferred_remove_worker) {
    return;
  }
  const Kernel& k = s.kernel;
  Action a;
  a.actor = kWorkerActor;
  if (k.worker_mode >= 2) {
    return worker_destroy(s);
  }
  if (k.worker_mode == 0 && k.deferred_pending == 0) {
    return;
  }
  State n = s;
  n.kernel.deferred_pending = 0;
  if (k.worker_mode == 1) {
    n.kernel.deferred_pending = k.deferred_pending;  // a close during the run re-queues it
  }
  // dm_hash_remove_all(only_deferred): the first closed, marked device in name order.
  int best = kNone;
  const std::size_t used = used_device_slots(s);
  for (std::size_t i = 0; i < used; ++i) {
    const Device& d = s.devices[i];
    if (d.life == Life::hashed && d.open_count == 0 && (d.flags & kDeferred) != 0 &&
        (best == kNone || c_.name_rank[d.name] < c_.name_rank[s.devices[best].name])) {
      best = static_cast<int>(i);
    }
  }
  if (best == kNone) {
    n.kernel.worker_mode = 0;
    a.event = Event::worker_idle;
    emit_(a, n);
    return;
  }
  Device& d = n.devices[best];
  d.flags |= kDeleting | kFreeing;  // dm_destroy sets FREEING before it waits
  d.life = Life::unhashed;
  n.kernel.worker_mode = 3;
  n.kernel.worker_md = static_cast<std::uint8_t>(best + 1);
  a.event = Event::worker_remove;
  a.device = static_cast<std::uint8_t>(best + 1);
  a.name = d.name;
  emit_(a, n);
}

void Machine::prober(const State& s) {
  if (!c_.config.actors.prober) {
    return;
  }
  Action a;
  a.actor = kProberActor;
  if (s.kernel.prober_md != 0) {
    State n = s;
    blk_close(n, s.kernel.prober_md - 1);
    n.kernel.prober_md = 0;
    a.event = Event::prober_close;
    a.device = s.kernel.prober_md;
    a.name = s.devices[s.kernel.prober_md - 1].name;
    emit_(a, n);
    return;
  }
  const std::size_t used = used_device_slots(s);
  for (std::size_t i = 0; i < used; ++i) {
    if ((s.devices[i].flags & kProbePending) == 0) {
      continue;
    }
    State n = s;
    n.devices[i].flags &= static_cast<std::uint16_t>(~kProbePending);
    const std::uint8_t err = blk_open(c_, n, static_cast<int>(i), true);
    if (err == kOk) {
      n.kernel.prober_md = static_cast<std::uint8_t>(i + 1);
    }
    n.kernel.prober_err = err;
    a.event = Event::prober_open;
    a.device = static_cast<std::uint8_t>(i + 1);
    a.name = s.devices[i].name;
    a.obs = Observation{err, 0, 0, 0};
    emit_(a, n);
  }
}

}  // namespace dmcheck::model::detail
