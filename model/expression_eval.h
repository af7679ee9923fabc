#pragma once
/// Evaluating a property expression (model/expression.h) on a state: names resolved once when
/// the model is built, then every state read directly.

#include <array>
#include <cstdint>
#include <vector>

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

/// A resolved expression laid out for evaluation: every node in one array, 24 bytes each, the
/// root first, so that checking a property on each of millions of states walks a few cache
/// lines and no strings.
struct FlatNode;
struct Evaluation;
/// A node's evaluation: each kind of node has its own function (expression_eval.cpp).
using NodeFn = std::int64_t (*)(Evaluation&, const FlatNode&);

struct FlatNode {
  NodeFn fn = nullptr;
  ExprOp op = ExprOp::constant;
  std::uint8_t field = 0;
  std::uint8_t var = 0;
  std::uint8_t over_devices = 0;
  std::int32_t value = 0;  ///< Expr::value
  std::uint16_t a = 0;     ///< the first operand's index
  std::uint16_t b = 0;     ///< the second operand's index; a named process's index
};
using FlatExpr = std::vector<FlatNode>;

/// The resolved expression `e`, flattened.
FlatExpr flatten(const Expr& e);

/// The value of the flattened expression `e` in `s`: a truth value is 0 or 1.
std::int64_t evaluate(const detail::Compiled& c, const FlatExpr& e, const State& s);

/// What each bound variable stands for: a device slot or a process index.
using Bindings = std::array<std::uint8_t, kMaxBoundVariables>;

/// The value of node `node` of `e` in `s` with its bound variables as `bound` says.
std::int64_t evaluate_node(const detail::Compiled& c, const FlatExpr& e, std::uint16_t node,
                           const State& s, const Bindings& bound);

}  // namespace dmcheck::model
