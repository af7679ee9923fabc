#pragma once
/// Internal: whether one move can change a property's value (model/ample.cpp).
///
/// The move is a process's, and touches only its footprint: the process itself and the device
/// slots of its class (model/isolation.h). Everything else — other devices, other processes, the
/// kernel actors — is the same before and after it, in the state it is taken from and in every
/// state reached from there without it. An expression's value is a function of the fields it
/// reads (its leaves, one per binding of its variables); a leaf of a device or process outside
/// the footprint reads the same before and after the move, wherever it is taken, and a leaf
/// inside it reads there what it reads here, since nothing else writes the footprint. So if
/// every leaf inside the footprint reads the same before and after the move here, the
/// expression has the same value before and after it in all those states. The same holds of a
/// whole subexpression all of whose leaves are inside (a quantifier's body for a device of the
/// footprint, say): it may be compared by its value instead of leaf by leaf, and when it
/// decides an `and`, `or` or `implies` alone, before and after, the other operand is moot.

#include <cstdint>

#include "model/expression_eval.h"
#include "model/footprint.h"
#include "model/state.h"

namespace dmcheck::model::detail {

struct Compiled;

/// Whether some leaf of `e` inside `footprint` reads differently in `before` and `after`.
bool may_change(const Compiled& c, const FlatExpr& e, const State& before, const State& after,
                const Footprint& footprint);

}  // namespace dmcheck::model::detail
