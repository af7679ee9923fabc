#pragma once
/// SIGINT turns a run into a clean partial result. While a guard lives, the first SIGINT sets a
/// flag the engine polls; a second one restores the default action and re-raises, so a user can
/// still kill a run that does not stop.

namespace dmcheck::checker {

class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
};

/// True once SIGINT arrived under a live guard; a new guard starts cleared.
bool interrupt_requested();

}  // namespace dmcheck::checker
