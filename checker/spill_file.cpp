#include "checker/spill_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <new>

namespace dmcheck::checker {

tl::expected<std::unique_ptr<SpillFile>, Error> SpillFile::create(const std::string& dir,
                                                                  std::size_t slot_bytes) {
  std::string name = (std::filesystem::path(dir) / "dmcheck-spill-XXXXXX").string();
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) {
    return tl::unexpected(
        Error{ErrorKind::system,
              fmt::format("cannot create a spill file in {}: {}", dir, std::strerror(errno)),
              std::nullopt});
  }
  ::unlink(name.c_str());  // nothing is left behind, however the process ends
  return std::unique_ptr<SpillFile>(new SpillFile(fd, dir, slot_bytes));
}

SpillFile::~SpillFile() {
  for (const auto& [chunk, slot] : chunks_) {
    ::munmap(chunk, slot_bytes_);
  }
  ::close(fd_);
}

unsigned char* SpillFile::take() {
  void* chunk =
      ::mmap(nullptr, slot_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (chunk == MAP_FAILED) {
    throw std::bad_alloc();
  }
  const std::lock_guard<std::mutex> lock(mutex_);
  chunks_.emplace(static_cast<unsigned char*>(chunk), kInMemory);
  return static_cast<unsigned char*>(chunk);
}

std::size_t SpillFile::take_slot() {
  const std::lock_guard<std::mutex> lock(mutex_);
  if (free_slots_.empty()) {
    return slots_++;
  }
  const std::size_t slot = free_slots_.back();
  free_slots_.pop_back();
  return slot;
}

void SpillFile::full(int error) {
  throw SpillFull(fmt::format("the spill file in {} cannot grow past {} MiB: {}", dir_,
                              (bytes() >> 20), std::strerror(error)));
}

void SpillFile::seal(unsigned char* chunk) {
  const std::size_t slot = take_slot();
  const auto offset = static_cast<off_t>(slot * slot_bytes_);
  for (std::size_t done = 0; done < slot_bytes_;) {
    const ssize_t n =
        ::pwrite(fd_, chunk + done, slot_bytes_ - done, offset + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      const int error = n < 0 ? errno : ENOSPC;
      {
        const std::lock_guard<std::mutex> lock(mutex_);
        free_slots_.push_back(slot);
      }
      full(error);
    }
    done += static_cast<std::size_t>(n);
  }
  // The same bytes at the same address: readers see no change, and the memory is freed.
  if (::mmap(chunk, slot_bytes_, PROT_READ, MAP_SHARED | MAP_FIXED, fd_, offset) == MAP_FAILED) {
    throw std::bad_alloc();
  }
  const std::lock_guard<std::mutex> lock(mutex_);
  chunks_[chunk] = slot;
  peak_sealed_ = std::max(peak_sealed_, ++sealed_);
}

void SpillFile::give_back(unsigned char* chunk) {
  const std::lock_guard<std::mutex> lock(mutex_);
  const auto it = chunks_.find(chunk);
  if (it == chunks_.end()) {
    return;
  }
  ::munmap(chunk, slot_bytes_);
  if (const std::size_t slot = it->second; slot != kInMemory) {
    // Pages not yet written out never will be; the slot keeps its place in the file.
    ::fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                static_cast<off_t>(slot * slot_bytes_), static_cast<off_t>(slot_bytes_));
    free_slots_.push_back(slot);
    --sealed_;
  }
  chunks_.erase(it);
}

std::uint64_t SpillFile::bytes() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return sealed_ * std::uint64_t{slot_bytes_};
}

std::uint64_t SpillFile::peak_bytes() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return peak_sealed_ * std::uint64_t{slot_bytes_};
}

void ChunkRelease::operator()(unsigned char* chunk) const {
  if (file_) {
    file_->give_back(chunk);
  } else {
    delete[] chunk;
  }
}

Chunk take_chunk(SpillFile* file, std::size_t bytes) {
  if (file) {
    return Chunk(file->take(), ChunkRelease(file));
  }
  return Chunk(new unsigned char[bytes], ChunkRelease());
}

}  // namespace dmcheck::checker
