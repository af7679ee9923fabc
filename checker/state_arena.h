#pragma once
/// Kept state bytes (see packing.h) for one breadth-first level, one record after the other in
/// chunks that never move, so a record's address stays valid until the arena is destroyed and a
/// growing arena is never copied. One thread writes an arena; any may read it afterwards.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

namespace dmcheck::checker {

class StateArena {
 public:
  /// `total` counts the bytes of every arena sharing it (for a memory limit), or is null.
  explicit StateArena(std::atomic<std::uint64_t>* total = nullptr) : total_(total) {}
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
      chunks_.push_back(std::make_unique_for_overwrite<unsigned char[]>(kChunk));
      used_ = 0;
      if (total_) {
        total_->fetch_add(kChunk, std::memory_order_relaxed);
      }
    }
    unsigned char* to = chunks_.back().get() + used_;
    std::memcpy(to, bytes, size);
    used_ += size;
    return to;
  }

  [[nodiscard]] std::size_t bytes() const { return chunks_.size() * kChunk; }

 private:
  std::atomic<std::uint64_t>* total_;
  std::vector<std::unique_ptr<unsigned char[]>> chunks_;
  std::size_t used_ = 0;
};

}  // namespace dmcheck::checker
