// Partial-order reduction for the DM model (checker/partial_order.h): in a state, a process
// whose next moves commute with everything the other actors can do until it moves, and change
// no checked property, may be explored alone. docs/reductions.md gives the argument.

#include <cstring>

#include "model/compiled.h"
#include "model/dm_model.h"
#include "model/machine.h"
#include "model/slots.h"
#include "model/visibility.h"

namespace dmcheck::model {
namespace {

using detail::Footprint;

bool in(std::uint32_t set, std::uint8_t slot_plus_one) {
  return slot_plus_one != 0 && ((set >> (slot_plus_one - 1)) & 1U) != 0;
}

/// Every device slot process `p` refers to is in `set`.
bool refers_within(const Process& p, std::uint32_t set) {
  const auto inside = [set](std::uint8_t md) { return md == 0 || in(set, md); };
  bool all = inside(p.md) && inside(p.lower) && inside(p.old_lower);
  for (std::uint8_t h : p.handle_md) {
    all = all && inside(h);
  }
  return all;
}

/// Refers to no device slot in `set`.
bool refers_outside(const Process& p, std::uint32_t set) {
  const auto outside = [set](std::uint8_t md) { return !in(set, md); };
  bool all = outside(p.md) && outside(p.lower) && outside(p.old_lower);
  for (std::uint8_t h : p.handle_md) {
    all = all && outside(h);
  }
  return all;
}

/// The footprint of process `pid` in `s`, if no other actor can reach it before the process
/// moves: the devices carrying a name of its class, none pending for the prober, held by it,
/// marked for the worker or held by the internal suspender, and no other process referring to
/// one (which isolation already rules out; checked, as it is cheap).
std::optional<Footprint> footprint(const detail::Compiled& c, const State& s, std::size_t pid) {
  Footprint w;
  w.process = static_cast<std::uint8_t>(pid);
  w.names = c.por.names[pid];
  w.used = static_cast<std::uint8_t>(detail::used_device_slots(s));
  for (std::uint8_t i = 0; i < w.used; ++i) {
    const Device& d = s.devices[i];
    if (d.name == 0 || ((w.names >> d.name) & 1U) == 0) {
      continue;
    }
    if ((d.flags & (kProbePending | kDeferred)) != 0) {
      return std::nullopt;
    }
    w.devices |= std::uint32_t{1} << i;
  }
  const Kernel& k = s.kernel;
  if (in(w.devices, k.prober_md) || in(w.devices, k.worker_md) || in(w.devices, k.internal_md) ||
      !refers_within(s.processes[pid], w.devices)) {
    return std::nullopt;
  }
  for (std::size_t other = 0; other < c.programs.size(); ++other) {
    if (other != pid && !refers_outside(s.processes[other], w.devices)) {
      return std::nullopt;
    }
  }
  return w;
}

/// Whether the backing disk units and pools outside the footprint's class are as they were.
bool disks_untouched(const detail::Compiled& c, const State& s, const State& n,
                     std::uint32_t disks) {
  for (std::size_t disk = 0; disk < kMaxDisks; ++disk) {
    if (((disks >> disk) & 1U) != 0) {
      continue;
    }
    const std::size_t at = disk * kMaxDiskUnits;
    if (std::memcmp(&s.disk_data[at], &n.disk_data[at], kMaxDiskUnits) != 0) {
      return false;
    }
  }
  for (std::size_t pool = 0; pool < c.pool_disks.size(); ++pool) {
    const bool ours = ((disks >> c.pool_disks[pool]) & 1U) != 0;
    if (!ours && std::memcmp(&s.pools[pool], &n.pools[pool], sizeof(PoolMetadata)) != 0) {
      return false;
    }
  }
  return true;
}

/// The move from `s` to `n` wrote inside the footprint only, left the kernel actors and the
/// bound alone, and gave the worker nothing new to choose from.
bool stays_inside(const detail::Compiled& c, const State& s, const State& n, const Footprint& w) {
  if (n.bound != Bound::none || std::memcmp(&s.kernel, &n.kernel, sizeof(Kernel)) != 0 ||
      detail::used_device_slots(n) != w.used || !refers_within(n.processes[w.process], w.devices)) {
    return false;
  }
  for (std::uint8_t i = 0; i < w.used; ++i) {
    const Device& d = n.devices[i];
    if (((w.devices >> i) & 1U) == 0) {
      if (std::memcmp(&d, &s.devices[i], sizeof(Device)) != 0) {
        return false;
      }
    } else if (d.life == Life::hashed && (d.flags & kDeferred) != 0 && d.open_count == 0) {
      return false;  // the worker would now have this device to choose
    }
  }
  for (std::size_t other = 0; other < c.programs.size(); ++other) {
    if (other != w.process &&
        std::memcmp(&s.processes[other], &n.processes[other], sizeof(Process)) != 0) {
      return false;
    }
  }
  return disks_untouched(c, s, n, c.por.disks[w.process]);
}

/// The move changes no checked property where it could be seen: expressions by what they read
/// (model/visibility.h), unless `s` already decides them; separable invariants (model/
/// isolation.h), by expression or by code, must still hold after it if they held before (if
/// they did not, `s` already violates them).
bool invisible(const detail::Compiled& c, const State& s, const State& n, const Footprint& w) {
  for (const detail::WatchedExpression& e : c.por.expressions) {
    if ((evaluate(c, e.expr, s) != 0) == e.decided) {
      continue;
    }
    if (e.separable ? evaluate(c, e.expr, n) == 0 : detail::may_change(c, e.expr, s, n, w)) {
      return false;
    }
  }
  for (detail::StateCheck holds : c.por.invariants) {
    if (holds(c, s) && !holds(c, n)) {
      return false;
    }
  }
  return true;
}

/// Whether process `pid` can be explored alone in `s`: it has a move, and each of its moves
/// stays inside its footprint and is invisible.
bool acts_alone(const detail::Compiled& c, const State& s, std::size_t pid) {
  const std::optional<Footprint> w = footprint(c, s, pid);
  if (!w) {
    return false;
  }
  bool moved = false;
  bool alone = true;
  const auto judge = [&](const Action&, const State& n) {
    moved = true;
    alone = alone && stays_inside(c, s, n, *w) && invisible(c, s, n, *w);
  };
  detail::Machine machine(c, judge);
  machine.process(s, pid);
  return moved && alone;
}

}  // namespace

std::uint32_t DmModel::actor_of(const Action& action) const { return action.actor; }

std::optional<std::uint32_t> DmModel::ample_actor(const State& state) const {
  const detail::Compiled& c = *c_;
  if (!c.por.enabled || state.bound != Bound::none) {
    return std::nullopt;
  }
  for (std::size_t pid = 0; pid < c.programs.size(); ++pid) {
    if (c.por.isolated[pid] != 0 && acts_alone(c, state, pid)) {
      return static_cast<std::uint32_t>(pid);
    }
  }
  return std::nullopt;
}

}  // namespace dmcheck::model
