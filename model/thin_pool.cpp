#include "model/thin_pool.h"

#include <algorithm>

#include "model/slots.h"

namespace dmcheck::model::detail {
namespace {

constexpr std::uint8_t kOwners = 0x0F;

std::uint8_t bit(int thin) { return static_cast<std::uint8_t>(1U << thin); }
std::uint8_t shared_bit(int thin) { return static_cast<std::uint8_t>(1U << (thin + 4)); }

unsigned vunit_of(const PoolMetadata& m, std::size_t block) {
  return (m.vunits >> (2 * block)) & 3U;
}

void set_vunit(PoolMetadata& m, std::size_t block, unsigned vunit) {
  m.vunits = static_cast<std::uint8_t>((m.vunits & ~(3U << (2 * block))) | (vunit << (2 * block)));
}

/// Thin `thin` no longer maps `block`; a block nobody maps is free, but only after the next
/// commit for the allocator (`pending`), unless the caller commits at once.
void unmap(PoolMetadata& m, std::size_t block, int thin) {
  std::uint8_t& b = m.blocks[block];
  b = static_cast<std::uint8_t>(b & ~(bit(thin) | shared_bit(thin)));
  if ((b & kOwners) == 0) {
    b = 0;
    set_vunit(m, block, 0);
    m.pending = static_cast<std::uint8_t>(m.pending | (1U << block));
  }
}

/// The pool commits its metadata: every freed block is free for the allocator.
void commit(PoolMetadata& m) { m.pending = 0; }

/// Calls `each(table, lower, slot)` for every table instance of `s`: each device's live and
/// inactive tables, and the tables calls in progress hold; `slot` is the device it is for.
template <class Each>
void each_table_instance(const State& s, Each each) {
  const auto devices = used_devices(s);
  for (std::size_t slot = 0; slot < devices.size(); ++slot) {
    each(devices[slot].live, devices[slot].live_lower, static_cast<int>(slot));
    each(devices[slot].inactive, devices[slot].inactive_lower, static_cast<int>(slot));
  }
  for (const Process& p : s.processes) {
    if (p.md != 0) {  // a call holds a table only with the device it is for
      each(p.table, p.lower, p.md - 1);
      each(p.old_table, p.old_lower, p.md - 1);
    }
  }
}

/// Whether `table` (index + 1, 0 none) has a thin target that `match` accepts.
template <class Match>
bool has_thin(const Compiled& c, std::uint8_t table, Match match) {
  if (table == 0) {
    return false;
  }
  const auto& targets = c.table(table).targets;
  return std::any_of(targets.begin(), targets.end(),
                     [&](const Target& t) { return t.kind == TargetKind::thin && match(t); });
}

}  // namespace

bool has_pool(const Compiled& c, std::uint8_t table) {
  return table != 0 && c.table(table).targets.front().kind == TargetKind::thin_pool;
}

int pool_of_device(const Compiled& c, const State& s, int slot) {
  const Device& d = s.devices[slot];
  for (const std::uint8_t table : {d.live, d.inactive}) {
    if (table == 0) {
      continue;
    }
    for (const Target& t : c.table(table).targets) {
      if (t.kind == TargetKind::thin_pool) {
        return c.pool_index(c.disk_index(t.onto));
      }
    }
  }
  return -1;
}

bool thin_open(const Compiled& c, const State& s, int pool, int thin) {
  bool open = false;
  each_table_instance(s, [&](std::uint8_t table, std::uint8_t lower, int) {
    open = open ||
           (lower != 0 && has_thin(c, table, [&](const Target& t) {
              return c.thin_index(t.thin_id) == thin && pool_of_device(c, s, lower - 1) == pool;
            }));
  });
  return open;
}

std::vector<int> active_thins(const Compiled& c, const State& s, int pool_slot) {
  std::vector<int> thins;
  each_table_instance(s, [&](std::uint8_t table, std::uint8_t lower, int slot) {
    if (lower == pool_slot + 1 && has_thin(c, table, [](const Target&) { return true; })) {
      thins.push_back(slot);
    }
  });
  return thins;
}

std::uint8_t thin_constructor(const Compiled& c, const State& s, const Target& t, int below) {
  const int pool = pool_of_device(c, s, below);
  if (pool < 0) {
    return kEINVAL;  // "Couldn't find pool object"
  }
  if ((s.pools[pool].thins & bit(c.thin_index(t.thin_id))) == 0) {
    return kENODATA;  // "Couldn't open thin internal device"
  }
  // pool->suspended: set when the pool object is made and at every presuspend, cleared when
  // its live table resumes.
  const Device& d = s.devices[below];
  if (!has_pool(c, d.live) || (d.flags & kSuspended) != 0) {
    return kEINVAL;  // "Unable to activate thin device while pool is suspended"
  }
  return kOk;
}

std::uint8_t thin_message_effect(const Compiled& c, State& s, int pool, const Call& call) {
  PoolMetadata& m = s.pools[pool];
  const int thin = c.thin_index(call.thin_id);
  if (call.thin_verb != ThinVerb::delete_thin && (m.thins & bit(thin)) != 0) {
    return kEEXIST;
  }
  switch (call.thin_verb) {
    case ThinVerb::create_thin:
      break;
    case ThinVerb::create_snap: {
      const int origin = c.thin_index(call.thin_origin);
      if ((m.thins & bit(origin)) == 0) {
        return kENODATA;
      }
      // The snapshot advances the metadata's clock: every mapping of the origin, and the
      // snapshot's copy of them, is now older than both thins' last snapshot.
      for (std::uint8_t& b : m.blocks) {
        if ((b & bit(origin)) != 0) {
          b = static_cast<std::uint8_t>(b | bit(thin) | shared_bit(thin) | shared_bit(origin));
        }
      }
      break;
    }
    case ThinVerb::delete_thin:
      if ((m.thins & bit(thin)) == 0) {
        return kENODATA;
      }
      if (thin_open(c, s, pool, thin)) {
        return kEBUSY;
      }
      for (std::size_t b = 0; b < kMaxPoolBlocks; ++b) {
        if ((m.blocks[b] & bit(thin)) != 0) {
          unmap(m, b, thin);
        }
      }
      m.thins = static_cast<std::uint8_t>(m.thins & ~bit(thin));
      commit(m);
      return kOk;
  }
  m.thins = static_cast<std::uint8_t>(m.thins | bit(thin));
  commit(m);
  return kOk;
}

int mapped_block(const PoolMetadata& m, int thin, unsigned vunit) {
  for (std::size_t b = 0; b < kMaxPoolBlocks; ++b) {
    if ((m.blocks[b] & bit(thin)) != 0 && vunit_of(m, b) == vunit) {
      return static_cast<int>(b);
    }
  }
  return -1;
}

Provision provision(PoolMetadata& m, int thin, unsigned vunit) {
  if (vunit >= kMaxPoolBlocks) {
    return {Provision::Kind::untracked, 0};  // a mapping's unit is two bits
  }
  const int old = mapped_block(m, thin, vunit);
  if (old >= 0 && (m.blocks[old] & shared_bit(thin)) == 0) {
    return {Provision::Kind::block, static_cast<std::uint8_t>(old)};
  }
  const std::size_t blocks = std::min<std::size_t>(m.size, kMaxPoolBlocks);
  int free = -1;
  int pending = -1;
  for (std::size_t b = blocks; b-- > 0;) {
    if (m.blocks[b] == 0) {
      ((m.pending & (1U << b)) != 0 ? pending : free) = static_cast<int>(b);
    }
  }
  if (pending >= 0 && (free < 0 || pending < free)) {
    return {Provision::Kind::commit_time, 0};
  }
  if (free < 0) {
    return {m.size > kMaxPoolBlocks ? Provision::Kind::untracked : Provision::Kind::no_space, 0};
  }
  if (old >= 0) {
    unmap(m, static_cast<std::size_t>(old), thin);
  }
  m.blocks[free] = bit(thin);
  set_vunit(m, static_cast<std::size_t>(free), vunit);
  return {Provision::Kind::block, static_cast<std::uint8_t>(free)};
}

unsigned used_blocks(const PoolMetadata& m) {
  return static_cast<unsigned>(
      std::count_if(m.blocks.begin(), m.blocks.end(), [](std::uint8_t b) { return b != 0; }));
}

unsigned mapped_blocks(const PoolMetadata& m, int thin) {
  return static_cast<unsigned>(std::count_if(m.blocks.begin(), m.blocks.end(),
                                             [&](std::uint8_t b) { return (b & bit(thin)) != 0; }));
}

}  // namespace dmcheck::model::detail
