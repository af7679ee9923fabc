#include "checker/interrupt.h"

#include <atomic>
#include <iterator>

namespace dmcheck::checker {

namespace {

constexpr int kSignals[] = {SIGINT, SIGTERM};

std::atomic<int> g_signal{0};
std::atomic<KillHook> g_kill_hook{nullptr};
struct sigaction g_previous[2]{};
int g_depth = 0;  // guards may nest (a run inside a run); only the outermost installs

extern "C" void on_signal(int signal_number) {
  int none = 0;
  if (!g_signal.compare_exchange_strong(none, signal_number)) {
    if (KillHook hook = g_kill_hook.load()) {
      hook();
    }
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
  }
}

}  // namespace

InterruptGuard::InterruptGuard() {
  if (g_depth++ == 0) {
    g_signal = 0;
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    for (std::size_t i = 0; i < std::size(kSignals); ++i) {
      sigaction(kSignals[i], &action, &g_previous[i]);
    }
  }
}

InterruptGuard::~InterruptGuard() {
  if (--g_depth == 0) {
    for (std::size_t i = 0; i < std::size(kSignals); ++i) {
      sigaction(kSignals[i], &g_previous[i], nullptr);
    }
  }
}

bool interrupt_requested() { return g_signal.load(std::memory_order_relaxed) != 0; }

int interrupt_signal() { return g_signal.load(std::memory_order_relaxed); }

const char* signal_name(int signal_number) {
  switch (signal_number) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    default:
      return "a signal";
  }
}

KillHook set_kill_hook(KillHook hook) { return g_kill_hook.exchange(hook); }

}  // namespace dmcheck::checker
