#pragma once
/// A breadth-first level: the states waiting to be expanded, with their ids, in order. A model
/// that packs its states (PacksStates) has them stored packed, one record after the other, so
/// the room its State keeps for what a run does not use costs no frontier memory and no copying;
/// any other model's states are stored whole.

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "checker/model.h"
#include "checker/state_store.h"

namespace dmcheck::checker {

template <Model M>
class Frontier {
 public:
  using State = typename M::State;
  using Id = StateStore::Id;

  /// Appends `state`, known as `id`.
  void push(const M& model, const State& state, Id id) {
    if constexpr (PacksStates<M>) {
      unsigned char packed[sizeof(State)];
      const std::size_t size = model.pack(state, packed);
      bytes_.insert(bytes_.end(), packed, packed + size);
      records_.push_back({id, static_cast<std::uint32_t>(size)});
    } else {
      entries_.push_back({state, id});
    }
  }

  /// Calls `visit(state, id)` for each entry in order, until it returns false. The state passed
  /// lives until the next call.
  template <class Visit>
  void for_each(const M& model, Visit&& visit) const {
    if constexpr (PacksStates<M>) {
      State state;
      std::size_t at = 0;
      for (const Record& r : records_) {
        model.unpack(bytes_.data() + at, r.size, state);
        at += r.size;
        if (!visit(state, r.id)) {
          return;
        }
      }
    } else {
      for (const Entry& e : entries_) {
        if (!visit(e.state, e.id)) {
          return;
        }
      }
    }
  }

  [[nodiscard]] std::size_t size() const { return records_.size() + entries_.size(); }
  [[nodiscard]] bool empty() const { return size() == 0; }
  /// What the level holds in memory (capacities), for the memory limit and the statistics.
  [[nodiscard]] std::uint64_t bytes() const {
    return bytes_.capacity() + records_.capacity() * sizeof(Record) +
           entries_.capacity() * sizeof(Entry);
  }

  /// Empties the level, keeping its memory for the next one.
  void clear() {
    bytes_.clear();
    records_.clear();
    entries_.clear();
  }

  void swap(Frontier& other) noexcept {
    bytes_.swap(other.bytes_);
    records_.swap(other.records_);
    entries_.swap(other.entries_);
  }

 private:
  struct Record {
    Id id;
    std::uint32_t size;  ///< packed bytes
  };
  struct Entry {
    State state;
    Id id;
  };

  std::vector<unsigned char> bytes_;  ///< packed states, one after the other
  std::vector<Record> records_;
  std::vector<Entry> entries_;  ///< whole states, for a model that does not pack
};

}  // namespace dmcheck::checker
