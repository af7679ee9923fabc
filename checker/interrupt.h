#pragma once
/// SIGINT and SIGTERM turn a run into a clean partial result. While a guard lives, the first
/// signal sets a flag that every long loop polls (the engine, a multi-scenario command, a
/// conformance run); a second one runs the kill hook, restores the default action and re-raises,
/// so a user can still kill a run that does not stop.
///
/// Guards nest: only the outermost installs the handlers and clears the flag, so a command that
/// runs many explorations keeps one flag for all of them and stops them all at once.

#include <csignal>

namespace dmcheck::checker {

class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
};

/// True once SIGINT or SIGTERM arrived under a live guard; a new outermost guard starts cleared.
bool interrupt_requested();

/// The signal that requested the stop (SIGINT or SIGTERM), 0 when none did.
int interrupt_signal();

/// "SIGINT", "SIGTERM" or "signal N".
const char* signal_name(int signal_number);

/// A function run inside the signal handler when a second signal kills the process at once,
/// e.g. to kill child processes that would otherwise outlive it. It must be async-signal-safe.
/// nullptr removes it. The caller keeps it valid while it is set. Returns the hook it replaces,
/// for the caller to chain to and to put back.
using KillHook = void (*)() noexcept;
KillHook set_kill_hook(KillHook hook);

}  // namespace dmcheck::checker
