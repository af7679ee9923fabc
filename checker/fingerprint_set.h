#pragma once
/// The visited set of the breadth-first engine: the 64-bit fingerprints of every state seen, and
/// nothing else, kept in the table itself so that a lookup is one cache miss.
///
/// The set is split into kPartitions tables by the fingerprint's top bits, so that a growing
/// partition copies only its own share. Lookups take no lock (slots are read and written as
/// relaxed atomics, and a table replaced by a larger one is kept until release_retired()), so the
/// common case — a state seen before — writes no shared memory; a change takes the partition's
/// spin lock. Each partition is an ordered linear-probing table (Amble and Knuth): a fingerprint's
/// home slot grows with the fingerprint and every cluster is kept sorted, so a lookup stops at
/// the first larger fingerprint, which keeps lookups short at the high load (up to 92%) that
/// makes a fingerprint cost 9-11 bytes. A partition grows by a quarter, not double, for the same
/// reason.
///
/// A slot holds the fingerprint's 56 bits below the partition's, shifted to the top, and a tag
/// in the low byte: kSettled for a state of an earlier level, or which chunk of the level being
/// expanded claimed it (see claim()). 0 is an empty slot.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "checker/fingerprint.h"

namespace dmcheck::checker {

class FingerprintSet {
 public:
  static constexpr unsigned kPartitionBits = 8;
  static constexpr std::size_t kPartitions = std::size_t{1} << kPartitionBits;
  /// Chunks a level may be claimed by: tags 1..kChunks; kSettled is the last tag.
  static constexpr std::size_t kChunks = 254;

  FingerprintSet();

  /// Whether the members may be called from several threads at once (spin locks are taken), or
  /// from one only.
  void set_concurrent(bool concurrent) { concurrent_ = concurrent; }

  [[nodiscard]] bool contains(Fingerprint fp) const;
  /// Makes room for `count` fingerprints in all, spread evenly, so that adding them grows no
  /// partition (or hardly: a partition may get more than its share). Not safe alongside any
  /// other member.
  void reserve(std::uint64_t count);
  /// Adds `fp` as settled; false when it was present already.
  bool insert(Fingerprint fp);

  enum class Claim : std::uint8_t {
    seen,     ///< settled, or claimed by this chunk or an earlier one
    claimed,  ///< new, or taken from a later chunk: this chunk reached it first
  };
  /// Notes that chunk `chunk` (< kChunks) of the level being expanded reaches `fp`. Chunks are
  /// the level's states in order, so the earliest chunk to reach a state is the one a sequential
  /// search reaches it from first, whichever thread runs first.
  Claim claim(Fingerprint fp, std::size_t chunk);
  /// Settles `fp` if chunk `chunk` holds its claim: true when it does (the state is the
  /// chunk's), false when an earlier chunk took it. Safe alongside settle() only.
  bool settle(Fingerprint fp, std::size_t chunk);
  /// Whether `fp` is settled: a state of a level before the one being expanded, or of that one.
  /// What the level being expanded claims does not count, so the answer does not depend on
  /// which thread claimed what first. Safe alongside claim().
  [[nodiscard]] bool settled(Fingerprint fp) const;
  /// Frees the tables that grown partitions replaced; call when no other member is running.
  void release_retired();

  /// Hints the memory a lookup of `fp` will read; safe alongside any other member.
  void prefetch(Fingerprint fp) const;

  /// Calls `f(fp)` for every settled fingerprint, leaving out those the level being expanded has
  /// only claimed: the set as it was when the level began. Call when no other member is running.
  template <class F>
  void for_each_settled(F&& f) const {
    for (std::size_t part = 0; part < kPartitions; ++part) {
      const Partition& p = partitions_[part];
      const std::size_t end = p.slots ? p.home_slots + kOverflowSlots : 0;
      for (std::size_t i = 0; i < end; ++i) {
        if (const Fingerprint slot = p.slots[i]; slot != 0 && (slot & 0xFF) == kSettled) {
          f((Fingerprint{part} << (64 - kPartitionBits)) | (key_of_slot(slot) >> kPartitionBits));
        }
      }
    }
  }

  [[nodiscard]] std::uint64_t size() const;
  /// Bytes the tables hold (allocated slots, not just used ones); safe alongside any member.
  [[nodiscard]] std::uint64_t bytes() const;

 private:
  static constexpr std::uint8_t kSettled = 255;
  /// Slots past the last home slot, where the last clusters run on instead of wrapping around.
  static constexpr std::size_t kOverflowSlots = 256;

  struct alignas(64) Partition {
    /// The table as last published, for lookups without the lock: read by every lookup, written
    /// only when the partition grows, so on a cache line apart from what changes under the lock.
    std::atomic<const Fingerprint*> published{nullptr};
    std::atomic<std::size_t> published_home_slots{0};
    alignas(64) mutable std::atomic_flag lock;
    std::unique_ptr<Fingerprint[]> slots;
    std::size_t home_slots = 0;  ///< slots a fingerprint can call home; more follow for overflow
    std::size_t used = 0;
    /// Tables replaced while lookups may still read them.
    std::vector<std::unique_ptr<Fingerprint[]>> retired;
  };
  /// A table as a lookup without the lock sees it.
  struct View {
    const Fingerprint* slots;
    std::size_t home_slots;
  };
  /// Holds a partition's lock, when the set is concurrent.
  class Guard {
   public:
    Guard(const FingerprintSet& set, const Partition& p);
    ~Guard();
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

   private:
    const Partition* p_;
  };

  [[nodiscard]] static std::size_t partition_of(Fingerprint fp) {
    return static_cast<std::size_t>(fp >> (64 - kPartitionBits));
  }
  [[nodiscard]] static Fingerprint key(Fingerprint fp) { return fp << kPartitionBits; }
  [[nodiscard]] static Fingerprint key_of_slot(Fingerprint slot) {
    return slot & ~Fingerprint{0xFF};
  }
  [[nodiscard]] static std::size_t home(std::size_t home_slots, Fingerprint key) {
    return static_cast<std::size_t>((static_cast<unsigned __int128>(key) * home_slots) >> 64);
  }

  /// The slot holding `key`, or where it would go; `found` says which.
  struct Place {
    std::size_t at;
    bool found;
  };
  [[nodiscard]] static Place find(View table, Fingerprint key);
  static bool place(Partition& p, std::size_t at, Fingerprint slot);
  [[nodiscard]] static View view(const Partition& p) {
    return {p.published.load(std::memory_order_acquire),
            p.published_home_slots.load(std::memory_order_acquire)};
  }
  [[nodiscard]] static Fingerprint load(const Fingerprint* slots, std::size_t i) {
    // The tables are allocated writable; only this view of them is const.
    return std::atomic_ref<Fingerprint>(const_cast<Fingerprint&>(slots[i]))
        .load(std::memory_order_relaxed);
  }
  static void store(Fingerprint* slots, std::size_t i, Fingerprint value) {
    std::atomic_ref<Fingerprint>(slots[i]).store(value, std::memory_order_relaxed);
  }
  /// Adds a slot for `key` with `tag`, growing the partition as needed.
  void add(Partition& p, Fingerprint key, std::uint8_t tag) const;
  void grow(Partition& p) const;
  /// Moves `p`'s keys into a table of `home_slots` home slots; false if they do not fit.
  bool rebuild(Partition& p, std::size_t home_slots) const;

  std::vector<Partition> partitions_;
  bool concurrent_ = false;
};

}  // namespace dmcheck::checker
