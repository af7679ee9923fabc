#include "checker/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace dmcheck::checker {

namespace {
constexpr auto kFirstReport = std::chrono::seconds(2);
constexpr auto kInterval = std::chrono::seconds(1);
}  // namespace

ProgressReporter::ProgressReporter(ProgressMode mode, std::FILE* out)
    : out_(out),
      enabled_(mode == ProgressMode::always ||
               (mode == ProgressMode::automatic && isatty(fileno(out)) == 1)),
      terminal_(isatty(fileno(out)) == 1),
      start_(std::chrono::steady_clock::now()),
      next_(start_ + kFirstReport) {}

ProgressReporter::~ProgressReporter() {
  if (printed_ && terminal_) {
    std::fputs("\n", out_);
  }
}

void ProgressReporter::count_earlier(double seconds) {
  start_ -= std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(seconds));
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
  // Plain stdio: a progress line that cannot be written (stderr closed) must not stop a run.
  std::fputs((terminal_ ? "\r" + line + "\x1b[K" : line + "\n").c_str(), out_);
  std::fflush(out_);
  printed_ = true;
}

}  // namespace dmcheck::checker
