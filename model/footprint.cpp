// What one process's move may touch, and whether it stayed there (model/footprint.h).

#include "model/footprint.h"

#include <cstring>

#include "model/compiled.h"
#include "model/slots.h"
#include "model/visibility.h"

namespace dmcheck::model::detail {
namespace {

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

/// Whether the backing disk units and pools outside the footprint's class are as they were.
bool disks_untouched(const Compiled& c, const State& s, const State& n, std::uint32_t disks) {
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

}  // namespace

/// The footprint of process `pid` in `s`, if no other actor but the prober can reach it before
/// the process moves: the devices carrying a name of its class, none held by the internal
/// suspender or the worker, or in the worker's reach (marked for deferred removal and closed,
/// or held only by the prober, whose close would queue it), and no other process referring to
/// one (which isolation already rules out; checked, as it is cheap). The prober may reach one
/// of them: one with a uevent pending, or the one it holds.
std::optional<Footprint> footprint(const Compiled& c, const State& s, std::size_t pid) {
  Footprint w;
  w.process = static_cast<std::uint8_t>(pid);
  w.names = c.por.names[pid];
  w.used = static_cast<std::uint8_t>(used_device_slots(s));
  const Kernel& k = s.kernel;
  for (std::uint8_t i = 0; i < w.used; ++i) {
    const Device& d = s.devices[i];
    if (d.name == 0 || ((w.names >> d.name) & 1U) == 0) {
      continue;
    }
    const bool probed = (d.flags & kProbePending) != 0 || k.prober_md == i + 1;
    if (probed && w.probed != 0) {
      return std::nullopt;  // the prober could take them in either order
    }
    if ((d.flags & kDeferred) != 0 && (probed || d.life != Life::hashed || d.open_count == 0)) {
      return std::nullopt;
    }
    w.probed = probed ? static_cast<std::uint8_t>(i + 1) : w.probed;
    w.devices |= std::uint32_t{1} << i;
  }
  if (in(w.devices, k.worker_md) || in(w.devices, k.internal_md) ||
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

/// The move from `s` to `n` wrote inside the footprint only, left the kernel actors and the
/// bound alone, and gave the worker nothing new to choose from.
bool stays_inside(const Compiled& c, const State& s, const State& n, const Footprint& w) {
  if (n.bound != Bound::none || std::memcmp(&s.kernel, &n.kernel, sizeof(Kernel)) != 0 ||
      used_device_slots(n) != w.used || !refers_within(n.processes[w.process], w.devices)) {
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

Watch::Watch(const Compiled& c, const State& s) {
  // A state that decides a property shows it there, whatever its moves do: an invariant false
  // in it is violated, a goal or a premise true in it is reached.
  for (const WatchedExpression& e : c.por.expressions) {
    open_.push_back((evaluate(c, e.expr, s) != 0) != e.decided ? 1 : 0);
  }
  for (StateCheck holds : c.por.invariants) {
    open_.push_back(holds(c, s) ? 1 : 0);
  }
}

/// Expressions by what they read (model/visibility.h); separable invariants (model/
/// isolation.h), by expression or by code, must hold in `x` and after the move (then their
/// part inside the footprint holds on both sides, wherever the move is taken).
bool invisible(const Compiled& c, const Watch& watch, const State& x, const State& n,
               const Footprint& w) {
  const auto& expressions = c.por.expressions;
  for (std::size_t i = 0; i < expressions.size(); ++i) {
    const WatchedExpression& e = expressions[i];
    if (watch.open(i) && (e.separable ? evaluate(c, e.expr, x) == 0 || evaluate(c, e.expr, n) == 0
                                      : may_change(c, e.expr, x, n, w))) {
      return false;
    }
  }
  for (std::size_t i = 0; i < c.por.invariants.size(); ++i) {
    const StateCheck holds = c.por.invariants[i];
    if (watch.open(expressions.size() + i) && !(holds(c, x) && holds(c, n))) {
      return false;
    }
  }
  return true;
}

}  // namespace dmcheck::model::detail
