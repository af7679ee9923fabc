#pragma once
/// Evaluating a property expression (model/expression.h) on a state: names resolved once when
/// the model is built, then every state read directly.

#include <cstdint>

#include "model/expression.h"
#include "model/state.h"

namespace dmcheck::model {

namespace detail {
struct Compiled;
}

/// Bound variables are numbered from 1; a property nests at most this many quantifiers.
inline constexpr std::size_t kMaxBoundVariables = 8;

/// `e` with every name replaced by the index the state uses for it (Expr::value): devices and
/// device names by name index, tables by table reference, processes by index, `last is` calls by
/// their watched-call number. The names must be the compiled configuration's (the scenario front
/// end checks them).
Expr resolve(const detail::Compiled& c, Expr e);

/// The value of the resolved expression `e` in `s`: a truth value is 0 or 1.
std::int64_t evaluate(const detail::Compiled& c, const Expr& e, const State& s);

}  // namespace dmcheck::model
