#pragma once
/// The built-in conformance universe: a small set of disks, tables and device names over which
/// traces are generated, the calls a generated trace may use, and directed traces that reach
/// situations a short exhaustive search does not (a thin-pool shrink, a crypt key wipe, a
/// failed size check, verity, stacked devices, deferred removal and its cancel).

#include <string>
#include <vector>

#include "conformance/trace.h"
#include "model/config.h"

namespace dmcheck::conformance {

/// Disks d0..d2, tables and names, predicted by the model's `base` kernel (6.1 is the kernel
/// Debian's user-mode-linux ships; 6.12 the one scripts/build-kernel builds).
model::Config universe(model::Base base = model::Base::v6_1);

/// Every call a generated trace may make, in a fixed order.
std::vector<std::string> alphabet();

/// Hand-written traces for the situations the issue names.
std::vector<Trace> directed_traces();

/// The directed traces about thin devices and thin-pool messages (thin_traces.cpp).
std::vector<Trace> thin_traces();

/// The calls of random walks about integrity metadata: verity tables of two root hashes, a bad
/// one, error and linear, all read-only, and the calls around them (integrity_traces.cpp).
std::vector<std::string> integrity_alphabet();

/// Directed traces about integrity metadata, with injected failures: for a kernel with the
/// integrity probe (integrity_traces.cpp).
std::vector<Trace> integrity_traces();

}  // namespace dmcheck::conformance
