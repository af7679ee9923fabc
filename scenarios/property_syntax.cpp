#include "scenarios/property_syntax.h"

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/parse_tree.hpp>

namespace dmcheck::scenarios {

namespace {

namespace peg = tao::pegtl;

// The grammar. Keywords are whole words; a name is a word that is not a keyword (a device name
// may contain '-', which the language has no operator for).
struct word_char : peg::sor<peg::alnum, peg::one<'_', '-'>> {};
template <class Text>
struct kw : peg::seq<Text, peg::not_at<word_char>> {};
struct kw_not : kw<TAO_PEGTL_STRING("not")> {};
struct kw_and : kw<TAO_PEGTL_STRING("and")> {};
struct kw_or : kw<TAO_PEGTL_STRING("or")> {};
struct kw_implies : kw<TAO_PEGTL_STRING("implies")> {};
struct kw_forall : kw<TAO_PEGTL_STRING("forall")> {};
struct kw_exists : kw<TAO_PEGTL_STRING("exists")> {};
struct kw_count : kw<TAO_PEGTL_STRING("count")> {};
struct kw_in : kw<TAO_PEGTL_STRING("in")> {};
struct kw_is : kw<TAO_PEGTL_STRING("is")> {};
struct kw_true : kw<TAO_PEGTL_STRING("true")> {};
struct kw_false : kw<TAO_PEGTL_STRING("false")> {};
struct kw_devices : kw<TAO_PEGTL_STRING("devices")> {};
struct kw_processes : kw<TAO_PEGTL_STRING("processes")> {};
struct keyword : peg::sor<kw_not, kw_and, kw_or, kw_implies, kw_forall, kw_exists, kw_count, kw_in,
                          kw_is, kw_true, kw_false, kw_devices, kw_processes> {};

struct sp : peg::star<peg::space> {};
struct word : peg::seq<peg::sor<peg::alpha, peg::one<'_'>>, peg::star<word_char>> {};
struct ident : peg::seq<peg::not_at<keyword>, word> {};
struct number : peg::plus<peg::digit> {};
struct double_quoted : peg::seq<peg::one<'"'>, peg::star<peg::not_one<'"'>>, peg::one<'"'>> {};
struct single_quoted : peg::seq<peg::one<'\''>, peg::star<peg::not_one<'\''>>, peg::one<'\''>> {};
struct quoted : peg::sor<double_quoted, single_quoted> {};

struct expr;
struct expected_expr;
struct close_paren : peg::one<')'> {};
struct open_paren : peg::one<'('> {};
struct path;
struct argument_path;
struct argument
    : peg::seq<peg::one<'('>, sp, peg::must<argument_path>, sp, peg::must<close_paren>> {};
struct field_name : word {};  // after '.', a keyword is a field: a.exists
struct member : peg::seq<peg::one<'.'>, sp, peg::must<field_name>, peg::opt<sp, argument>> {};
struct path : peg::seq<ident, peg::star<sp, member>> {};
struct argument_path : path {};
struct domain : peg::sor<kw_devices, kw_processes> {};
struct colon : peg::one<':'> {};
struct variable : ident {};
struct in_keyword : kw_in {};
struct binder : peg::seq<peg::must<variable>, sp, peg::must<in_keyword>, sp, peg::must<domain>, sp,
                         peg::must<colon>, sp> {};
struct count_of : peg::seq<kw_count, sp, peg::must<open_paren>, sp, binder,
                           peg::must<expected_expr>, sp, peg::must<close_paren>> {};
struct paren : peg::seq<peg::one<'('>, sp, peg::must<expected_expr>, sp, peg::must<close_paren>> {};
struct operand : peg::sor<paren, count_of, number, kw_true, kw_false, path> {};
struct cmp_op : peg::sor<peg::string<'=', '='>, peg::string<'!', '='>, peg::string<'<', '='>,
                         peg::string<'>', '='>, peg::one<'<'>, peg::one<'>'>> {};
struct right_operand : operand {};
struct call_in_quotes : quoted {};
struct comparison
    : peg::seq<operand, peg::opt<sp, peg::sor<peg::seq<cmp_op, sp, peg::must<right_operand>>,
                                              peg::seq<kw_is, sp, peg::must<call_in_quotes>>>>> {};
struct quantifier : peg::seq<peg::sor<kw_forall, kw_exists>, sp, binder, peg::must<expected_expr>> {
};
struct negated;
struct negation : peg::sor<negated, quantifier, comparison> {};
struct expected_negation : negation {};
struct negated : peg::seq<kw_not, sp, peg::must<expected_negation>> {};
struct conjunction : peg::seq<negation, peg::star<sp, kw_and, sp, peg::must<expected_negation>>> {};
struct expected_conjunction : conjunction {};
struct disjunction
    : peg::seq<conjunction, peg::star<sp, kw_or, sp, peg::must<expected_conjunction>>> {};
struct implication;
struct expected_implication;
struct implication
    : peg::seq<disjunction, peg::opt<sp, kw_implies, sp, peg::must<expected_implication>>> {};
struct expected_implication : implication {};
struct expr : implication {};
struct expected_expr : expr {};
struct end_of_text : peg::eof {};
struct whole : peg::seq<sp, peg::must<expected_expr>, sp, peg::must<end_of_text>> {};

// Only rules that appear under must<> have a message: must_if raises on any failure of a rule
// with one.
template <class Rule>
inline constexpr const char* error_message = nullptr;
template <>
inline constexpr const char* error_message<expected_expr> = "expected an expression";
template <>
inline constexpr const char* error_message<expected_negation> = "expected an expression";
template <>
inline constexpr const char* error_message<expected_conjunction> = "expected an expression";
template <>
inline constexpr const char* error_message<expected_implication> = "expected an expression";
template <>
inline constexpr const char* error_message<close_paren> = "expected ')'";
template <>
inline constexpr const char* error_message<open_paren> = "expected '(' after count";
template <>
inline constexpr const char* error_message<field_name> = "expected a field name after '.'";
template <>
inline constexpr const char* error_message<argument_path> = "expected a device";
template <>
inline constexpr const char* error_message<variable> = "expected a variable name";
template <>
inline constexpr const char* error_message<in_keyword> = "expected 'in'";
template <>
inline constexpr const char* error_message<domain> = "expected 'devices' or 'processes'";
template <>
inline constexpr const char* error_message<colon> = "expected ':'";
template <>
inline constexpr const char* error_message<right_operand> = "expected a value to compare with";
template <>
inline constexpr const char* error_message<call_in_quotes> =
    "expected a call in quotes after 'is', e.g. \"open a\"";
template <>
inline constexpr const char* error_message<end_of_text> =
    "unexpected text: expected an operator (and, or, implies, ==, is, ...) or the end";

struct errors {
  template <class Rule>
  static constexpr auto message = error_message<Rule>;
};
template <class Rule>
using control = peg::must_if<errors>::control<Rule>;

template <class Rule>
using selector = peg::parse_tree::selector<
    Rule,
    peg::parse_tree::store_content::on<ident, field_name, variable, number, quoted, cmp_op, kw_true,
                                       kw_false, kw_devices, kw_processes, kw_forall, kw_exists,
                                       kw_not, path, argument_path, member, quantifier, count_of,
                                       call_in_quotes>,
    peg::parse_tree::fold_one::on<expected_expr, implication, expected_implication, disjunction,
                                  conjunction, expected_conjunction, comparison, negation,
                                  expected_negation>>;

using Node = peg::parse_tree::node;

std::size_t offset_of(const Node& n) { return n.begin().byte; }

Syntax convert(const Node& n);

Syntax make(Syntax::Kind kind, const Node& n, std::string text = {}) {
  Syntax s;
  s.kind = kind;
  s.text = std::move(text);
  s.offset = offset_of(n);
  s.text_offset = s.offset;
  return s;
}

/// A chain `a op b op c` as one node with every operand a child.
Syntax chain(Syntax::Kind kind, const Node& n) {
  Syntax s = make(kind, n);
  for (const auto& c : n.children) {
    s.children.push_back(convert(*c));
  }
  return s;
}

/// forall / exists (children: keyword, variable, domain, body) and count (variable, domain,
/// body).
Syntax binding(Syntax::Kind kind, const Node& n, std::size_t first) {
  Syntax s = make(kind, n, n.children[first]->string());
  s.text_offset = offset_of(*n.children[first]);
  s.over_devices = n.children[first + 1]->is_type<kw_devices>();
  s.children.push_back(convert(*n.children[first + 2]));
  return s;
}

Syntax convert(const Node& n) {
  if (n.is_type<implication>() || n.is_type<expected_implication>() || n.is_type<expected_expr>()) {
    return chain(Syntax::Kind::implies, n);
  }
  if (n.is_type<disjunction>()) {
    return chain(Syntax::Kind::or_, n);
  }
  if (n.is_type<conjunction>() || n.is_type<expected_conjunction>()) {
    return chain(Syntax::Kind::and_, n);
  }
  if (n.is_type<negation>() || n.is_type<expected_negation>()) {  // kept only as `not X`
    Syntax s = make(Syntax::Kind::not_, n);
    s.children.push_back(convert(*n.children[1]));
    return s;
  }
  if (n.is_type<quantifier>()) {
    return binding(
        n.children[0]->is_type<kw_forall>() ? Syntax::Kind::forall : Syntax::Kind::exists, n, 1);
  }
  if (n.is_type<count_of>()) {
    return binding(Syntax::Kind::count, n, 0);
  }
  if (n.is_type<comparison>()) {
    if (n.children.size() == 2) {  // operand is "call"
      const std::string quoted_call = n.children[1]->string();
      Syntax s = make(Syntax::Kind::is, n, quoted_call.substr(1, quoted_call.size() - 2));
      s.text_offset = offset_of(*n.children[1]) + 1;
      s.children.push_back(convert(*n.children[0]));
      return s;
    }
    Syntax s = make(Syntax::Kind::compare, n, n.children[1]->string());
    s.text_offset = offset_of(*n.children[1]);
    s.children.push_back(convert(*n.children[0]));
    s.children.push_back(convert(*n.children[2]));
    return s;
  }
  if (n.is_type<number>()) {
    return make(Syntax::Kind::number, n, n.string());
  }
  if (n.is_type<kw_true>() || n.is_type<kw_false>()) {
    return make(Syntax::Kind::truth, n, n.string());
  }
  if (n.is_type<member>()) {
    Syntax s = make(Syntax::Kind::member, n, n.children[0]->string());
    s.text_offset = offset_of(*n.children[0]);
    if (n.children.size() > 1) {
      s.children.push_back(convert(*n.children[1]));
    }
    return s;
  }
  // a path: its first name, then its members
  Syntax s = make(Syntax::Kind::path, n, n.children[0]->string());
  for (std::size_t i = 1; i < n.children.size(); ++i) {
    s.children.push_back(convert(*n.children[i]));
  }
  return s;
}

/// The deepest nesting of parentheses, not, quantifiers and implications in `text`, counted
/// without parsing: an upper bound that keeps the parser's recursion shallow.
std::size_t nesting(std::string_view text) {
  std::size_t n = 0;
  for (char ch : text) {
    n += ch == '(' ? 1 : 0;
  }
  for (std::string_view w : {"not", "forall", "exists", "implies"}) {
    for (std::size_t at = text.find(w); at != std::string_view::npos; at = text.find(w, at + 1)) {
      ++n;
    }
  }
  return n;
}

}  // namespace

tl::expected<Syntax, SyntaxError> parse_property(std::string_view text) {
  if (nesting(text) > kMaxPropertyNesting) {
    return tl::unexpected(SyntaxError{
        "the expression nests more than " + std::to_string(kMaxPropertyNesting) +
            " parentheses, not, quantifiers and implies; split it into several properties",
        0});
  }
  peg::memory_input in(text.data(), text.size(), "property");
  try {
    const auto root = peg::parse_tree::parse<whole, selector, peg::nothing, control>(in);
    if (!root || root->children.size() != 1) {
      return tl::unexpected(SyntaxError{"expected an expression", 0});
    }
    return convert(*root->children[0]);
  } catch (const peg::parse_error& e) {
    return tl::unexpected(SyntaxError{std::string(e.message()), e.positions().front().byte});
  }
}

}  // namespace dmcheck::scenarios
