#include "checker/interrupt.h"

#include <atomic>
#include <csignal>

namespace dmcheck::checker {

namespace {

std::atomic<bool> g_requested{false};
struct sigaction g_previous {};
int g_depth = 0;  // guards may nest (a run inside a run); only the outermost installs

extern "C" void on_sigint(int signal_number) {
  if (g_requested.exchange(true)) {
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
  }
}

}  // namespace

InterruptGuard::InterruptGuard() {
  if (g_depth++ == 0) {
    g_requested = false;
    struct sigaction action {};
    action.sa_handler = on_sigint;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &g_previous);
  }
}

InterruptGuard::~InterruptGuard() {
  if (--g_depth == 0) {
    sigaction(SIGINT, &g_previous, nullptr);
  }
}

bool interrupt_requested() { return g_requested.load(std::memory_order_relaxed); }

}  // namespace dmcheck::checker
