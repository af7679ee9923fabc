#include "checker/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace dmcheck::checker {

namespace {
constexpr auto kFirstReport = std::chrono::seconds(2);
constexpr auto kInterval = std::chrono::seconds(1);
}  // namespace

ProgressReporter::ProgressReporter(ProgressMode mode)
    : enabled_(mode == ProgressMode::always ||
               (mode == ProgressMode::automatic && isatty(STDERR_FILENO) == 1)),
      terminal_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      next_(start_ + kFirstReport) {}

ProgressReporter::~ProgressReporter() {
  if (printed_ && terminal_) {
    fmt::print(stderr, "\n");
  }
}

void ProgressReporter::update(std::chrono::steady_clock::time_point now,
                              const ProgressSnapshot& s) {
  if (!enabled_ || now < next_) {
    return;
  }
  next_ = now + kInterval;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const std::string line = fmt::format(
      "dmcheck: {:.0f}s  {} states  {} transitions  depth {}  frontier {}  {:.0f} states/s  {} MiB",
      seconds, s.states, s.transitions, s.depth, s.frontier, s.states / seconds,
      s.engine_bytes >> 20);
  if (terminal_) {
    fmt::print(stderr, "\r{}\x1b[K", line);
  } else {
    fmt::print(stderr, "{}\n", line);
  }
  std::fflush(stderr);
  printed_ = true;
}

}  // namespace dmcheck::checker
