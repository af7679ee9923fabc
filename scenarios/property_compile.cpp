#include "scenarios/property_compile.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string_view>
#include <utility>

#include "model/expression_eval.h"
#include "model/observation.h"
#include "model/step.h"
#include "scenarios/property_checker.h"

namespace dmcheck::scenarios {

namespace property {

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
    case Type::uuid:
      return "a uuid";
    case Type::call:
      return "a call";
    case Type::subject:
      return "a device, process or kernel actor";
    case Type::symbol:
      return "a name";
  }
  return "?";
}

std::int64_t errno_value(std::string_view name) {
  for (int e = 1; e < 256; ++e) {
    if (model::errno_name(static_cast<std::uint8_t>(e)) == name) {
      return e;
    }
  }
  return 0;
}

Typed Checker::check(const Syntax& s) {
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

Expr Checker::truth(const Syntax& s) {
  Typed t = check(s);
  if (t.type == Type::symbol || t.type == Type::subject) {
    fail(t.offset,
         what_is(t.name) + "; a condition needs one of its fields, e.g. " + example_field(t.name));
  }
  if (t.type != Type::truth) {
    fail(s.offset, fmt::format("expected a truth value here, not {}", type_name(t.type)));
  }
  return std::move(t.expr);
}

void Checker::fail(std::size_t offset, std::string message) {
  throw SyntaxError{std::move(message), offset};
}

Typed Checker::value(Type type, std::int64_t v, std::size_t offset) {
  Typed t;
  t.type = type;
  t.expr.op = ExprOp::constant;
  t.expr.value = v;
  t.offset = offset;
  return t;
}

std::int64_t Checker::number(const Syntax& s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.text.data(), s.text.data() + s.text.size(), v);
  if (ec != std::errc() || end != s.text.data() + s.text.size() || v > 1'000'000) {
    fail(s.offset, "a number in a property is at most 1000000 (the model's counters are bytes)");
  }
  return v;
}

Typed Checker::logic(ExprOp op, const Syntax& s, std::vector<Expr> args) {
  Typed t;
  t.expr.op = op;
  t.expr.args = std::move(args);
  t.offset = s.offset;
  return t;
}

Typed Checker::chain(const Syntax& s) {
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

Typed Checker::quantified(const Syntax& s) {
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

Typed Checker::compare(const Syntax& s) {
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
      fail(t->offset,
           t->type == Type::call
               ? "a last call is compared with `is`, e.g. p.last is \"open a\""
               : what_is(t->name) + "; compare one of its fields, e.g. " + example_field(t->name));
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

Typed Checker::resolve_symbol(const Typed& sym, Type want) {
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
  if (want == Type::uuid && sym.name == "none") {
    t.expr.op = ExprOp::constant;  // uuid index 0: the device has no uuid
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

Typed Checker::is(const Syntax& s) {
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

const Variable* Checker::find_variable(std::string_view name) const {
  for (auto v = variables_.rbegin(); v != variables_.rend(); ++v) {
    if (v->name == name) {
      return &*v;
    }
  }
  return nullptr;
}

std::string Checker::singled_out(const std::string& name, const std::string& entry) const {
  const auto copies = std::count(names_.copy_of.begin(), names_.copy_of.end(), entry);
  return fmt::format(
      "process entry '{}' has count = {}: its copies ({}1 ... {}{}) are interchangeable, so a "
      "property cannot name {}; quantify over them (forall, exists or count p in processes)",
      entry, copies, entry, entry, copies, name == entry ? "the entry" : "'" + name + "'");
}

std::string Checker::what_is(const std::string& name) const {
  if (const Variable* v = find_variable(name)) {
    return "'" + name + "' is a " + (v->device ? "device" : "process");
  }
  if (names_.devices.contains(name)) {
    return "'" + name + "' is a device";
  }
  if (std::count(names_.processes.begin(), names_.processes.end(), name) > 0) {
    return "'" + name + "' is a process";
  }
  if (std::count(names_.copy_of.begin(), names_.copy_of.end(), name) > 0) {
    return singled_out(name, name);
  }
  if (name == "worker" || name == "prober") {
    return "'" + name + "' is a kernel actor";
  }
  if (name == "variant") {
    return "'variant' is the kernel variant";
  }
  std::vector<std::string> known = names_.processes;
  known.insert(known.end(), {"worker", "prober", "variant"});
  for (const Variable& v : variables_) {
    known.push_back(v.name);
  }
  const std::string near = names_.devices.suggestion(name);
  return "unknown name '" + name + "'" + (near.empty() ? suggest(name, known) : near);
}

std::string Checker::example_field(const std::string& name) const {
  const Variable* v = find_variable(name);
  const bool process = v != nullptr
                           ? !v->device
                           : std::count(names_.processes.begin(), names_.processes.end(), name) > 0;
  if (name == "worker") {
    return "worker.queued";
  }
  if (name == "prober") {
    return "prober.last.errno";
  }
  if (name == "variant") {
    return "variant.integrity";
  }
  return name + (process ? ".finished" : ".exists");
}

}  // namespace property

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
    property::Checker checker(names);
    return checker.truth(syntax);
  } catch (const SyntaxError& e) {
    return tl::unexpected(e);
  }
}

}  // namespace dmcheck::scenarios
