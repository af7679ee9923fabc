// Device creation and table staging: create, load, clear; and the one-step lookups that report
// or change a hashed device: rename, info, set_open_limit, crypt key and thin-pool messages.

#include "model/device_ops.h"
#include "model/machine.h"
#include "model/names.h"
#include "model/thin_pool.h"

namespace dmcheck::model::detail {
namespace {

Observation fail(std::uint8_t err) { return Observation{err, 0, 0, 0}; }

/// check_name and the ioctl's string checks (a loaded scenario never has such a name).
bool bad_name(const std::string& name) { return !device_name_problem(name).empty(); }

/// The target constructors' own checks: verity needs a read-only table, and a singleton target
/// stands alone in its table.
std::uint8_t construct_targets(const TableDef& table, bool ro) {
  std::uint8_t err = kOk;
  for (const Target& t : table.targets) {
    if (t.kind == TargetKind::verity && !ro) {
      err = kEINVAL;  // "Device must be readonly"
    }
    if (is_singleton(t.kind) && table.targets.size() > 1) {
      err = kEINVAL;
    }
  }
  return err;
}

/// A linear or thin target onto another DM device opens it; the table holds it until destroyed.
/// Sets `lower` to the device held (slot + 1). A thin target then finds its pool through it.
std::uint8_t open_devices_below(const Compiled& c, State& n, const TableDef& table, int slot,
                                std::uint8_t& lower) {
  std::uint8_t err = kOk;
  for (const Target& t : table.targets) {
    if (err != kOk || t.onto.empty() || c.disk_index(t.onto) >= 0) {
      continue;
    }
    const int below = find_by_name(n, c.name_index(t.onto));
    if (below == kNone) {
      err = c.config.variant.missing_device_is_enoent() ? kENOENT : kENODEV;
    } else if (below == slot && c.config.variant.refuses_self_map()) {
      err = kEINVAL;  // a device mapped onto itself (Variant::refuses_self_map)
    } else {
      err = hold_below(c, n, slot, below);
      if (err == kOk) {
        lower = static_cast<std::uint8_t>(below + 1);
      }
      if (err == kOk && t.kind == TargetKind::thin) {
        err = thin_constructor(c, n, t, below);
      }
    }
  }
  return err;
}

/// Checks on the complete table (its constructors have opened the devices below): the size
/// limits at a device's first load, and the rule for replacing an immutable target type.
std::uint8_t check_complete_table(const Compiled& c, const State& n, std::uint8_t table, int slot,
                                  std::uint8_t lower) {
  const Device& d = n.devices[slot];
  // Device-size limits are checked at load only for a device's first table.
  if ((d.flags & kDiskAdded) == 0 && !table_fits(c, n, table, lower)) {
    return kEINVAL;
  }
  // An immutable type may be replaced only by the same type or by the wildcard error target.
  const std::uint8_t kept = immutable_type(c, d.live);
  if (kept != 0 && kept != immutable_type(c, table) && !has_wildcard(c, table)) {
    return kEINVAL;
  }
  return kOk;
}

/// Builds the table a load names for the device in `slot`, in the kernel's order: the
/// constructors' checks, the pool's metadata, the devices below, the complete table. Returns the
/// first error; `lower` is the device below the table holds, to drop on failure.
std::uint8_t build_table(const Compiled& c, State& n, const CompiledCall& cc, int slot,
                         std::uint8_t& lower) {
  std::uint8_t err = construct_targets(c.table(cc.table), cc.call.readonly);
  // A pool's metadata serves one device's pool at a time ("already in use by a pool").
  if (err == kOk && pool_in_use_elsewhere(c, n, cc.table, slot)) {
    err = kEBUSY;
  }
  if (err == kOk) {
    err = open_devices_below(c, n, c.table(cc.table), slot, lower);
  }
  return err == kOk ? check_complete_table(c, n, cc.table, slot, lower) : err;
}

}  // namespace

void Machine::create(const State& s, std::size_t pid, const CompiledCall& cc) {
  State n = s;
  const Call& call = cc.call;
  if (bad_name(call.device)) {
    return finish(n, pid, fail(kEINVAL));
  }
  // A pending deferred remove keeps its hash cell, so its name and uuid stay taken.
  if (find_by_name(s, cc.device) != kNone || find_by_uuid(s, cc.uuid) != kNone) {
    return finish(n, pid, fail(kEBUSY));
  }
  int slot = kNone;
  for (std::size_t i = 0; i < kMaxDevices && slot == kNone; ++i) {
    if (s.devices[i].life == Life::unused) {
      slot = static_cast<int>(i);
    }
  }
  if (slot == kNone) {
    return exceed(n, pid, Bound::devices, 0);  // the model's bound, not a kernel limit
  }
  Device& d = n.devices[slot];
  d = Device{};
  d.life = Life::hashed;
  d.name = cc.device;
  d.uuid = cc.uuid;
  if (c_.config.variant.has(kCreateOpenLimit) && call.enforce_open_limit) {
    d.open_limit = call.open_limit;
    d.flags |= kOpenLimitEnforced | kOpenLimitFixed;
  }
  const Observation obs = status_of(d);  // a new device is not suspended
  if (call.notable) {
    return finish(n, pid, obs);
  }
  Process& p = n.processes[pid];
  p.last = obs;
  p.phase = kLoadBuild;
  step(n, pid, kBetweenCalls, static_cast<std::uint8_t>(slot + 1));
}

void Machine::load_build(const State& s, std::size_t pid, const CompiledCall& cc) {
  State n = s;
  Process& p = n.processes[pid];
  const bool in_create = cc.call.op == Op::create;
  const Phase performed = p.phase == kLoadBuild ? kLoadBuild : kBetweenCalls;
  const int slot = find_by_name(s, cc.device);
  if (slot == kNone) {
    return in_create ? fail_create(n, pid, kENXIO, performed) : finish(n, pid, fail(kENXIO));
  }
  std::uint8_t lower = 0;
  const std::uint8_t err = build_table(c_, n, cc, slot, lower);
  if (err != kOk) {
    drop_table(n, slot, lower);
    return in_create ? fail_create(n, pid, err, performed) : finish(n, pid, fail(err));
  }
  n.devices[slot].flags |= kDiskAdded;  // the first load adds the disk
  p.md = static_cast<std::uint8_t>(slot + 1);
  p.table = cc.table;
  p.lower = lower;
  p.local = cc.call.readonly ? kLocalNewRo : 0;
  p.phase = kLoadStage;
  step(n, pid, performed, p.md);
}

void Machine::load_stage(const State& s, std::size_t pid, const CompiledCall&) {
  State n = s;
  Process& p = n.processes[pid];
  const int slot = p.md - 1;
  Device& d = n.devices[slot];
  if (d.life != Life::hashed) {
    const std::uint8_t lower = p.lower;
    p.table = p.lower = 0;
    drop_table(n, slot, lower);  // the cell went away while the table was built
    return end_load(n, pid, fail(kENXIO));
  }
  const std::uint8_t replaced = d.inactive_lower;  // the new table replaces any earlier one
  d.inactive = p.table;
  d.inactive_lower = p.lower;
  d.flags = static_cast<std::uint16_t>((d.flags & ~kInactiveRo) |
                                       ((p.local & kLocalNewRo) != 0 ? kInactiveRo : 0));
  p.table = p.lower = 0;
  // table_load takes the reply's status before it destroys the table it replaced: an open that
  // table held on the device itself (a self-map, 6.1) is still counted in the reply.
  const Observation obs = status_of(d);
  drop_table(n, slot, replaced);
  end_load(n, pid, obs);
}

void Machine::clear(const State& s, std::size_t pid, const CompiledCall& cc) {
  const int slot = lookup(s, pid, cc);
  if (slot == kNone) {
    return;
  }
  State n = s;
  Device& d = n.devices[slot];
  const std::uint8_t lower = d.inactive_lower;
  d.inactive = d.inactive_lower = 0;
  d.flags &= static_cast<std::uint16_t>(~kInactiveRo);
  // table_clear takes the reply's status before it destroys the table: an open the table held
  // on the device itself (a self-map, 6.1) is still counted in the reply.
  const Observation obs = status_of(d);
  drop_table(n, slot, lower);
  finish(n, pid, obs);
}

void Machine::rename(const State& s, std::size_t pid, const CompiledCall& cc) {
  State n = s;
  if (bad_name(cc.call.new_name)) {
    return finish(n, pid, fail(kEINVAL));
  }
  if (find_by_name(s, cc.new_name) != kNone) {
    return finish(n, pid, fail(kEBUSY));
  }
  const int slot = lookup(s, pid, cc);
  if (slot == kNone) {
    return;
  }
  n.devices[slot].name = cc.new_name;  // allowed on a deferred-pending device; frees the old name
  // The reply's INACTIVE flag is the one the caller sent: rename finds its device without the
  // lookup that reports an inactive table (seen on 6.1).
  Observation obs = status_of(n.devices[slot]);
  obs.flags &= static_cast<std::uint8_t>(~kReplyInactive);
  finish(n, pid, obs);
}

void Machine::info(const State& s, std::size_t pid, const CompiledCall& cc) {
  const int slot = find_by_name(s, cc.device);
  finish(s, pid, slot == kNone ? fail(kENXIO) : status_of(s.devices[slot]));
}

void Machine::set_open_limit(const State& s, std::size_t pid, const CompiledCall& cc) {
  const int slot = lookup(s, pid, cc);
  if (slot == kNone) {
    return;
  }
  State n = s;
  Device& d = n.devices[slot];
  if ((d.flags & kOpenLimitFixed) != 0) {
    // Reading (catalogue): a limit given at create is fixed for the device's life, so the
    // ioctl refuses to change it (EPERM, the combined variant's choice).
    return finish(n, pid, fail(kEPERM));
  }
  // Reading (catalogue): only later opens are refused; holders above the limit keep theirs; 0
  // removes the limit.
  d.open_limit = cc.call.open_limit;
  d.flags = static_cast<std::uint16_t>(cc.call.open_limit != 0 ? d.flags | kOpenLimitEnforced
                                                               : d.flags & ~kOpenLimitEnforced);
  finish(n, pid, status_of(d));
}

void Machine::crypt_key(const State& s, std::size_t pid, const CompiledCall& cc) {
  const int slot = lookup(s, pid, cc);
  if (slot == kNone) {
    return;
  }
  State n = s;
  Device& d = n.devices[slot];
  // The message goes to the live target at sector 0; dm-crypt takes key messages only while
  // suspended. With no live table Debian's 6.1 returns success, doing nothing; 6.12 refuses.
  if (d.live == 0) {
    return finish(n, pid,
                  c_.config.variant.message_needs_live_table() ? fail(kEINVAL) : Observation{});
  }
  if (c_.table(d.live).targets.front().kind != TargetKind::crypt || (d.flags & kSuspended) == 0) {
    return finish(n, pid, fail(kEINVAL));
  }
  if (cc.call.key_set) {
    d.flags &= static_cast<std::uint16_t>(~kKeyWiped);
  } else {
    d.flags |= kKeyWiped;
  }
  finish(n, pid, Observation{});
}

void Machine::thin_message(const State& s, std::size_t pid, const CompiledCall& cc) {
  const int slot = lookup(s, pid, cc);
  if (slot == kNone) {
    return;
  }
  State n = s;
  const Device& d = n.devices[slot];
  // As for a crypt key message: the live target at sector 0 takes it, suspended or not.
  if (d.live == 0) {
    return finish(n, pid,
                  c_.config.variant.message_needs_live_table() ? fail(kEINVAL) : Observation{});
  }
  if (!has_pool(c_, d.live)) {
    return finish(n, pid, fail(kEINVAL));
  }
  const int pool = pool_of_device(c_, n, slot);
  finish(n, pid, fail(thin_message_effect(c_, n, pool, cc.call)));
}

}  // namespace dmcheck::model::detail
