#pragma once
/// A progress line on stderr for long runs: shown after about two seconds when stderr is a
/// terminal (rewritten in place) or when asked (one line per report, for logs).

#include <chrono>
#include <cstdint>

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
  explicit ProgressReporter(ProgressMode mode);
  ~ProgressReporter();
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  /// Cheap to call often: prints only when a report is due.
  void update(std::chrono::steady_clock::time_point now, const ProgressSnapshot& snapshot);

 private:
  bool enabled_;
  bool terminal_;
  bool printed_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point next_;
};

}  // namespace dmcheck::checker
