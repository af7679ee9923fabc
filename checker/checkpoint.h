#pragma once
/// A breadth-first run saved between two levels, so that a run stopped by a signal, a limit or
/// a crash goes on later where it was and ends exactly as an uninterrupted run would: the same
/// states, transitions, depth, verdicts and traces.
///
/// The file holds what the search keeps (the visited fingerprints, the parent links, the level
/// waiting to be expanded) and what it has decided (each property's deciding state, each
/// premise, the first deadlock), after a summary saying which run it belongs to. It is written
/// to FILE.partial and renamed over FILE once complete, so FILE is always a whole checkpoint; a
/// checksum over every byte finds a damaged or truncated one. Its numbers are in this machine's
/// byte order, for this build's State: a checkpoint is resumed by the same dmcheck.

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "checker/error.h"
#include "checker/options.h"
#include "checker/verdicts.h"

namespace dmcheck::checker {

/// Writes a checkpoint: numbers and bytes in order, the checksum and the rename on commit().
/// A writer destroyed before commit() removes its partial file.
class CheckpointWriter {
 public:
  /// Opens `path`.partial for writing.
  static tl::expected<CheckpointWriter, Error> create(const std::string& path);
  CheckpointWriter(CheckpointWriter&& other) noexcept;
  CheckpointWriter& operator=(CheckpointWriter&&) = delete;
  CheckpointWriter(const CheckpointWriter&) = delete;
  CheckpointWriter& operator=(const CheckpointWriter&) = delete;
  ~CheckpointWriter();

  void u8(std::uint8_t v) { bytes(&v, sizeof v); }
  void u32(std::uint32_t v) { bytes(&v, sizeof v); }
  void u64(std::uint64_t v) { bytes(&v, sizeof v); }
  void f64(double v) { bytes(&v, sizeof v); }
  void text(const std::string& v);
  void bytes(const void* data, std::size_t size);

  /// Ends the file with its checksum, flushes it to the disk and renames it over `path`.
  tl::expected<void, Error> commit();

 private:
  CheckpointWriter(std::string path, std::FILE* file);
  [[nodiscard]] Error failure(const std::string& what) const;

  std::string path_;
  std::FILE* file_;
  struct Hash;
  Hash* hash_;
  bool failed_ = false;
};

/// Reads a checkpoint written by CheckpointWriter. open() checks the whole file's checksum
/// before anything is read from it. A read past the end leaves zeros and marks the reader
/// failed; finish() then says the file ends early.
class CheckpointReader {
 public:
  static tl::expected<CheckpointReader, Error> open(const std::string& path);
  CheckpointReader(CheckpointReader&& other) noexcept;
  CheckpointReader& operator=(CheckpointReader&&) = delete;
  CheckpointReader(const CheckpointReader&) = delete;
  CheckpointReader& operator=(const CheckpointReader&) = delete;
  ~CheckpointReader();

  std::uint8_t u8();
  std::uint32_t u32();
  std::uint64_t u64();
  double f64();
  std::string text();
  void bytes(void* data, std::size_t size);
  /// Bytes left before the checksum: a count read from the file is checked against it before
  /// anything is allocated for it.
  [[nodiscard]] std::uint64_t remaining() const;
  /// Whether `count` records of `size` bytes each fit in what is left.
  [[nodiscard]] bool fits(std::uint64_t count, std::uint64_t size) const {
    return size == 0 || count <= remaining() / size;
  }

  /// The error for a file whose content makes no sense at `what`.
  [[nodiscard]] Error damaged(const std::string& what) const;
  /// Nothing when no signal asked the process to stop; else the error saying the reading of
  /// this file was cut short, so no run starts from half of it.
  [[nodiscard]] tl::expected<void, Error> not_interrupted() const;
  /// Checks that everything was read, no more and no less.
  tl::expected<void, Error> finish();

 private:
  CheckpointReader(std::string path, std::FILE* file, std::uint64_t size);
  tl::expected<void, Error> verify_checksum();

  std::string path_;
  std::FILE* file_;
  std::uint64_t size_;      ///< the file's bytes, checksum included
  std::uint64_t read_ = 0;  ///< bytes read so far
  bool short_ = false;
};

/// Everything of a checkpoint but the bulk: which run it is of, and where that run was.
struct CheckpointSummary {
  std::uint64_t identity = 0;  ///< see run_identity()
  std::uint32_t state_size = 0;
  /// The options that change a result; the others (threads, limits, progress) may differ.
  std::optional<std::uint32_t> max_depth;
  bool check_deadlock = true;
  bool stop_at_first_violation = false;
  Reduction reduction = Reduction::all;
  std::vector<std::string> properties;
  Findings<std::uint32_t> found;
  std::uint32_t depth = 0;  ///< the level the run expands next
  std::uint64_t transitions = 0;
  std::uint32_t max_depth_seen = 0;
  std::uint64_t peak_frontier = 0;
  double seconds = 0;  ///< wall time the run had taken
};

void write_summary(CheckpointWriter& out, const CheckpointSummary& summary);
tl::expected<CheckpointSummary, Error> read_summary(CheckpointReader& in);

/// Why a run with `current` cannot go on from `saved` (one sentence), or "" when it can.
std::string resume_mismatch(const CheckpointSummary& saved, const CheckpointSummary& current);

/// The identity of a run: a hash of what the caller says the run is of (options.identity, e.g.
/// a scenario's text and variant), the State's size, the initial states' fingerprints and the
/// properties' names.
std::uint64_t run_identity(const std::string& caller_identity, std::uint32_t state_size,
                           const std::vector<std::uint64_t>& initial_fingerprints,
                           const std::vector<std::string>& properties);

}  // namespace dmcheck::checker
