#include "checker/fingerprint_set.h"

#include <algorithm>
#include <cmath>

namespace dmcheck::checker {

namespace {
constexpr std::size_t kInitialHomeSlots = 64;

/// Whether `used` keys fill `home_slots` past 92%.
bool too_full(std::size_t used, std::size_t home_slots) { return used * 25 > home_slots * 23; }
}  // namespace

FingerprintSet::FingerprintSet() : partitions_(kPartitions) {}

FingerprintSet::Guard::Guard(const FingerprintSet& set, const Partition& p)
    : p_(set.concurrent_ ? &p : nullptr) {
  if (p_) {
    while (p_->lock.test_and_set(std::memory_order_acquire)) {
      while (p_->lock.test(std::memory_order_relaxed)) {
        __builtin_ia32_pause();
      }
    }
  }
}

FingerprintSet::Guard::~Guard() {
  if (p_) {
    p_->lock.clear(std::memory_order_release);
  }
}

FingerprintSet::Place FingerprintSet::find(View table, Fingerprint key) {
  if (!table.slots) {
    return {0, false};
  }
  const std::size_t end = table.home_slots + kOverflowSlots;
  std::size_t i = home(table.home_slots, key);
  // The cluster is sorted: stop at the first slot that is empty or holds a key not below `key`.
  Fingerprint slot = 0;
  while (i < end && (slot = load(table.slots, i)) != 0 && key_of_slot(slot) < key) {
    ++i;
  }
  return {i, i < end && slot != 0 && key_of_slot(slot) == key};
}

bool FingerprintSet::contains(Fingerprint fp) const {
  return find(view(partitions_[partition_of(fp)]), key(fp)).found;
}

bool FingerprintSet::insert(Fingerprint fp) {
  Partition& p = partitions_[partition_of(fp)];
  const Guard guard(*this, p);
  if (find(view(p), key(fp)).found) {
    return false;
  }
  add(p, key(fp), kSettled);
  return true;
}

FingerprintSet::Claim FingerprintSet::claim(Fingerprint fp, std::size_t chunk) {
  Partition& p = partitions_[partition_of(fp)];
  const auto tag = static_cast<std::uint8_t>(chunk + 1);
  const auto seen = [&](Fingerprint slot) {
    const auto holder = static_cast<std::uint8_t>(slot & 0xFF);
    return holder == kSettled || holder <= tag;
  };
  // Without the lock first: a state settled, or held by this chunk or an earlier one, stays so.
  // A slot being moved may be missed here; the locked lookup below sees it.
  const View table = view(p);
  if (const Place place = find(table, key(fp)); place.found && seen(load(table.slots, place.at))) {
    return Claim::seen;
  }
  const Guard guard(*this, p);
  if (const Place place = find(view(p), key(fp)); place.found) {
    if (seen(load(p.slots.get(), place.at))) {
      return Claim::seen;
    }
    store(p.slots.get(), place.at, key(fp) | tag);  // a later chunk had it: this one is earlier
    return Claim::claimed;
  }
  add(p, key(fp), tag);
  return Claim::claimed;
}

bool FingerprintSet::settle(Fingerprint fp, std::size_t chunk) {
  Partition& p = partitions_[partition_of(fp)];
  const Place place = find(view(p), key(fp));
  if (!place.found || (load(p.slots.get(), place.at) & 0xFF) != chunk + 1) {
    return false;
  }
  store(p.slots.get(), place.at, key(fp) | kSettled);  // only the holder writes this slot
  return true;
}

bool FingerprintSet::settled(Fingerprint fp) const {
  const Partition& p = partitions_[partition_of(fp)];
  const auto is_settled = [](Fingerprint slot) { return (slot & 0xFF) == kSettled; };
  // A settled slot found without the lock is settled; a miss may be a slot being moved, so it is
  // looked up again under the lock.
  const View table = view(p);
  if (const Place place = find(table, key(fp)); place.found) {
    return is_settled(load(table.slots, place.at));
  }
  const Guard guard(*this, p);
  const Place place = find(view(p), key(fp));
  return place.found && is_settled(load(p.slots.get(), place.at));
}

void FingerprintSet::release_retired() {
  for (Partition& p : partitions_) {
    p.retired.clear();
  }
}

void FingerprintSet::prefetch(Fingerprint fp) const {
  const View table = view(partitions_[partition_of(fp)]);
  if (table.slots) {
    __builtin_prefetch(table.slots + home(table.home_slots, key(fp)));
  }
}

void FingerprintSet::add(Partition& p, Fingerprint key, std::uint8_t tag) const {
  if (!p.slots || too_full(p.used + 1, p.home_slots)) {
    grow(p);
  }
  while (!place(p, find(view(p), key).at, key | tag)) {
    grow(p);  // the cluster ran past the overflow slots: rare, and a larger table spreads it
  }
  ++p.used;
}

bool FingerprintSet::place(Partition& p, std::size_t at, Fingerprint slot) {
  const std::size_t end = p.home_slots + kOverflowSlots;
  Fingerprint* slots = p.slots.get();
  std::size_t empty = at;
  while (empty < end && slots[empty] != 0) {
    ++empty;
  }
  if (empty == end) {
    return false;
  }
  // From the top down, so a lookup running alongside finds every key at least once.
  for (std::size_t i = empty; i > at; --i) {
    store(slots, i, slots[i - 1]);
  }
  store(slots, at, slot);
  return true;
}

void FingerprintSet::reserve(std::uint64_t count) {
  // A partition's share, and a margin for the spread of a fair draw (a few standard deviations).
  const std::uint64_t share = count / kPartitions;
  const std::uint64_t expected = share + 4 * static_cast<std::uint64_t>(std::sqrt(share)) + 1;
  const auto wanted = static_cast<std::size_t>(expected * 25 / 23 + 1);
  for (Partition& p : partitions_) {
    for (std::size_t home_slots = wanted; p.home_slots < wanted && !rebuild(p, home_slots);) {
      home_slots *= 2;
    }
  }
}

void FingerprintSet::grow(Partition& p) const {
  std::size_t home_slots = std::max(kInitialHomeSlots, p.home_slots + p.home_slots / 4);
  while (!rebuild(p, home_slots)) {
    home_slots *= 2;
  }
}

bool FingerprintSet::rebuild(Partition& p, std::size_t home_slots) const {
  auto slots = std::make_unique<Fingerprint[]>(home_slots + kOverflowSlots);  // zeroed: empty
  // The old table lists its keys in ascending order, which is the order of their new home
  // slots too: each goes to its home, or just after the one before it.
  std::size_t next = 0;
  const std::size_t old_end = p.slots ? p.home_slots + kOverflowSlots : 0;
  for (std::size_t i = 0; i < old_end; ++i) {
    if (const Fingerprint slot = p.slots[i]; slot != 0) {
      const std::size_t at = std::max(home(home_slots, key_of_slot(slot)), next);
      if (at == home_slots + kOverflowSlots) {
        return false;
      }
      slots[at] = slot;
      next = at + 1;
    }
  }
  if (concurrent_ && p.slots) {
    p.retired.push_back(std::move(p.slots));  // a lookup without the lock may still be reading
  }
  p.slots = std::move(slots);
  p.home_slots = home_slots;
  p.published.store(p.slots.get(), std::memory_order_release);
  p.published_home_slots.store(home_slots, std::memory_order_release);
  return true;
}

std::uint64_t FingerprintSet::size() const {
  std::uint64_t n = 0;
  for (const Partition& p : partitions_) {
    n += p.used;
  }
  return n;
}

std::uint64_t FingerprintSet::bytes() const {
  std::uint64_t n = partitions_.capacity() * sizeof(Partition);
  for (const Partition& p : partitions_) {
    // As published: safe to read while other threads insert.
    const std::size_t home_slots = p.published_home_slots.load(std::memory_order_relaxed);
    n += home_slots ? (home_slots + kOverflowSlots) * sizeof(Fingerprint) : 0;
  }
  return n;
}

}  // namespace dmcheck::checker
