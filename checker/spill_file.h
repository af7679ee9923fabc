#pragma once
/// Disk room for the breadth-first engine's append-only bulk — the packed states of the levels
/// waiting and the parent links — so that memory holds the visited set and little else.
///
/// One file per SpillFile, created in the directory the user names and unlinked at once, so it
/// is gone when the process ends, however it ends. A chunk starts as ordinary memory; once its
/// owner is done writing it, seal() writes it to a free slot of the file and maps that slot
/// read-only at the same address, so pointers into it stay valid while the kernel may drop its
/// pages and read them back as memory requires. (Writing through a shared mapping instead would
/// take a write fault, and a journal update, per page.) A full disk shows as SpillFull from
/// seal(); a chunk given back has its slot's blocks freed (a punched hole, so pages never written
/// out are not) and the slot reused.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <tl/expected.hpp>
#include <unordered_map>
#include <vector>

#include "checker/error.h"

namespace dmcheck::checker {

/// The disk under a spill file could not take another chunk.
struct SpillFull : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class SpillFile {
 public:
  /// A file in `dir` for chunks of `slot_bytes` (a multiple of the page size).
  static tl::expected<std::unique_ptr<SpillFile>, Error> create(const std::string& dir,
                                                                std::size_t slot_bytes);
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  /// A writable chunk of slot_bytes, in memory until sealed. Safe alongside any member.
  unsigned char* take();
  /// Moves a chunk take() returned to the file, read-only from now on; throws SpillFull when the
  /// disk has no room for it. Safe alongside any member, and alongside reads of the chunk.
  void seal(unsigned char* chunk);
  /// Frees a chunk take() returned, in memory or in the file. Safe alongside any member.
  void give_back(unsigned char* chunk);

  /// Bytes of the file's chunks (sealed and not given back), and the most there ever were.
  [[nodiscard]] std::uint64_t bytes() const;
  [[nodiscard]] std::uint64_t peak_bytes() const;

 private:
  SpillFile(int fd, std::string dir, std::size_t slot_bytes)
      : fd_(fd), dir_(std::move(dir)), slot_bytes_(slot_bytes) {}
  static constexpr std::size_t kInMemory = ~std::size_t{0};

  /// A free slot of the file, taken.
  std::size_t take_slot();
  [[noreturn]] void full(int error);

  int fd_;
  std::string dir_;  ///< for messages
  std::size_t slot_bytes_;
  mutable std::mutex mutex_;
  std::vector<std::size_t> free_slots_;
  std::unordered_map<unsigned char*, std::size_t> chunks_;  ///< chunk to its slot, or kInMemory
  std::size_t slots_ = 0;                                   ///< slots the file has had
  std::size_t sealed_ = 0;                                  ///< chunks in the file
  std::size_t peak_sealed_ = 0;
};

/// Frees a chunk: gives it back to its spill file, or deletes it.
class ChunkRelease {
 public:
  ChunkRelease() = default;
  explicit ChunkRelease(SpillFile* file) : file_(file) {}
  void operator()(unsigned char* chunk) const;

 private:
  SpillFile* file_ = nullptr;
};
using Chunk = std::unique_ptr<unsigned char[], ChunkRelease>;

/// `bytes` of memory, from `file` (whose slots must be `bytes` long) when it is given.
Chunk take_chunk(SpillFile* file, std::size_t bytes);

}  // namespace dmcheck::checker
