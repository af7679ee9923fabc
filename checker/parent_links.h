#pragma once
/// How the breadth-first engine reached each state: per state id (dense, in discovery order) the
/// id of its parent and the index of the action that led there, in 5 bytes. Action indices from
/// 255 up (rare: a state with that many successors) are kept aside in a map. Records live in
/// fixed chunks, so the links grow without copying and without a doubling's slack. With a spill
/// file, each chunk whose ids were all set before a resize() is sealed into the file
/// (spill_file.h).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "checker/spill_file.h"

namespace dmcheck::checker {

class ParentLinks {
 public:
  using Id = std::uint32_t;
  static constexpr Id kNoParent = 0xFFFFFFFFu;
  /// The most states the links can number (ids stay below kNoParent).
  static constexpr std::uint64_t kCapacity = 0xFFFFFFFEu;

  /// Takes the chunks made from now on from `file`, whose slots must be kChunkBytes long.
  void spill_to(SpillFile* file) { spill_ = file; }
  static constexpr std::size_t kChunkBytes = (std::size_t{1} << 20) * 5;

  /// Makes room for ids below `count`; a record reads as garbage until set. Every id below the
  /// size before must have been set: none is set again. Not safe alongside any other member.
  void resize(std::uint64_t count);
  /// Records id's link; safe alongside set() of other ids.
  void set(Id id, Id parent, std::uint32_t action);

  [[nodiscard]] Id parent(Id id) const;
  [[nodiscard]] std::uint32_t action(Id id) const;
  [[nodiscard]] std::uint64_t size() const { return size_; }
  /// Bytes of memory the links hold (chunks in a spill file are not counted).
  [[nodiscard]] std::uint64_t bytes() const;

 private:
  static constexpr unsigned kChunkBits = 20;
  static constexpr std::size_t kChunk = std::size_t{1} << kChunkBits;  ///< records per chunk
  static constexpr std::size_t kRecord = 5;
  static_assert(kChunk * kRecord == kChunkBytes);
  static constexpr std::uint8_t kActionAside = 255;

  [[nodiscard]] unsigned char* record(Id id) const {
    return chunks_[id >> kChunkBits].get() + (id & (kChunk - 1)) * kRecord;
  }

  std::vector<Chunk> chunks_;
  SpillFile* spill_ = nullptr;
  std::size_t sealed_ = 0;  ///< chunks moved to spill_
  std::uint64_t size_ = 0;
  std::unordered_map<Id, std::uint32_t> large_actions_;
  std::mutex large_actions_mutex_;
};

}  // namespace dmcheck::checker
