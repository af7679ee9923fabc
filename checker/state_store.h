#pragma once
/// The visited set: every distinct state seen, identified by fingerprint, with the parent it was
/// first reached from and the index of the action that led there. Full states are not kept;
/// traces are rebuilt by replaying the model along parent links. Single-threaded.
///
/// Layout: a struct of arrays indexed by state id (ids are dense, in discovery order) and an
/// open-addressing table of ids keyed by fingerprint (linear probing from a multiplicative hash,
/// grown at 70% load).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "checker/fingerprint.h"

namespace dmcheck::checker {

class StateStore {
 public:
  using Id = std::uint32_t;
  static constexpr Id kNoParent = 0xFFFFFFFFu;
  /// The largest number of states a store can hold (ids must stay below kNoParent).
  static constexpr std::uint64_t kCapacity = 0xFFFFFFFEu;

  struct Insertion {
    Id id;
    bool inserted;  ///< false: the fingerprint was already present, `id` is the earlier state
  };

  /// Adds a fingerprint unless present. For an initial state `parent` is kNoParent and `action`
  /// is the index among the initial states.
  Insertion insert(Fingerprint fp, Id parent, std::uint32_t action);

  /// Hints the memory a later insert(fp) will touch: first its home slot, then (once that is
  /// cached) the fingerprint the slot points at. Issuing both for a batch of successors overlaps
  /// their cache misses, which dominate exploration time on large state spaces.
  void prefetch_slot(Fingerprint fp) const {
    if (!slots_.empty()) {
      __builtin_prefetch(&slots_[home_slot(fp)]);
    }
  }
  void prefetch_entry(Fingerprint fp) const {
    if (!slots_.empty()) {
      const Id slot = slots_[home_slot(fp)];
      if (slot != 0) {
        __builtin_prefetch(&fingerprints_[slot - 1]);
      }
    }
  }

  /// Whether a fingerprint is present, without adding it.
  [[nodiscard]] bool contains(Fingerprint fp) const;

  /// Points a state at a new parent (a shorter path found by a depth-bounded DFS).
  void relink(Id id, Id parent, std::uint32_t action) {
    parents_[id] = parent;
    actions_[id] = action;
  }

  [[nodiscard]] std::uint64_t size() const { return fingerprints_.size(); }
  [[nodiscard]] Fingerprint fingerprint(Id id) const { return fingerprints_[id]; }
  [[nodiscard]] Id parent(Id id) const { return parents_[id]; }
  [[nodiscard]] std::uint32_t action(Id id) const { return actions_[id]; }

  /// Bytes held by the store (capacity, not just size: what the process really pays).
  [[nodiscard]] std::uint64_t bytes() const;

 private:
  void grow();
  /// Fibonacci hashing: the top bits of fp * 2^64/phi, so structured fingerprints still spread.
  [[nodiscard]] std::size_t home_slot(Fingerprint fp) const {
    return static_cast<std::size_t>((fp * 0x9E3779B97F4A7C15ULL) >> shift_);
  }

  std::vector<Fingerprint> fingerprints_;
  std::vector<Id> parents_;
  std::vector<std::uint32_t> actions_;
  std::vector<Id> slots_;  // id + 1; 0 marks an empty slot
  int shift_ = 64;         // 64 - log2(slots_.size())
};

}  // namespace dmcheck::checker
