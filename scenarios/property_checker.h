#pragma once
/// The property checker's inside, shared by the files that implement it: the types an expression
/// can have, and the Checker that walks a syntax tree with the scenario's names in scope.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/expression.h"
#include "scenarios/declared.h"
#include "scenarios/property_compile.h"
#include "scenarios/property_syntax.h"

namespace dmcheck::scenarios::property {

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
  uuid,     ///< a device's uuid: compared with another's or none
  call,     ///< a process's last call: only `is` reads it
  subject,  ///< a device, process or kernel actor named without a field
  symbol,   ///< a bare name: an errno, a table or a device name, by what it is compared with
};

std::string_view type_name(Type t);

struct Typed {
  Type type = Type::truth;
  Expr expr;
  std::string name;  ///< a symbol or subject as written
  std::size_t offset = 0;
};

/// The closest of `known` to `name`, as "; did you mean 'x'?", or "".
template <class Names>
std::string suggest(std::string_view name, const Names& known) {
  Declared d;
  for (const auto& k : known) {
    d.add(std::string(k), {});
  }
  return d.suggestion(name);
}

/// The errno called `name` (its Linux number), 0 when the model knows none by that name.
std::int64_t errno_value(std::string_view name);

struct Variable {
  std::string name;
  bool device = true;
};

/// Checks one expression; every mistake is thrown as a SyntaxError at its offset.
class Checker {
 public:
  explicit Checker(const PropertyNames& names) : names_(names) {}

  Typed check(const Syntax& s);

  /// `s` checked as a truth value.
  Expr truth(const Syntax& s);

 private:
  [[noreturn]] static void fail(std::size_t offset, std::string message);

  static Typed value(Type type, std::int64_t v, std::size_t offset);

  static std::int64_t number(const Syntax& s);

  static Typed logic(ExprOp op, const Syntax& s, std::vector<Expr> args);

  Typed chain(const Syntax& s);

  Typed quantified(const Syntax& s);

  Typed compare(const Syntax& s);

  /// A bare name read as what `want` is: an errno, a table (or none), a device name.
  Typed resolve_symbol(const Typed& sym, Type want);

  Typed is(const Syntax& s);

  [[nodiscard]] const Variable* find_variable(std::string_view name) const;

  [[nodiscard]] std::string what_is(const std::string& name) const;
  /// Why `name` cannot stand in a property: it is copy entry `entry` itself, or one of its copies.
  [[nodiscard]] std::string singled_out(const std::string& name, const std::string& entry) const;

  [[nodiscard]] std::string example_field(const std::string& name) const;

  /// A name with its members: a field of a device, a process or a kernel actor, or a bare name.
  Typed path(const Syntax& s);
  Typed device_member(Expr base, const Syntax& m, bool bound);
  Typed process_member(Expr base, const std::vector<Syntax>& members);
  Typed kernel_member(const std::string& actor, const std::vector<Syntax>& members);
  Expr device_argument(const Syntax& m);

  const PropertyNames& names_;
  std::vector<Variable> variables_;
};

}  // namespace dmcheck::scenarios::property
