#include "model/expression_eval.h"

#include <algorithm>
#include <array>
#include <functional>
#include <utility>

#include "model/compiled.h"
#include "model/device_ops.h"
#include "model/slots.h"
#include "model/target_status.h"

namespace dmcheck::model {

/// One evaluation: the state, the bound variables, and the named devices looked up so far.
struct Evaluation {
  // A constructor, not aggregate initialization, which would zero `named` on every evaluation.
  Evaluation(const detail::Compiled& compiled, const FlatNode* flat, const State& state)
      : c(compiled), nodes(flat), s(state) {}

  const detail::Compiled& c;
  const FlatNode* nodes;
  const State& s;
  Bindings bound;  ///< written by a quantifier before its body reads it
  static constexpr std::uint32_t kCached = 64;
  std::uint64_t cached = 0;  ///< which names `named` holds a lookup for
  std::array<const Device*, kCached> named;

  /// Node `i`'s value, by its own function: each kind of node calls its operands directly,
  /// which predicts far better than one switch dispatching every node.
  std::int64_t at(std::uint16_t i) {
    const FlatNode& n = nodes[i];
    return n.fn(*this, n);
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
    for (const Device& d : detail::used_devices(s)) {
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

  bool refers_to(std::uint8_t md, const FlatNode& ref) {
    const Device* d = device(ref);
    return md != 0 && d != nullptr && md == d - s.devices.data() + 1;
  }
};

namespace {

std::int64_t truth(bool b) { return b ? 1 : 0; }

std::int64_t constant(Evaluation&, const FlatNode& e) { return e.value; }

/// The history bit a ghost field reads.
constexpr std::uint16_t ghost_flag(DeviceField f) {
  switch (f) {
    case DeviceField::resume_failed:
      return kGhostFailedResume;
    case DeviceField::no_open_mark:
      return kGhostNoOpenMark;
    case DeviceField::opened_after_mark:
      return kGhostOpenAfterMark;
    case DeviceField::live_changed_unsuspended:
      return kGhostLiveChangedActive;
    case DeviceField::holder_reopened:
      return kGhostHolderReopened;
    case DeviceField::opened:
      return kGhostOpenedOnce;
    case DeviceField::opened_twice:
      return kGhostOpenedTwice;
    case DeviceField::targets_stopped:
      return kGhostTargetsStopped;
    case DeviceField::double_postsuspend:
      return kGhostDoublePostsuspend;
    case DeviceField::inactive_lost:
      return kGhostInactiveLost;
    default:
      return 0;
  }
}

template <DeviceField F>
std::int64_t device_field(Evaluation& ev, const FlatNode& e) {
  const Device* found = ev.device(e);
  if (found == nullptr) {
    return 0;  // no device goes by the name: nothing exists, every count is zero
  }
  const Device& d = *found;
  if constexpr (F == DeviceField::exists) {
    return truth(d.life == Life::hashed);
  } else if constexpr (F == DeviceField::removing) {
    return truth(d.life == Life::unhashed);
  } else if constexpr (F == DeviceField::freed) {
    return truth(d.life == Life::freed);
  } else if constexpr (F == DeviceField::suspended) {
    return truth((d.flags & kSuspended) != 0);
  } else if constexpr (F == DeviceField::deferred) {
    return truth((d.flags & kDeferred) != 0);
  } else if constexpr (F == DeviceField::no_open) {
    return truth((d.flags & kNoOpen) != 0);
  } else if constexpr (F == DeviceField::read_only) {
    return truth((d.flags & kDiskRo) != 0);
  } else if constexpr (F == DeviceField::open_count) {
    return d.open_count;
  } else if constexpr (F == DeviceField::open_limit) {
    return d.open_limit;
  } else if constexpr (F == DeviceField::live) {
    return d.live;
  } else if constexpr (F == DeviceField::inactive) {
    return d.inactive;
  } else if constexpr (F == DeviceField::root_hash) {
    return d.root_hash;
  } else if constexpr (F == DeviceField::signature) {
    return d.sig_valid;
  } else if constexpr (F == DeviceField::name) {
    return d.name;
  } else if constexpr (F == DeviceField::deleting) {
    return truth((d.flags & kDeleting) != 0);
  } else if constexpr (F == DeviceField::freeing) {
    return truth((d.flags & kFreeing) != 0);
  } else if constexpr (F == DeviceField::io_blocked) {
    return truth((d.flags & kBlockIo) != 0);
  } else if constexpr (F == DeviceField::uuid) {
    return d.uuid;
  } else if constexpr (F == DeviceField::live_root_hash) {
    return detail::live_integrity(ev.c, d).first;
  } else if constexpr (F == DeviceField::live_signature) {
    return detail::live_integrity(ev.c, d).second;
  } else if constexpr (F == DeviceField::open_limit_enforced) {
    return truth((d.flags & kOpenLimitEnforced) != 0);
  } else if constexpr (F == DeviceField::size) {
    return detail::device_size(ev.c, d);
  } else if constexpr (F == DeviceField::live_size) {
    return detail::table_length(ev.c, d.live);
  } else {
    return truth((d.ghost & ghost_flag(F)) != 0);
  }
}

std::int64_t process_field(Evaluation& ev, const FlatNode& e) {
  const std::size_t pid = e.var != 0 ? ev.bound[e.var - 1] : e.b;
  const Process& p = ev.s.processes[pid];
  switch (static_cast<ProcessField>(e.field)) {
    case ProcessField::finished:
      return truth(p.pc >= ev.c.programs[pid].size());
    case ProcessField::last_is:
      return truth(p.last_call != 0 && p.last_call == e.value);
    case ProcessField::errno_:
      return p.last.err;
    case ProcessField::handles:
      return std::count_if(p.handle_md.begin(), p.handle_md.end(),
                           [](std::uint8_t md) { return md != 0; });
    case ProcessField::holds:
      return truth(std::any_of(p.handle_md.begin(), p.handle_md.end(),
                               [&](std::uint8_t md) { return ev.refers_to(md, ev.nodes[e.a]); }));
    case ProcessField::last_corrupt:
      return truth(reports_targets(p.last) &&
                   (p.last.data == kStatusVerityCorrupt ||
                    std::find(p.last.more.begin(), p.last.more.end(), kStatusVerityCorrupt) !=
                        p.last.more.end()));
  }
  return 0;
}

std::int64_t kernel_field(Evaluation& ev, const FlatNode& e) {
  const Kernel& k = ev.s.kernel;
  switch (static_cast<KernelField>(e.field)) {
    case KernelField::worker_queued:
      return truth(k.deferred_pending != 0);
    case KernelField::worker_busy:
      return truth(k.worker_mode != 0);
    case KernelField::prober_holds:
      return truth(ev.refers_to(k.prober_md, ev.nodes[e.a]));
    case KernelField::prober_errno:
      return k.prober_err;
    case KernelField::worker_runs:
      return truth(ev.c.config.actors.deferred_remove_worker);
    case KernelField::variant_integrity:
      return truth(ev.c.config.variant.has_integrity());
  }
  return 0;
}

std::int64_t negation(Evaluation& ev, const FlatNode& e) { return truth(ev.at(e.a) == 0); }

std::int64_t conjunction(Evaluation& ev, const FlatNode& e) {
  return truth(ev.at(e.a) != 0 && ev.at(e.b) != 0);
}

std::int64_t disjunction(Evaluation& ev, const FlatNode& e) {
  return truth(ev.at(e.a) != 0 || ev.at(e.b) != 0);
}

std::int64_t implication(Evaluation& ev, const FlatNode& e) {
  return ev.at(e.a) == 0 || ev.at(e.b) != 0 ? 1 : 0;
}

template <class Compare>
std::int64_t comparison(Evaluation& ev, const FlatNode& e) {
  return truth(Compare{}(ev.at(e.a), ev.at(e.b)));
}

/// forall, exists and count: binds the variable to each device slot in use (a prefix of the
/// slots, model/slots.h), or each process.
template <ExprOp Q>
std::int64_t quantified(Evaluation& ev, const FlatNode& e) {
  const std::size_t n = e.over_devices ? detail::used_device_slots(ev.s) : ev.c.programs.size();
  std::int64_t matching = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ev.bound[e.var - 1] = static_cast<std::uint8_t>(i);
    const bool body = ev.at(e.a) != 0;
    if (Q == ExprOp::forall && !body) {
      return 0;
    }
    if (Q == ExprOp::exists && body) {
      return 1;
    }
    matching += body ? 1 : 0;
  }
  return Q == ExprOp::forall ? 1 : Q == ExprOp::exists ? 0 : matching;
}

template <std::size_t... F>
NodeFn device_function(std::uint8_t field, std::index_sequence<F...>) {
  constexpr NodeFn kFunctions[] = {&device_field<static_cast<DeviceField>(F)>...};
  return kFunctions[field];
}

/// The function that evaluates node `n`.
NodeFn function_of(const FlatNode& n) {
  switch (n.op) {
    case ExprOp::constant:
    case ExprOp::table:
    case ExprOp::device_name:
      return &constant;
    case ExprOp::device:
      return device_function(n.field, std::make_index_sequence<kDeviceFields>());
    case ExprOp::process:
      return &process_field;
    case ExprOp::kernel:
      return &kernel_field;
    case ExprOp::not_:
      return &negation;
    case ExprOp::and_:
      return &conjunction;
    case ExprOp::or_:
      return &disjunction;
    case ExprOp::implies:
      return &implication;
    case ExprOp::equal:
      return &comparison<std::equal_to<>>;
    case ExprOp::not_equal:
      return &comparison<std::not_equal_to<>>;
    case ExprOp::less:
      return &comparison<std::less<>>;
    case ExprOp::less_equal:
      return &comparison<std::less_equal<>>;
    case ExprOp::greater:
      return &comparison<std::greater<>>;
    case ExprOp::greater_equal:
      return &comparison<std::greater_equal<>>;
    case ExprOp::forall:
      return &quantified<ExprOp::forall>;
    case ExprOp::exists:
      return &quantified<ExprOp::exists>;
    case ExprOp::count:
      return &quantified<ExprOp::count>;
  }
  return &constant;
}

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
    case ExprOp::kernel:
      // What the configuration fixes is read once, here, not in every state.
      if (e.field == static_cast<std::uint8_t>(KernelField::worker_runs)) {
        e.op = ExprOp::constant;
        e.value = c.config.actors.deferred_remove_worker ? 1 : 0;
      } else if (e.field == static_cast<std::uint8_t>(KernelField::variant_integrity)) {
        e.op = ExprOp::constant;
        e.value = c.config.variant.has_integrity() ? 1 : 0;
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
  n.fn = function_of(n);
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
  Evaluation evaluation(c, e.data(), s);
  return evaluation.at(0);
}

std::int64_t evaluate_node(const detail::Compiled& c, const FlatExpr& e, std::uint16_t node,
                           const State& s, const Bindings& bound) {
  Evaluation evaluation(c, e.data(), s);
  evaluation.bound = bound;
  return evaluation.at(node);
}

}  // namespace dmcheck::model
