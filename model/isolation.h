#pragma once
/// Internal: what partial-order reduction may rely on in a configuration (model/ample.cpp).
///
/// Two processes can only meet on what their calls name: devices (and the tables stacked on
/// them), uuids, and the backing disks under their tables. Joining every name a process's
/// program mentions with the names, uuids and disks of its tables, and each initial device with
/// its own tables, splits a configuration into classes; a process alone in its class is
/// isolated: no other process, and not the internal suspender, ever touches a device of its
/// class. Only the worker and the prober roam over every device, and they are checked state by
/// state.

#include <cstdint>
#include <vector>

#include "model/expression_eval.h"
#include "model/state.h"

namespace dmcheck::model::detail {

struct Compiled;

/// A property decided by code: true when the state satisfies it.
using StateCheck = bool (*)(const Compiled&, const State&);

/// A checked expression, and the value that decides it once a state has it: false for an
/// invariant (violated), true for a goal or a premise (reached). A state that has it decides
/// the question there, whatever its moves do, so they need not be invisible to it.
struct WatchedExpression {
  FlatExpr expr;
  bool decided = false;
  /// A separable invariant (watch_properties): judged by its value, not by what it reads.
  bool separable = false;
};

struct PartialOrderPlan {
  /// False when the configuration has a call that touches every device (remove_all), no
  /// isolated process, or a checked property whose reading cannot be judged
  /// (watch_properties).
  bool enabled = false;
  std::vector<std::uint8_t> isolated;  ///< per process: 1 when alone in its class
  std::vector<std::uint32_t> names;    ///< per process: its class's names (bit per name index)
  std::vector<std::uint32_t> disks;    ///< per process: its class's backing disks
  /// Every checked property's expression and premise (model/visibility.h judges them).
  std::vector<WatchedExpression> expressions;
  /// Checked invariants defined in code, each separable (watch_properties).
  std::vector<StateCheck> invariants;
};

/// The classes of `c`'s processes; `enabled` unless some call touches every device or no
/// process is isolated.
PartialOrderPlan isolate(const Compiled& c);

/// Adds the checked properties to `plan` (properties.cpp); turns the reduction off when one is
/// defined in code and is not among those known to be separable: a conjunction, over devices,
/// processes or pairs of them, of a test that can fail only for a pair within one class (or
/// one device or process and what refers to it). A move inside a footprint then keeps such an
/// invariant wherever it is taken if it keeps it in the state it is taken from.
void watch_properties(const Compiled& c, PartialOrderPlan& plan);

}  // namespace dmcheck::model::detail
