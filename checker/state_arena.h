#pragma once
/// Kept state bytes (see packing.h) for one breadth-first level, one record after the other in
/// chunks that never move, so a record's address stays valid until the arena is destroyed and a
/// growing arena is never copied. One thread writes an arena; any may read it afterwards. With a
/// spill file, each chunk but the one being filled is sealed into the file (spill_file.h).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "checker/spill_file.h"

namespace dmcheck::checker {

class StateArena {
 public:
  /// `total` counts the bytes of memory of every arena sharing it (for a memory limit), or is
  /// null; chunks come from `spill` when it is given.
  explicit StateArena(std::atomic<std::uint64_t>* total = nullptr, SpillFile* spill = nullptr)
      : total_(total), spill_(spill) {}
  StateArena(const StateArena&) = delete;
  StateArena& operator=(const StateArena&) = delete;
  ~StateArena() {
    if (total_) {
      total_->fetch_sub(bytes(), std::memory_order_relaxed);
    }
  }

  /// Bytes per chunk: far more than one state, and untouched pages cost nothing.
  static constexpr std::size_t kChunk = std::size_t{1} << 20;

  /// Copies `size` bytes (at most kChunk) in; returns where they now live.
  const unsigned char* add(const unsigned char* bytes, std::size_t size) {
    if (chunks_.empty() || used_ + size > kChunk) {
      new_chunk();
    }
    unsigned char* to = chunks_.back().get() + used_;
    std::memcpy(to, bytes, size);
    used_ += size;
    return to;
  }

  /// Bytes of memory the arena holds: with a spill file, the chunk being filled only.
  [[nodiscard]] std::size_t bytes() const {
    return spill_ ? std::min<std::size_t>(chunks_.size(), 1) * kChunk : chunks_.size() * kChunk;
  }

 private:
  void new_chunk() {
    const std::size_t before = bytes();
    if (spill_ && !chunks_.empty()) {
      spill_->seal(chunks_.back().get());
    }
    chunks_.push_back(take_chunk(spill_, kChunk));
    used_ = 0;
    if (total_) {
      total_->fetch_add(bytes() - before, std::memory_order_relaxed);
    }
  }

  std::atomic<std::uint64_t>* total_;
  SpillFile* spill_;
  std::vector<Chunk> chunks_;
  std::size_t used_ = 0;
};

}  // namespace dmcheck::checker
