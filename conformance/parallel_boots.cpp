#include "conformance/parallel_boots.h"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace dmcheck::conformance {

void run_boots(std::size_t boots, std::size_t jobs, const RunBoot& run, const TakeBoot& take) {
  std::mutex mutex;
  std::condition_variable done;
  std::vector<std::optional<tl::expected<GuestRun, Error>>> results(boots);
  std::size_t next = 0;
  bool stop = false;
  const auto work = [&](std::size_t guest) {
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    ::pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    for (;;) {
      std::size_t boot = 0;
      {
        const std::lock_guard lock(mutex);
        if (stop || next == boots) {
          return;
        }
        boot = next++;
      }
      auto result = run(boot, guest);
      const std::lock_guard lock(mutex);
      results[boot] = std::move(result);
      done.notify_all();
    }
  };
  std::vector<std::thread> workers;
  for (std::size_t guest = 0; guest < std::max<std::size_t>(1, std::min(jobs, boots)); ++guest) {
    workers.emplace_back(work, guest);
  }
  for (std::size_t boot = 0; boot < boots; ++boot) {
    std::unique_lock lock(mutex);
    done.wait(lock, [&] { return results[boot].has_value(); });
    auto result = std::move(*results[boot]);
    results[boot].reset();
    lock.unlock();
    if (!take(boot, std::move(result))) {
      const std::lock_guard stop_lock(mutex);
      stop = true;
      break;
    }
  }
  for (auto& worker : workers) {
    worker.join();
  }
}

}  // namespace dmcheck::conformance
