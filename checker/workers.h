#pragma once
/// The threads a parallel search runs on: a oneTBB arena of a fixed number of threads, each
/// call of a loop told which of them runs it (0 .. count() - 1), so per-thread scratch can be a
/// plain array.
///
/// Under ThreadSanitizer the same loops run on std::threads instead: Debian's libtbb is not
/// instrumented, so the sanitizer cannot see the ordering its scheduler guarantees and would
/// report the engine's hand-offs between levels as races. Everything the loops call is the same.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

#if !defined(__SANITIZE_THREAD__)
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#endif

namespace dmcheck::checker {

class Workers {
 public:
  explicit Workers(unsigned threads)
      : count_(std::max(threads, 1u))
#if !defined(__SANITIZE_THREAD__)
        ,
        arena_(static_cast<int>(count_))
#endif
  {
  }

  [[nodiscard]] unsigned count() const { return count_; }

  /// Calls fn(i, worker) for every i in [0, n), in no particular order, spread over the workers;
  /// returns when all are done.
  template <class Fn>
  void for_each(std::size_t n, Fn&& fn) {
#if !defined(__SANITIZE_THREAD__)
    arena_.execute([&] {
      tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) {
        fn(i, static_cast<unsigned>(tbb::this_task_arena::current_thread_index()));
      });
    });
#else
    std::atomic<std::size_t> next{0};
    const auto work = [&](unsigned worker) {
      for (std::size_t i = next++; i < n; i = next++) {
        fn(i, worker);
      }
    };
    std::vector<std::thread> threads;
    for (unsigned w = 1; w < count_; ++w) {
      threads.emplace_back(work, w);
    }
    work(0);
    for (std::thread& t : threads) {
      t.join();
    }
#endif
  }

 private:
  unsigned count_;
#if !defined(__SANITIZE_THREAD__)
  tbb::task_arena arena_;
#endif
};

}  // namespace dmcheck::checker
