#include "scenarios/property_premise.h"

namespace dmcheck::scenarios {

namespace {

std::string unparse(const Syntax& s);

/// An operand as it must be written inside a larger expression: parenthesised unless atomic.
std::string operand(const Syntax& s) {
  const bool atomic = s.kind == Syntax::Kind::number || s.kind == Syntax::Kind::truth ||
                      s.kind == Syntax::Kind::path || s.kind == Syntax::Kind::count;
  return atomic ? unparse(s) : "(" + unparse(s) + ")";
}

std::string joined(const Syntax& s, const char* op) {
  std::string out;
  for (const Syntax& c : s.children) {
    out += (out.empty() ? "" : op) + operand(c);
  }
  return out;
}

std::string binding(const Syntax& s, const char* word) {
  return std::string(word) + s.text + (s.over_devices ? " in devices: " : " in processes: ");
}

std::string unparse(const Syntax& s) {
  switch (s.kind) {
    case Syntax::Kind::implies:
      return joined(s, " implies ");
    case Syntax::Kind::or_:
      return joined(s, " or ");
    case Syntax::Kind::and_:
      return joined(s, " and ");
    case Syntax::Kind::not_:
      return "not " + operand(s.children.at(0));
    case Syntax::Kind::forall:
      return binding(s, "forall ") + unparse(s.children.at(0));
    case Syntax::Kind::exists:
      return binding(s, "exists ") + unparse(s.children.at(0));
    case Syntax::Kind::count:
      return binding(s, "count(") + unparse(s.children.at(0)) + ")";
    case Syntax::Kind::compare:
      return operand(s.children.at(0)) + " " + s.text + " " + operand(s.children.at(1));
    case Syntax::Kind::is:
      return operand(s.children.at(0)) + " is \"" + s.text + "\"";
    case Syntax::Kind::number:
    case Syntax::Kind::truth:
      return s.text;
    case Syntax::Kind::member:
      return "." + s.text + (s.children.empty() ? "" : "(" + unparse(s.children[0]) + ")");
    case Syntax::Kind::path:
      break;
  }
  std::string out = s.text;
  for (const Syntax& m : s.children) {
    out += unparse(m);
  }
  return out;
}

}  // namespace

std::string premise_text(const Syntax& s) {
  if (s.kind == Syntax::Kind::implies && s.children.size() >= 2) {
    return unparse(s.children[0]);
  }
  if (s.kind != Syntax::Kind::forall) {
    return "";
  }
  const std::string inner = premise_text(s.children.at(0));
  return inner.empty() ? "" : binding(s, "exists ") + inner;
}

}  // namespace dmcheck::scenarios
