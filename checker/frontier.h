#pragma once
/// A breadth-first level: the states waiting to be expanded, with their ids, in order. A model
/// that packs its states (PacksStates) has them stored packed, one record after the other in
/// chunks of memory that never move, so the room its State keeps for what a run does not use
/// costs no frontier memory, and a growing level is never copied; any other model's states are
/// stored whole.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
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
      unsigned char* to = room(sizeof(State));
      commit(id, model.pack(state, to));
    } else {
      entries_.push_back({state, id});
    }
  }

  /// Appends a state already packed by the model, known as `id`.
  void push(const M&, PackedState state, Id id) requires PacksStates<M> {
    std::memcpy(room(state.size), state.bytes, state.size);
    commit(id, state.size);
  }

  /// Calls `visit(state, id)` for each entry in order, until it returns false. The state passed
  /// lives until the next call.
  template <class Visit>
  void for_each(const M& model, Visit&& visit) const {
    if constexpr (PacksStates<M>) {
      State state;
      std::size_t chunk = 0;
      std::size_t at = 0;
      for (const Record& r : records_) {
        if (at + r.size > chunks_[chunk].used) {  // the rest of this chunk was too small
          ++chunk;
          at = 0;
        }
        model.unpack(chunks_[chunk].bytes.get() + at, r.size, state);
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
    return chunks_.size() * kChunk + records_.capacity() * sizeof(Record) +
           entries_.capacity() * sizeof(Entry);
  }

  /// Empties the level, keeping its memory for the next one.
  void clear() {
    for (Chunk& c : chunks_) {
      c.used = 0;
    }
    current_ = 0;
    records_.clear();
    entries_.clear();
  }

  void swap(Frontier& other) noexcept {
    chunks_.swap(other.chunks_);
    std::swap(current_, other.current_);
    records_.swap(other.records_);
    entries_.swap(other.entries_);
  }

 private:
  /// Bytes per chunk: far more than one packed state, and untouched pages cost nothing.
  static constexpr std::size_t kChunk = std::size_t{1} << 20;
  static_assert(sizeof(State) <= kChunk);

  struct Chunk {
    std::unique_ptr<unsigned char[]> bytes;
    std::size_t used = 0;
  };
  struct Record {
    Id id;
    std::uint32_t size;  ///< packed bytes
  };
  struct Entry {
    State state;
    Id id;
  };

  /// Where the next `size` bytes go: the current chunk's end, or the start of the next chunk.
  unsigned char* room(std::size_t size) {
    if (!chunks_.empty() && chunks_[current_].used + size > kChunk) {
      ++current_;
    }
    if (current_ == chunks_.size()) {
      chunks_.push_back({std::make_unique_for_overwrite<unsigned char[]>(kChunk), 0});
    }
    Chunk& c = chunks_[current_];
    return c.bytes.get() + c.used;
  }

  void commit(Id id, std::size_t size) {
    chunks_[current_].used += size;
    records_.push_back({id, static_cast<std::uint32_t>(size)});
  }

  std::vector<Chunk> chunks_;
  std::size_t current_ = 0;  ///< the chunk being filled
  std::vector<Record> records_;
  std::vector<Entry> entries_;  ///< whole states, for a model that does not pack
};

}  // namespace dmcheck::checker
