#pragma once
/// Boots of the guest run on several kernels at once, their results taken in boot order: a
/// conformance run with N jobs reports exactly what it reports with one.

#include <cstddef>
#include <functional>
#include <tl/expected.hpp>

#include "checker/error.h"
#include "conformance/uml_session.h"

namespace dmcheck::conformance {

/// Performs boot `boot` on guest slot `guest` (0 .. jobs-1; each slot has its own fixtures).
/// Called on a worker thread; two calls never share a guest slot.
using RunBoot = std::function<tl::expected<GuestRun, Error>(std::size_t boot, std::size_t guest)>;
/// Takes boot `boot`'s result on the calling thread, in boot order; false: start no more boots.
using TakeBoot = std::function<bool(std::size_t boot, tl::expected<GuestRun, Error> run)>;

/// Runs boots 0 .. boots-1 on `jobs` worker threads (at least 1) and hands each result to
/// `take` in order. SIGINT and SIGTERM are blocked on the workers, so the calling thread takes
/// them (checker/interrupt.h); a boot polls the interrupt flag itself. After `take` says stop,
/// boots already running finish and are dropped.
void run_boots(std::size_t boots, std::size_t jobs, const RunBoot& run, const TakeBoot& take);

}  // namespace dmcheck::conformance
