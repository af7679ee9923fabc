#pragma once
/// The property language's syntax (docs/properties.md): text to an untyped tree, each node with
/// the byte offset where it is written, so that a later mistake (an unknown name, a type) can be
/// reported at its exact place. Parsed with PEGTL.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

namespace dmcheck::scenarios {

/// One node of a property expression as written.
struct Syntax {
  enum class Kind : unsigned char {
    implies,  ///< children: antecedent, consequent
    or_,      ///< children: two or more
    and_,     ///< children: two or more
    not_,     ///< children: the negated expression
    forall,   ///< text: the variable; children: the body; over_devices says the domain
    exists,   ///< as forall
    count,    ///< as forall, a number
    compare,  ///< text: the operator (== != < <= > >=); children: two operands
    is,       ///< text: the call in quotes, as written; children: the operand before `is`
    number,   ///< text: the digits
    truth,    ///< text: true or false
    path,     ///< text: the first name; children: its members in order
    member,   ///< text: the field; children: an argument path, when it has one
  };
  Kind kind;
  std::string text;
  std::size_t offset = 0;       ///< where the node starts in the expression's text
  std::size_t text_offset = 0;  ///< where `text` starts (a member's name, a quantifier's variable)
  bool over_devices = false;
  std::vector<Syntax> children;
};

/// A syntax error: what was expected, and where in the text.
struct SyntaxError {
  std::string message;
  std::size_t offset = 0;
};

/// Nesting (parentheses, not, quantifiers, implies) a property may use: deep enough for any
/// property a person writes, and a bound on the parser's recursion.
inline constexpr std::size_t kMaxPropertyNesting = 64;

/// The tree of `text`, or the first syntax error.
tl::expected<Syntax, SyntaxError> parse_property(std::string_view text);

}  // namespace dmcheck::scenarios
