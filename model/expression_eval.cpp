#include "model/expression_eval.h"

#include <array>
#include <optional>

#include "model/compiled.h"

namespace dmcheck::model {

namespace {

using Bindings = std::array<std::uint8_t, kMaxBoundVariables>;

struct Evaluator {
  // A constructor, not aggregate initialization, which would zero `named` on every evaluation.
  Evaluator(const detail::Compiled& compiled, const FlatNode* flat, const State& state)
      : c(compiled), nodes(flat), s(state) {}

  const detail::Compiled& c;
  const FlatNode* nodes;
  const State& s;
  Bindings bound;  ///< written by a quantifier before its body reads it
  static constexpr std::uint32_t kCached = 64;
  std::uint64_t cached = 0;  ///< which names `named` holds a lookup for
  std::array<const Device*, kCached> named;

  /// Node `i`'s value; constants and device fields, most of the leaves, without a dispatch.
  std::int64_t at(std::uint16_t i) {
    const FlatNode& n = nodes[i];
    if (n.op <= ExprOp::device_name) {
      return n.value;
    }
    if (n.op == ExprOp::device) {
      return device_field(n);
    }
    return (*this)(n);
  }

  std::int64_t operator()(const FlatNode& e) {
    switch (e.op) {
      case ExprOp::constant:
      case ExprOp::table:
      case ExprOp::device_name:
        return e.value;
      case ExprOp::device:
        return device_field(e);
      case ExprOp::process:
        return process_field(e);
      case ExprOp::kernel:
        return kernel_field(e);
      case ExprOp::not_:
        return at(e.a) == 0 ? 1 : 0;
      case ExprOp::and_:
        return at(e.a) != 0 && at(e.b) != 0 ? 1 : 0;
      case ExprOp::or_:
        return at(e.a) != 0 || at(e.b) != 0 ? 1 : 0;
      case ExprOp::implies:
        return at(e.a) == 0 || at(e.b) != 0 ? 1 : 0;
      case ExprOp::forall:
      case ExprOp::exists:
      case ExprOp::count:
        return quantified(e);
      default:
        return compare(e);
    }
  }

  std::int64_t compare(const FlatNode& e) {
    const std::int64_t a = at(e.a);
    const std::int64_t b = at(e.b);
    switch (e.op) {
      case ExprOp::equal:
        return a == b ? 1 : 0;
      case ExprOp::not_equal:
        return a != b ? 1 : 0;
      case ExprOp::less:
        return a < b ? 1 : 0;
      case ExprOp::less_equal:
        return a <= b ? 1 : 0;
      case ExprOp::greater:
        return a > b ? 1 : 0;
      default:
        return a >= b ? 1 : 0;
    }
  }

  /// forall, exists and count: binds the variable to each device slot in use (or each process).
  std::int64_t quantified(const FlatNode& e) {
    const std::size_t n = e.over_devices ? s.devices.size() : c.programs.size();
    std::int64_t matching = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (e.over_devices && s.devices[i].life == Life::unused) {
        continue;
      }
      bound[e.var - 1] = static_cast<std::uint8_t>(i);
      const bool body = at(e.a) != 0;
      if (e.op == ExprOp::forall && !body) {
        return 0;
      }
      if (e.op == ExprOp::exists && body) {
        return 1;
      }
      matching += body ? 1 : 0;
    }
    return e.op == ExprOp::forall ? 1 : e.op == ExprOp::exists ? 0 : matching;
  }

  /// The device a reference stands for: the bound one, else the hashed device called by the
  /// name (one being destroyed under it when none is hashed); null when none. Named lookups are
  /// cached for the evaluation: a property often reads several fields of one device.
  const Device* device(const FlatNode& ref) {
    if (ref.var != 0) {
      return &s.devices[bound[ref.var - 1]];
    }
    const auto name = static_cast<std::uint32_t>(ref.value);
    if (name < kCached && ((cached >> name) & 1U) != 0) {
      return named[name];
    }
    const Device* found = nullptr;
    for (const Device& d : s.devices) {
      if (d.name == name && d.life == Life::hashed) {
        found = &d;
        break;
      }
      if (d.name == name && d.life == Life::unhashed && found == nullptr) {
        found = &d;
      }
    }
    if (name < kCached) {
      cached |= std::uint64_t{1} << name;
      named[name] = found;
    }
    return found;
  }

  std::int64_t device_field(const FlatNode& e) {
    const Device* found = device(e);
    if (found == nullptr) {
      return 0;  // no device goes by the name: nothing exists, every count is zero
    }
    const Device& d = *found;
    const auto flag = [&](std::uint16_t f) -> std::int64_t { return (d.flags & f) != 0 ? 1 : 0; };
    switch (static_cast<DeviceField>(e.field)) {
      case DeviceField::exists:
        return d.life == Life::hashed ? 1 : 0;
      case DeviceField::removing:
        return d.life == Life::unhashed ? 1 : 0;
      case DeviceField::freed:
        return d.life == Life::freed ? 1 : 0;
      case DeviceField::suspended:
        return flag(kSuspended);
      case DeviceField::deferred:
        return flag(kDeferred);
      case DeviceField::no_open:
        return flag(kNoOpen);
      case DeviceField::read_only:
        return flag(kDiskRo);
      case DeviceField::open_count:
        return d.open_count;
      case DeviceField::open_limit:
        return d.open_limit;
      case DeviceField::live:
        return d.live;
      case DeviceField::inactive:
        return d.inactive;
      case DeviceField::root_hash:
        return d.root_hash;
      case DeviceField::signature:
        return d.sig_valid;
      case DeviceField::name:
        return d.name;
    }
    return 0;
  }

  bool refers_to(std::uint8_t md, const FlatNode& ref) {
    const Device* d = device(ref);
    return md != 0 && d != nullptr && md == d - s.devices.data() + 1;
  }

  std::int64_t process_field(const FlatNode& e) {
    const std::size_t pid = e.var != 0 ? bound[e.var - 1] : e.b;
    const Process& p = s.processes[pid];
    switch (static_cast<ProcessField>(e.field)) {
      case ProcessField::finished:
        return p.pc >= c.programs[pid].size() ? 1 : 0;
      case ProcessField::last_is:
        return p.last_call != 0 && p.last_call == e.value ? 1 : 0;
      case ProcessField::errno_:
        return p.last.err;
      case ProcessField::handles: {
        std::int64_t n = 0;
        for (const std::uint8_t md : p.handle_md) {
          n += md != 0 ? 1 : 0;
        }
        return n;
      }
      case ProcessField::holds:
        for (const std::uint8_t md : p.handle_md) {
          if (refers_to(md, nodes[e.a])) {
            return 1;
          }
        }
        return 0;
    }
    return 0;
  }

  std::int64_t kernel_field(const FlatNode& e) {
    switch (static_cast<KernelField>(e.field)) {
      case KernelField::worker_queued:
        return s.kernel.deferred_pending != 0 ? 1 : 0;
      case KernelField::worker_busy:
        return s.kernel.worker_mode != 0 ? 1 : 0;
      case KernelField::prober_holds:
        return refers_to(s.kernel.prober_md, nodes[e.a]) ? 1 : 0;
      case KernelField::prober_errno:
        return s.kernel.prober_last.err;
    }
    return 0;
  }
};

}  // namespace

Expr resolve(const detail::Compiled& c, Expr e) {
  switch (e.op) {
    case ExprOp::table:
      e.value = c.table_ref(e.text);
      break;
    case ExprOp::device_name:
      e.value = c.name_index(e.text);
      break;
    case ExprOp::device:
      if (e.var == 0) {
        e.value = c.name_index(e.text);
      }
      break;
    case ExprOp::process:
      if (e.field == static_cast<std::uint8_t>(ProcessField::last_is)) {
        e.value = 0;
        for (std::size_t i = 0; i < c.watched_calls.size(); ++i) {
          if (c.watched_calls[i] == e.text) {
            e.value = static_cast<std::int64_t>(i + 1);
          }
        }
      }
      break;
    default:
      break;
  }
  for (Expr& a : e.args) {
    a = resolve(c, std::move(a));
  }
  return e;
}

namespace {

/// Appends `e` and its operands to `out`; returns its index.
std::uint16_t place(const Expr& e, FlatExpr& out) {
  const auto at = static_cast<std::uint16_t>(out.size());
  out.emplace_back();
  FlatNode n;
  n.op = e.op;
  n.field = e.field;
  n.var = e.var;
  n.over_devices = e.over_devices ? 1 : 0;
  n.value = static_cast<std::int32_t>(e.value);
  if (!e.args.empty()) {
    n.a = place(e.args[0], out);
  }
  if (e.args.size() > 1) {
    n.b = place(e.args[1], out);
  }
  if (e.op == ExprOp::process && e.var == 0) {
    n.b = e.process;
  }
  out[at] = n;
  return at;
}

}  // namespace

FlatExpr flatten(const Expr& e) {
  FlatExpr out;
  place(e, out);
  return out;
}

std::int64_t evaluate(const detail::Compiled& c, const FlatExpr& e, const State& s) {
  Evaluator evaluator(c, e.data(), s);
  return evaluator(e[0]);
}

}  // namespace dmcheck::model
