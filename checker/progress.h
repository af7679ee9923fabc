#pragma once
/// A progress line on stderr for long runs: shown after about two seconds when stderr is a
/// terminal (rewritten in place) or when asked (one line per report, for logs).

#include <chrono>
#include <cstdint>
#include <cstdio>

#include "checker/options.h"

namespace dmcheck::checker {

struct ProgressSnapshot {
  std::uint64_t states;
  std::uint64_t transitions;
  std::uint32_t depth;
  std::uint64_t frontier;
  std::uint64_t engine_bytes;
};

class ProgressReporter {
 public:
  /// Reports to `out` (stderr for the engine); `automatic` reports only if `out` is a terminal.
  explicit ProgressReporter(ProgressMode mode, std::FILE* out = stderr);
  ~ProgressReporter();
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  /// Counts `seconds` a run took before it was stopped and resumed into the time the lines give
  /// (and the states per second), as the final statistics count them.
  void count_earlier(double seconds);

  /// Cheap to call often: prints only when a report is due.
  void update(std::chrono::steady_clock::time_point now, const ProgressSnapshot& snapshot);

 private:
  std::FILE* out_;
  bool enabled_;
  bool terminal_;
  bool printed_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point next_;
};

}  // namespace dmcheck::checker
