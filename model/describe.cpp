// Rendering of actions and states for traces: dmsetup's words, so a user reads a
// counterexample without a manual.

#include "model/compiled.h"
#include "model/dm_model.h"
#include "model/target_status.h"

namespace dmcheck::model {
namespace {

/// "swap (dm0)", or "dm0" when the name is not known.
std::string slot_name(const detail::Compiled& c, const Action& a) {
  const std::string dm = a.device == 0 ? std::string("?") : "dm" + std::to_string(a.device - 1);
  return a.name == 0 ? dm : c.names.at(a.name) + " (" + dm + ")";
}

std::string disk_name(const detail::Compiled& c, std::uint8_t data) {
  const std::size_t disk =
      data >= kReadDisk && data < kReadWritten ? (data - kReadDisk) / kMaxDiskUnits : 0;
  return disk < c.config.disks.size() ? c.config.disks[disk].name : "?";
}

/// What a read returned, unit by unit: "data of d0", "data of d0, zeros, EIO".
std::string read_text(const detail::Compiled& c, const Observation& o) {
  std::string text = read_data_text(o.data, disk_name(c, o.data));
  for (const std::uint8_t more : o.more) {
    if (more != kReadNothing) {
      text += ", " + read_data_text(more, disk_name(c, more));
    }
  }
  return text;
}

std::string observation_text(const detail::Compiled& c, const Observation& o) {
  std::string text = errno_name(o.err);
  if (o.data != kReadNothing && (o.flags & kReplyStatus) == 0) {
    text = read_text(c, o);
  }
  const std::string flags = reply_flags_text(o.flags);
  if (!flags.empty()) {
    text += " " + flags;
  }
  if ((o.flags & kReplyStatus) != 0) {
    text += " open=" + std::to_string(o.open_count);
  }
  if (reports_targets(o)) {
    text += " targets " + target_reply_text(o);
  }
  return text;
}

std::string sub_step_text(Op op, Phase performed) {
  // A create's load and resume run as the same sub-steps as a load and a resume of their own,
  // so they name the call they belong to; a load's or resume's own steps need not.
  const std::string resume = op == Op::resume ? "" : "resume: ";
  switch (performed) {
    case kLoadBuild:
      return "load: table built";
    case kLoadStage:
      return "load: table staged inactive";
    case kResumeLookup:
      return resume + "inactive table taken";
    case kResumeSuspend:
      return resume + "tested SUSPENDED without the lock";
    case kResumeSuspendLock:
      return resume + "suspended for the swap";
    case kResumeSwap:
      return resume + "tables swapped";
    case kResumeCheck:
      return resume + "found suspended without the lock";
    case kSuspendLock:
      return "I/O blocked, waiting for in-flight I/O";
    case kResumeResume:
      return "resume failed; dmsetup reverts";
    case kRemoveSuspend:
    case kRemoveAllSuspend:
      return "destroy: suspended under suspend_lock, waiting for holders";
    case kRemoveAllDestroy:
      return "destroyed a device";
    case kCreateRevert:
      return "revert: device unhashed, destroy waits for holders";
    default:
      break;
  }
  switch (op) {
    case Op::create:
      return "DM_DEV_CREATE";
    case Op::load:
      return "table built";
    case Op::resume:
      return "inactive table taken";
    case Op::remove:
      return "unhashed, destroy waits for holders";
    case Op::remove_all:
      return "unhashed a closed device";
    case Op::suspend:
      return "found not suspended without the lock";
    case Op::read:
    case Op::write:
      return "submitted";
    case Op::cancel_deferred:
      return "looked up";
    default:
      return "step";
  }
}

/// One device: "dm0 swap[U1] SUSPENDED open=1 live=t1", or "dm0 freed".
std::string device_text(const detail::Compiled& c, const Device& d, std::size_t slot) {
  std::string text = "dm" + std::to_string(slot);
  if (d.life == Life::freed) {
    return text + " freed";
  }
  text += " " + c.names[d.name];
  if (d.uuid != 0) {
    text += "[" + c.uuids[d.uuid] + "]";
  }
  text += d.life == Life::hashed ? "" : " unhashed";
  static constexpr struct {
    std::uint16_t bit;
    const char* name;
  } kFlags[] = {
      {kSuspended, "SUSPENDED"}, {kDeferred, "DEFERRED"},
      {kNoOpen, "NO_OPEN"},      {kDeleting, "DELETING"},
      {kFreeing, "FREEING"},     {kDiskRo, "RO"},
      {kKeyWiped, "KEY_WIPED"},  {kVerityCorrupt, "VERITY_CORRUPT"},
      {kBlockIo, "BLOCK_IO"},    {kSuspendedInternally, "SUSPENDED_INTERNALLY"},
  };
  for (const auto& f : kFlags) {
    if ((d.flags & f.bit) != 0) {
      text += std::string(" ") + f.name;
    }
  }
  text += " open=" + std::to_string(d.open_count);
  if ((d.flags & kOpenLimitEnforced) != 0) {
    text += "/" + std::to_string(d.open_limit);
  }
  if (d.live != 0) {
    text += " live=" + c.table(d.live).name;
  }
  if (d.inactive != 0) {
    text += " inactive=" + c.table(d.inactive).name;
  }
  if (d.capacity_table != 0) {
    // A failed finalize left another table's size on the block device.
    text += " size-of=" + c.table(d.capacity_table).name;
  }
  if (d.root_hash != 0) {
    text += " integrity=h" + std::to_string(d.root_hash) + (d.sig_valid != 0 ? "+sig" : "");
  }
  return text;
}

/// One process: " | p0 at 1/3 (in call) holds dm0 last=OK".
std::string process_text(const detail::Compiled& c, const Process& p, std::size_t pid) {
  std::string text = " | p" + std::to_string(pid) + " at " + std::to_string(p.pc) + "/" +
                     std::to_string(c.programs[pid].size());
  if (p.phase != kBetweenCalls) {
    text += " (in call)";
  }
  for (std::size_t h = 0; h < kMaxHandles; ++h) {
    if (p.handle_md[h] != 0) {
      text += " holds dm" + std::to_string(p.handle_md[h] - 1);
    }
  }
  return text + " last=" + observation_text(c, p.last);
}

/// The kernel actors with work under way, each as " | ...".
std::string kernel_text(const Kernel& k) {
  std::string text;
  if (k.deferred_pending != 0 || k.worker_mode != 0) {
    text += " | worker " + std::string(k.worker_mode == 0 ? "queued" : "running");
  }
  if (k.prober_md != 0) {
    text += " | prober holds dm" + std::to_string(k.prober_md - 1);
  }
  if (k.internal_md != 0) {
    text += " | internally suspended dm" + std::to_string(k.internal_md - 1);
  }
  return text;
}

}  // namespace

std::string DmModel::result_text(const Observation& obs) const {
  if (reports_targets(obs)) {
    return "targets " + target_reply_text(obs);
  }
  if (obs.data != kReadNothing) {
    return read_text(*c_, obs);
  }
  return errno_name(obs.err);
}

std::string DmModel::process_name(std::size_t pid) const {
  const auto& processes = c_->config.processes;
  return pid < processes.size() && !processes[pid].name.empty() ? processes[pid].name
                                                                : "p" + std::to_string(pid);
}

std::string DmModel::call_text(std::size_t pid, const CallResult& call) const {
  return to_string(c_->programs.at(pid).at(call.pc).sequences.at(call.branch).at(call.sub).call);
}

std::optional<checker::ActorResult<CallResult>> DmModel::call_result(const Action& a) const {
  if (a.event != Event::call_done || a.actor >= c_->programs.size()) {
    return std::nullopt;
  }
  return checker::ActorResult<CallResult>{a.actor, CallResult{a.pc, a.branch, a.sub, 0, a.obs}};
}

std::string DmModel::describe_action(const Action& a) const {
  const detail::Compiled& c = *c_;
  switch (a.event) {
    case Event::worker_remove:
      return "worker unhashes " + slot_name(c, a) + " (deferred remove)";
    case Event::worker_suspend:
      return "worker's destroy suspends " + slot_name(c, a);
    case Event::worker_destroy:
      return "worker destroys " + slot_name(c, a);
    case Event::worker_idle:
      return "worker finds nothing to remove";
    case Event::prober_open:
      return "prober opens " + slot_name(c, a) + " -> " + errno_name(a.obs.err);
    case Event::prober_close:
      return "prober closes " + slot_name(c, a);
    case Event::internal_suspend:
      return "kernel internally suspends " + slot_name(c, a);
    case Event::internal_resume:
      return "kernel internally resumes " + slot_name(c, a) +
             (a.obs.err == kOk ? std::string() : " (preresume " + errno_name(a.obs.err) + ")");
    default:
      break;
  }
  const std::string who = process_name(a.actor);
  const auto& call = c.programs.at(a.actor).at(a.pc).sequences.at(a.branch).at(a.sub).call;
  if (a.event == Event::bound_exceeded) {
    return who + " " + to_string(call) + ": needs more than the model holds";
  }
  if (a.event == Event::call_done) {
    return who + " " + to_string(call) + " -> " + observation_text(c, a.obs);
  }
  std::string text = who + " " + to_string(call) + ": " + sub_step_text(call.op, a.phase);
  if (a.device != 0) {
    text += " (dm" + std::to_string(a.device - 1) + ")";
  }
  return text;
}

std::string DmModel::describe_state(const State& s) const {
  const detail::Compiled& c = *c_;
  std::string text;
  for (std::size_t i = 0; i < kMaxDevices; ++i) {
    if (s.devices[i].life != Life::unused) {
      text += (text.empty() ? "" : "; ") + device_text(c, s.devices[i], i);
    }
  }
  for (std::size_t pid = 0; pid < c.programs.size(); ++pid) {
    text += process_text(c, s.processes[pid], pid);
  }
  return text + kernel_text(s.kernel);
}

}  // namespace dmcheck::model
