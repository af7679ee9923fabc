#include "model/visibility.h"

#include "model/compiled.h"

namespace dmcheck::model::detail {
namespace {

/// A bound variable standing for every device or process outside the footprint at once: its
/// leaves read the same before and after the move, whichever it is.
constexpr std::uint8_t kElsewhere = 0xFF;

struct Judge {
  const Compiled& c;
  const FlatExpr& e;
  const State& before;
  const State& after;
  const Footprint& w;

  bool differs(std::uint16_t node, const Bindings& b) const {
    return evaluate_node(c, e, node, before, b) != evaluate_node(c, e, node, after, b);
  }

  bool inside_device(const FlatNode& ref, const Bindings& b) const {
    if (ref.var != 0) {
      return b[ref.var - 1] != kElsewhere;
    }
    const auto name = static_cast<std::uint32_t>(ref.value);
    return name < 32 && ((w.names >> name) & 1U) != 0;
  }

  bool quantified(const FlatNode& n, Bindings& b) const {
    const std::uint8_t saved = b[n.var - 1];
    bool changed = false;
    b[n.var - 1] = kElsewhere;
    changed = changes(n.a, b);
    if (n.over_devices) {
      for (std::uint8_t slot = 0; slot < w.used && !changed; ++slot) {
        if (((w.devices >> slot) & 1U) != 0) {
          b[n.var - 1] = slot;
          changed = changes(n.a, b);
        }
      }
    } else if (!changed) {
      b[n.var - 1] = w.process;
      changed = changes(n.a, b);
    }
    b[n.var - 1] = saved;
    return changed;
  }

  /// Whether every leaf under `node` reads inside the footprint (or none does: a constant).
  /// Such a subexpression reads in any state reached without the move what it reads in the
  /// state before, and after the move what it reads in the state after.
  bool inside(std::uint16_t node, const Bindings& b) const {
    const FlatNode& n = e[node];
    switch (n.op) {
      case ExprOp::constant:
      case ExprOp::table:
      case ExprOp::device_name:
        return true;
      case ExprOp::device:
        return inside_device(n, b);
      case ExprOp::process: {
        const std::uint8_t pid = n.var != 0 ? b[n.var - 1] : static_cast<std::uint8_t>(n.b);
        return pid == w.process && (static_cast<ProcessField>(n.field) != ProcessField::holds ||
                                    inside_device(e[n.a], b));
      }
      case ExprOp::kernel:
      case ExprOp::forall:
      case ExprOp::exists:
      case ExprOp::count:
        return false;
      case ExprOp::not_:
        return inside(n.a, b);
      default:
        return inside(n.a, b) && inside(n.b, b);
    }
  }

  /// `node` reads inside the footprint and is `value` both before and after the move.
  bool fixed_at(std::uint16_t node, const Bindings& b, bool value) const {
    return inside(node, b) && (evaluate_node(c, e, node, before, b) != 0) == value &&
           (evaluate_node(c, e, node, after, b) != 0) == value;
  }

  bool changes(std::uint16_t node, Bindings& b) const {
    const FlatNode& n = e[node];
    if (inside(node, b)) {
      return differs(node, b);
    }
    switch (n.op) {
      case ExprOp::device:
      case ExprOp::process:
      case ExprOp::kernel:  // the move leaves the kernel actors as they are (checked)
        return false;       // a leaf outside the footprint
      case ExprOp::not_:
        return changes(n.a, b);
      case ExprOp::forall:
      case ExprOp::exists:
      case ExprOp::count:
        return quantified(n, b);
      // An operand that decides the operator's value alone, before and after, hides the other.
      case ExprOp::and_:
        return !fixed_at(n.a, b, false) && !fixed_at(n.b, b, false) &&
               (changes(n.a, b) || changes(n.b, b));
      case ExprOp::or_:
        return !fixed_at(n.a, b, true) && !fixed_at(n.b, b, true) &&
               (changes(n.a, b) || changes(n.b, b));
      case ExprOp::implies:
        return !fixed_at(n.a, b, false) && !fixed_at(n.b, b, true) &&
               (changes(n.a, b) || changes(n.b, b));
      default:
        return changes(n.a, b) || changes(n.b, b);
    }
  }
};

}  // namespace

bool may_change(const Compiled& c, const FlatExpr& e, const State& before, const State& after,
                const Footprint& footprint) {
  Bindings bindings{};
  bindings.fill(kElsewhere);
  return Judge{c, e, before, after, footprint}.changes(0, bindings);
}

}  // namespace dmcheck::model::detail
