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
    fmt::print(out_, "\n");
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
    fmt::print(out_, "\r{}\x1b[K", line);
  } else {
    fmt::print(out_, "{}\n", line);
  }
  std::fflush(out_);
  printed_ = true;
}

}  // namespace dmcheck::checker
