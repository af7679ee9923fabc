#include "scenarios/property_compile.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <string_view>
#include <utility>

#include "model/expression_eval.h"
#include "model/observation.h"
#include "model/step.h"

namespace dmcheck::scenarios {

namespace {

using model::DeviceField;
using model::Expr;
using model::ExprOp;
using model::KernelField;
using model::ProcessField;

enum class Type : std::uint8_t {
  truth,
  number,
  errno_,
  table,
  device_name,
  call,     ///< a process's last call: only `is` reads it
  subject,  ///< a device, process or kernel actor named without a field
  symbol,   ///< a bare name: an errno, a table or a device name, by what it is compared with
};

std::string_view type_name(Type t) {
  switch (t) {
    case Type::truth:
      return "a truth value";
    case Type::number:
      return "a number";
    case Type::errno_:
      return "an errno";
    case Type::table:
      return "a table";
    case Type::device_name:
      return "a device name";
    case Type::call:
      return "a call";
    case Type::subject:
      return "a device, process or kernel actor";
    case Type::symbol:
      return "a name";
  }
  return "?";
}

struct Typed {
  Type type = Type::truth;
  Expr expr;
  std::string name;  ///< a symbol or subject as written
  std::size_t offset = 0;
};

struct DeviceFieldInfo {
  std::string_view name;
  DeviceField field;
  Type type;
};

constexpr std::array<DeviceFieldInfo, 14> kDeviceFields{{
    {"exists", DeviceField::exists, Type::truth},
    {"removing", DeviceField::removing, Type::truth},
    {"freed", DeviceField::freed, Type::truth},
    {"suspended", DeviceField::suspended, Type::truth},
    {"deferred", DeviceField::deferred, Type::truth},
    {"no_open", DeviceField::no_open, Type::truth},
    {"read_only", DeviceField::read_only, Type::truth},
    {"open_count", DeviceField::open_count, Type::number},
    {"open_limit", DeviceField::open_limit, Type::number},
    {"live", DeviceField::live, Type::table},
    {"inactive", DeviceField::inactive, Type::table},
    {"root_hash", DeviceField::root_hash, Type::number},
    {"signature", DeviceField::signature, Type::truth},
    {"name", DeviceField::name, Type::device_name},
}};

/// The closest of `known` to `name`, as "; did you mean 'x'?", or "".
template <class Names>
std::string suggest(std::string_view name, const Names& known) {
  Declared d;
  for (const auto& k : known) {
    d.add(std::string(k), {});
  }
  return d.suggestion(name);
}

std::int64_t errno_value(std::string_view name) {
  for (int e = 1; e < 256; ++e) {
    if (model::errno_name(static_cast<std::uint8_t>(e)) == name) {
      return e;
    }
  }
  return 0;
}

struct Variable {
  std::string name;
  bool device = true;
};

class Checker {
 public:
  explicit Checker(const PropertyNames& names) : names_(names) {}

  Typed check(const Syntax& s) {
    switch (s.kind) {
      case Syntax::Kind::truth:
        return value(Type::truth, s.text == "true" ? 1 : 0, s.offset);
      case Syntax::Kind::number:
        return value(Type::number, number(s), s.offset);
      case Syntax::Kind::not_:
        return logic(ExprOp::not_, s, {truth(s.children[0])});
      case Syntax::Kind::implies:
        return logic(ExprOp::implies, s, {truth(s.children[0]), truth(s.children[1])});
      case Syntax::Kind::and_:
      case Syntax::Kind::or_:
        return chain(s);
      case Syntax::Kind::forall:
      case Syntax::Kind::exists:
      case Syntax::Kind::count:
        return quantified(s);
      case Syntax::Kind::compare:
        return compare(s);
      case Syntax::Kind::is:
        return is(s);
      case Syntax::Kind::path:
        return path(s);
      case Syntax::Kind::member:
        break;
    }
    fail(s.offset, "unexpected member");
  }

  /// `s` checked as a truth value.
  Expr truth(const Syntax& s) {
    Typed t = check(s);
    if (t.type == Type::symbol || t.type == Type::subject) {
      fail(t.offset, what_is(t.name) + "; a condition needs one of its fields, e.g. " +
                         example_field(t.name));
    }
    if (t.type != Type::truth) {
      fail(s.offset, fmt::format("expected a truth value here, not {}", type_name(t.type)));
    }
    return std::move(t.expr);
  }

 private:
  [[noreturn]] static void fail(std::size_t offset, std::string message) {
    throw SyntaxError{std::move(message), offset};
  }

  static Typed value(Type type, std::int64_t v, std::size_t offset) {
    Typed t;
    t.type = type;
    t.expr.op = ExprOp::constant;
    t.expr.value = v;
    t.offset = offset;
    return t;
  }

  static std::int64_t number(const Syntax& s) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.text.data(), s.text.data() + s.text.size(), v);
    if (ec != std::errc() || end != s.text.data() + s.text.size() || v > 1'000'000) {
      fail(s.offset, "a number in a property is at most 1000000 (the model's counters are bytes)");
    }
    return v;
  }

  static Typed logic(ExprOp op, const Syntax& s, std::vector<Expr> args) {
    Typed t;
    t.expr.op = op;
    t.expr.args = std::move(args);
    t.offset = s.offset;
    return t;
  }

  Typed chain(const Syntax& s) {
    const ExprOp op = s.kind == Syntax::Kind::and_ ? ExprOp::and_ : ExprOp::or_;
    Expr e = truth(s.children[0]);
    for (std::size_t i = 1; i < s.children.size(); ++i) {
      Expr both;
      both.op = op;
      both.args.push_back(std::move(e));
      both.args.push_back(truth(s.children[i]));
      e = std::move(both);
    }
    Typed t;
    t.expr = std::move(e);
    t.offset = s.offset;
    return t;
  }

  Typed quantified(const Syntax& s) {
    if (variables_.size() >= model::kMaxBoundVariables) {
      fail(s.offset, fmt::format("more than {} nested quantifiers", model::kMaxBoundVariables));
    }
    if (find_variable(s.text) != nullptr || names_.devices.contains(s.text) ||
        std::count(names_.processes.begin(), names_.processes.end(), s.text) > 0) {
      fail(s.text_offset, "'" + s.text +
                              "' already names a variable, device or process here; choose "
                              "another variable name");
    }
    variables_.push_back({s.text, s.over_devices});
    Typed t;
    t.expr.op = s.kind == Syntax::Kind::forall   ? ExprOp::forall
                : s.kind == Syntax::Kind::exists ? ExprOp::exists
                                                 : ExprOp::count;
    t.expr.over_devices = s.over_devices;
    t.expr.var = static_cast<std::uint8_t>(variables_.size());
    t.expr.args.push_back(truth(s.children[0]));
    t.type = s.kind == Syntax::Kind::count ? Type::number : Type::truth;
    t.offset = s.offset;
    variables_.pop_back();
    return t;
  }

  Typed compare(const Syntax& s) {
    Typed a = check(s.children[0]);
    Typed b = check(s.children[1]);
    if (a.type == Type::symbol && b.type == Type::symbol) {
      fail(a.offset, what_is(a.name) + "; compare a field with a value, e.g. a.live == lin");
    }
    if (a.type == Type::symbol) {
      a = resolve_symbol(a, b.type);
    }
    if (b.type == Type::symbol) {
      b = resolve_symbol(b, a.type);
    }
    for (const Typed* t : {&a, &b}) {
      if (t->type == Type::subject || t->type == Type::call) {
        fail(t->offset, t->type == Type::call
                            ? "a last call is compared with `is`, e.g. p.last is \"open a\""
                            : what_is(t->name) + "; compare one of its fields, e.g. " +
                                  example_field(t->name));
      }
    }
    const bool numeric = [&] {
      const auto as_number = [](Type t) { return t == Type::number || t == Type::errno_; };
      return as_number(a.type) && as_number(b.type);
    }();
    if (a.type != b.type && !numeric) {
      fail(s.text_offset,
           fmt::format("cannot compare {} with {}", type_name(a.type), type_name(b.type)));
    }
    const std::string& op = s.text;
    const bool ordering = op != "==" && op != "!=";
    if (ordering && a.type != Type::number && b.type != Type::number) {
      fail(s.text_offset,
           fmt::format("'{}' orders numbers; {} is compared with == or !=", op, type_name(a.type)));
    }
    Typed t;
    t.expr.op = op == "=="   ? ExprOp::equal
                : op == "!=" ? ExprOp::not_equal
                : op == "<"  ? ExprOp::less
                : op == "<=" ? ExprOp::less_equal
                : op == ">"  ? ExprOp::greater
                             : ExprOp::greater_equal;
    t.expr.args.push_back(std::move(a.expr));
    t.expr.args.push_back(std::move(b.expr));
    t.offset = s.offset;
    return t;
  }

  /// A bare name read as what `want` is: an errno, a table (or none), a device name.
  Typed resolve_symbol(const Typed& sym, Type want) {
    Typed t;
    t.offset = sym.offset;
    t.type = want;
    if (want == Type::errno_) {
      const auto& known = errno_names();
      const auto at = std::find(known.begin(), known.end(), sym.name);
      if (at == known.end()) {
        fail(sym.offset, "unknown errno '" + sym.name + "'" + suggest(sym.name, known));
      }
      t.type = Type::errno_;
      t.expr.op = ExprOp::constant;
      t.expr.value = errno_value(sym.name);
      return t;
    }
    if (want == Type::table) {
      if (sym.name == "none") {
        t.expr.op = ExprOp::constant;
        return t;
      }
      if (!names_.tables.contains(sym.name)) {
        fail(sym.offset, "no table is called '" + sym.name + "'" +
                             names_.tables.suggestion(sym.name) + " (or none)");
      }
      t.expr.op = ExprOp::table;
      t.expr.text = sym.name;
      return t;
    }
    if (want == Type::device_name) {
      if (!names_.devices.contains(sym.name)) {
        fail(sym.offset,
             "no device is called '" + sym.name + "'" + names_.devices.suggestion(sym.name));
      }
      t.expr.op = ExprOp::device_name;
      t.expr.text = sym.name;
      return t;
    }
    fail(sym.offset,
         what_is(sym.name) + "; it cannot be compared with " + std::string(type_name(want)));
  }

  Typed is(const Syntax& s) {
    Typed t = check(s.children[0]);
    if (t.type != Type::call) {
      fail(t.offset, "`is` compares a last call, e.g. p.last is \"open a\"");
    }
    auto call = model::parse_call(s.text);
    if (!call) {
      fail(s.text_offset, "not a call: " + call.error().message);
    }
    t.expr.text = model::to_string(*call);
    const std::size_t from = t.expr.var != 0 ? 0 : t.expr.process;
    const std::size_t to = t.expr.var != 0 ? names_.calls.size() : t.expr.process + 1;
    bool made = false;
    for (std::size_t p = from; p < to; ++p) {
      const auto& calls = names_.calls[p];
      made = made || std::find(calls.begin(), calls.end(), t.expr.text) != calls.end();
    }
    if (!made) {
      fail(s.text_offset, "no step of " +
                              (t.expr.var != 0 ? std::string("any process")
                                               : "process " + names_.processes[t.expr.process]) +
                              " calls '" + t.expr.text + "'");
    }
    t.type = Type::truth;
    return t;
  }

  [[nodiscard]] const Variable* find_variable(std::string_view name) const {
    for (auto v = variables_.rbegin(); v != variables_.rend(); ++v) {
      if (v->name == name) {
        return &*v;
      }
    }
    return nullptr;
  }

  [[nodiscard]] std::string what_is(const std::string& name) const {
    if (const Variable* v = find_variable(name)) {
      return "'" + name + "' is a " + (v->device ? "device" : "process");
    }
    if (names_.devices.contains(name)) {
      return "'" + name + "' is a device";
    }
    if (std::count(names_.processes.begin(), names_.processes.end(), name) > 0) {
      return "'" + name + "' is a process";
    }
    if (name == "worker" || name == "prober") {
      return "'" + name + "' is a kernel actor";
    }
    std::vector<std::string> known = names_.processes;
    known.insert(known.end(), {"worker", "prober"});
    for (const Variable& v : variables_) {
      known.push_back(v.name);
    }
    const std::string near = names_.devices.suggestion(name);
    return "unknown name '" + name + "'" + (near.empty() ? suggest(name, known) : near);
  }

  [[nodiscard]] std::string example_field(const std::string& name) const {
    const Variable* v = find_variable(name);
    const bool process =
        v != nullptr ? !v->device
                     : std::count(names_.processes.begin(), names_.processes.end(), name) > 0;
    if (name == "worker") {
      return "worker.queued";
    }
    if (name == "prober") {
      return "prober.last.errno";
    }
    return name + (process ? ".finished" : ".exists");
  }

  /// A name with its members: a field of a device, a process or a kernel actor, or a bare name.
  Typed path(const Syntax& s);
  Typed device_member(Expr base, const Syntax& m, bool bound);
  Typed process_member(Expr base, const std::vector<Syntax>& members);
  Typed kernel_member(const std::string& actor, const std::vector<Syntax>& members);
  Expr device_argument(const Syntax& m);

  const PropertyNames& names_;
  std::vector<Variable> variables_;
};

/// `t`, placed at the start of its path (a type mistake names the whole `p.last`).
Typed at_path(Typed t, const Syntax& s) {
  t.offset = s.offset;
  return t;
}

Typed Checker::path(const Syntax& s) {
  const Variable* v = find_variable(s.text);
  const bool device = v != nullptr ? v->device : names_.devices.contains(s.text);
  const auto process_at = std::find(names_.processes.begin(), names_.processes.end(), s.text) -
                          names_.processes.begin();
  const bool process =
      v != nullptr ? !v->device : process_at < static_cast<std::ptrdiff_t>(names_.processes.size());
  const bool actor = v == nullptr && (s.text == "worker" || s.text == "prober");
  if (s.children.empty()) {
    Typed t;
    t.type = v != nullptr ? Type::subject : Type::symbol;
    t.name = s.text;
    t.offset = s.offset;
    return t;
  }
  if (static_cast<int>(device) + static_cast<int>(process) + static_cast<int>(actor) > 1) {
    fail(s.offset,
         "'" + s.text + "' names both a device and a process (or kernel actor); rename one");
  }
  Expr base;
  base.var = static_cast<std::uint8_t>(
      v != nullptr ? std::find_if(variables_.begin(), variables_.end(),
                                  [&](const Variable& x) { return &x == v; }) -
                         variables_.begin() + 1
                   : 0);
  if (device) {
    base.op = ExprOp::device;
    base.text = v != nullptr ? "" : s.text;
    if (s.children.size() > 1) {
      fail(s.children[1].offset, "a device field has no members");
    }
    return at_path(device_member(std::move(base), s.children[0], v != nullptr), s);
  }
  if (process) {
    base.op = ExprOp::process;
    base.process = static_cast<std::uint8_t>(v != nullptr ? 0 : process_at);
    return at_path(process_member(std::move(base), s.children), s);
  }
  if (actor) {
    return at_path(kernel_member(s.text, s.children), s);
  }
  fail(s.offset, what_is(s.text));
}

Typed Checker::device_member(Expr base, const Syntax& m, bool bound) {
  const auto* info = std::find_if(kDeviceFields.begin(), kDeviceFields.end(),
                                  [&](const DeviceFieldInfo& f) { return f.name == m.text; });
  if (info == kDeviceFields.end()) {
    std::vector<std::string_view> fields;
    for (const auto& f : kDeviceFields) {
      fields.push_back(f.name);
    }
    fail(m.text_offset, "a device has no field '" + m.text + "'" + suggest(m.text, fields) +
                            " (fields: " + fmt::format("{}", fmt::join(fields, ", ")) + ")");
  }
  if (info->field == DeviceField::freed && !bound) {
    fail(m.text_offset,
         "a name stands for the device that has it now, which is never freed; ask "
         "`not " +
             base.text + ".exists`, or of a device bound by forall / exists");
  }
  if (!m.children.empty()) {
    fail(m.children[0].offset, "'" + m.text + "' takes no argument");
  }
  Typed t;
  t.type = info->type;
  base.field = static_cast<std::uint8_t>(info->field);
  t.expr = std::move(base);
  t.offset = m.offset;
  return t;
}

Expr Checker::device_argument(const Syntax& m) {
  if (m.children.empty()) {
    fail(m.text_offset, "'" + m.text + "' needs a device, e.g. " + m.text + "(a)");
  }
  const Syntax& arg = m.children[0];
  const Variable* v = find_variable(arg.text);
  if (!arg.children.empty() || (v != nullptr ? !v->device : !names_.devices.contains(arg.text))) {
    fail(arg.offset, "'" + m.text + "' needs a device: " +
                         (arg.children.empty() ? what_is(arg.text) : "a name, not a field"));
  }
  Expr e;
  e.op = ExprOp::device;
  if (v != nullptr) {
    e.var = static_cast<std::uint8_t>(std::find_if(variables_.begin(), variables_.end(),
                                                   [&](const Variable& x) { return &x == v; }) -
                                      variables_.begin() + 1);
  } else {
    e.text = arg.text;
  }
  return e;
}

Typed Checker::process_member(Expr base, const std::vector<Syntax>& members) {
  const Syntax& m = members[0];
  Typed t;
  t.offset = m.offset;
  const auto field = [&](ProcessField f, Type type) {
    base.field = static_cast<std::uint8_t>(f);
    t.type = type;
  };
  if (m.text == "finished" || m.text == "handles") {
    field(m.text == "finished" ? ProcessField::finished : ProcessField::handles,
          m.text == "finished" ? Type::truth : Type::number);
  } else if (m.text == "holds") {
    field(ProcessField::holds, Type::truth);
    base.args.push_back(device_argument(m));
  } else if (m.text == "last" && members.size() == 1) {
    field(ProcessField::last_is, Type::call);
  } else if (m.text == "last" && members[1].text == "errno") {
    field(ProcessField::errno_, Type::errno_);
  } else {
    const Syntax& bad = m.text == "last" ? members[1] : m;
    fail(bad.text_offset,
         std::string("a process has no field '") + (m.text == "last" ? "last." : "") + bad.text +
             "'" +
             suggest(bad.text, std::array<std::string_view, 5>{"finished", "handles", "holds",
                                                               "last", "errno"}) +
             " (fields: finished, handles, holds(DEVICE), last, last.errno)");
  }
  const std::size_t used = m.text == "last" && members.size() > 1 ? 2 : 1;
  if (members.size() > used) {
    fail(members[used].offset, "'" + members[used - 1].text + "' has no members");
  }
  if (m.text != "holds" && !m.children.empty()) {
    fail(m.children[0].offset, "'" + m.text + "' takes no argument");
  }
  t.expr = std::move(base);
  return t;
}

Typed Checker::kernel_member(const std::string& actor, const std::vector<Syntax>& members) {
  const Syntax& m = members[0];
  Typed t;
  t.offset = m.offset;
  t.expr.op = ExprOp::kernel;
  const auto field = [&](KernelField f, Type type, std::size_t used) {
    t.expr.field = static_cast<std::uint8_t>(f);
    t.type = type;
    if (members.size() > used) {
      fail(members[used].offset, "'" + members[used - 1].text + "' has no members");
    }
  };
  if (actor == "worker" && (m.text == "queued" || m.text == "busy")) {
    field(m.text == "queued" ? KernelField::worker_queued : KernelField::worker_busy, Type::truth,
          1);
  } else if (actor == "prober" && m.text == "holds") {
    field(KernelField::prober_holds, Type::truth, 1);
    t.expr.args.push_back(device_argument(m));
  } else if (actor == "prober" && m.text == "last" && members.size() > 1 &&
             members[1].text == "errno") {
    field(KernelField::prober_errno, Type::errno_, 2);
  } else {
    fail(m.text_offset, actor == "worker"
                            ? "the worker has the fields queued and busy"
                            : "the prober has the fields holds(DEVICE) and last.errno");
  }
  if (m.text != "holds" && !m.children.empty()) {
    fail(m.children[0].offset, "'" + m.text + "' takes no argument");
  }
  return t;
}

}  // namespace

const std::vector<std::string>& errno_names() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> out;
    for (int e = 1; e < 256; ++e) {
      std::string n = model::errno_name(static_cast<std::uint8_t>(e));
      if (n.starts_with('E')) {
        out.push_back(std::move(n));
      }
    }
    return out;
  }();
  return kNames;
}

tl::expected<model::Expr, SyntaxError> compile_property(const Syntax& syntax,
                                                        const PropertyNames& names) {
  try {
    Checker checker(names);
    return checker.truth(syntax);
  } catch (const SyntaxError& e) {
    return tl::unexpected(e);
  }
}

}  // namespace dmcheck::scenarios
