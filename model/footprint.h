#pragma once
/// Internal: what one process's move may touch, for partial-order reduction (model/ample.cpp,
/// docs/reductions.md).

#include <cstdint>
#include <optional>
#include <vector>

#include "model/state.h"

namespace dmcheck::model::detail {

struct Compiled;

/// A process's move and what it may touch.
struct Footprint {
  std::uint32_t devices = 0;  ///< device slots (bit per slot)
  std::uint32_t names = 0;    ///< names of its class (bit per name index)
  std::uint8_t process = 0;   ///< the moving process
  std::uint8_t used = 0;      ///< device slots in use (the move creates none)
  /// Device slot + 1 of the one footprint device the prober may open or close before the
  /// process moves (a uevent waits on it, or the prober holds it), 0 none.
  std::uint8_t probed = 0;
};

/// The footprint of process `pid` in `s`, if no actor but the prober can reach it before the
/// process moves.
std::optional<Footprint> footprint(const Compiled& c, const State& s, std::size_t pid);

/// Whether the move from `s` to `n` wrote inside the footprint only, left the kernel actors and
/// the bound alone, and gave the worker nothing new to choose from.
bool stays_inside(const Compiled& c, const State& s, const State& n, const Footprint& w);

/// The checked properties that the state being expanded does not decide yet, which a move
/// explored alone must not change (PartialOrderPlan::expressions and ::invariants, in order).
class Watch {
 public:
  Watch(const Compiled& c, const State& s);
  [[nodiscard]] bool open(std::size_t i) const { return open_[i] != 0; }

 private:
  std::vector<std::uint8_t> open_;
};

/// Whether the move from `x` to `n` changes no property `watch` holds open, where it could be
/// seen (`x` is the state expanded or follows it by the prober's moves).
bool invisible(const Compiled& c, const Watch& watch, const State& x, const State& n,
               const Footprint& w);

}  // namespace dmcheck::model::detail
