#include "model/step.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "model/observation.h"
#include "model/table.h"

namespace dmcheck::model {
namespace {

/// A parse that succeeded (having stored what it read) or the error that stopped it.
using Parsed = tl::expected<void, Error>;

Error bad(std::string message) { return Error{ErrorKind::bad_input, std::move(message), {}}; }

/// The one way a parse fails: every message below reaches the caller through here.
tl::unexpected<Error> refuse(std::string message) {
  return tl::unexpected(bad(std::move(message)));
}

std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
      ++i;
    }
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') {
      ++i;
    }
    if (i > start) {
      words.push_back(text.substr(start, i - start));
    }
  }
  return words;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

tl::expected<std::uint8_t, Error> parse_count(std::string_view word, std::string_view what) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
  if (ec != std::errc{} || end != word.data() + word.size() || value > 255) {
    return refuse("expected " + std::string(what) + " (a number 0..255), got '" +
                  std::string(word) + "'");
  }
  return static_cast<std::uint8_t>(value);
}

/// Stores a count read from `word` in `into`.
Parsed count_into(std::string_view word, std::string_view what, std::uint8_t& into) {
  return parse_count(word, what).map([&into](std::uint8_t n) { into = n; });
}

/// The words of one call: its verb, then its arguments read left to right.
class Words {
 public:
  explicit Words(std::string_view text) : words_(split_words(text)) {}

  [[nodiscard]] bool empty() const { return words_.empty(); }
  [[nodiscard]] std::string_view verb() const { return words_.front(); }
  [[nodiscard]] bool at_end() const { return next_ >= words_.size(); }
  /// The words not read yet.
  [[nodiscard]] std::size_t left() const { return words_.size() - next_; }
  [[nodiscard]] std::string_view peek(std::size_t ahead = 0) const { return words_[next_ + ahead]; }
  std::string_view take() { return words_[next_++]; }
  void skip_rest() { next_ = words_.size(); }

  /// Reads the next word into `into` as the argument `what`, which an option cannot stand for.
  Parsed positional(std::string_view what, std::string& into) {
    if (at_end() || peek().starts_with("--")) {
      return refuse("'" + std::string(verb()) + "' expects " + std::string(what));
    }
    into = take();
    return {};
  }

  /// The value after option `option`, whatever it looks like.
  tl::expected<std::string_view, Error> value(std::string_view option) {
    if (at_end()) {
      return refuse("option '" + std::string(option) + "' expects a value");
    }
    return take();
  }

 private:
  std::vector<std::string_view> words_;
  std::size_t next_ = 1;  // after the verb
};

// One parser per verb for the arguments before its options.

Parsed device_args(Words& w, Call& call) { return w.positional("a device NAME", call.device); }

Parsed no_args(Words&, Call&) { return {}; }

Parsed load_args(Words& w, Call& call) {
  return device_args(w, call).and_then([&] { return w.positional("a TABLE name", call.table); });
}

Parsed rename_args(Words& w, Call& call) {
  return device_args(w, call).and_then([&] { return w.positional("a NEW name", call.new_name); });
}

Parsed set_open_limit_args(Words& w, Call& call) {
  std::string limit;
  return device_args(w, call)
      .and_then([&] { return w.positional("a limit N", limit); })
      .and_then([&] { return count_into(limit, "an open limit", call.open_limit); });
}

/// `write NAME [LETTER]`: the letter is optional, so a word that is not an option is it.
Parsed write_args(Words& w, Call& call) {
  return device_args(w, call).and_then([&]() -> Parsed {
    if (w.at_end() || w.peek().starts_with("--")) {
      return {};
    }
    const std::string_view letter = w.take();
    if (letter.size() != 1 || letter[0] < 'a' || letter[0] > 'z') {
      return refuse("'write' expects its data as one letter a to z, not '" + std::string(letter) +
                    "'");
    }
    call.letter = letter[0];
    return {};
  });
}

/// A thin device id as a thin-pool message takes it: a decimal number up to the kernel's
/// MAX_DEV_ID.
Parsed thin_id(std::string_view word, std::string_view what, std::uint32_t& out) {
  std::uint64_t value = 0;
  const bool digits =
      !word.empty() && word.size() <= 8 &&
      std::all_of(word.begin(), word.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  for (const char ch : digits ? word : std::string_view{}) {
    value = value * 10 + static_cast<unsigned>(ch - '0');
  }
  if (!digits || value > kMaxThinId) {
    return refuse(fmt::format("a thin-pool message's {} is a device id from 0 to {}, not '{}'",
                              what, kMaxThinId, word));
  }
  out = static_cast<std::uint32_t>(value);
  return {};
}

/// `create_thin ID`, `create_snap ID ORIGIN` or `delete ID`, after `message NAME 0`.
Parsed thin_message_text(Words& w, Call& call) {
  const std::string_view verb = w.take();
  call.op = Op::thin_message;
  call.thin_verb = verb == "create_thin"   ? ThinVerb::create_thin
                   : verb == "create_snap" ? ThinVerb::create_snap
                                           : ThinVerb::delete_thin;
  const std::size_t ids = call.thin_verb == ThinVerb::create_snap ? 2 : 1;
  if (w.left() != ids) {
    return refuse(fmt::format("'{}' takes {}", verb, ids == 2 ? "ID ORIGIN" : "one ID"));
  }
  return thin_id(w.take(), "ID", call.thin_id).and_then([&]() -> Parsed {
    return ids == 2 ? thin_id(w.take(), "ORIGIN", call.thin_origin) : Parsed{};
  });
}

/// What follows `message NAME`: sector 0, then the text that says which message (so this sets
/// the op). A message takes no options, so this reads every word.
Parsed message_text(Words& w, Call& call) {
  if (w.at_end() || w.take() != "0") {
    return refuse("'message' expects sector 0 after the device name");
  }
  if (!w.at_end() && w.peek() == "@cancel_deferred_remove") {
    call.op = Op::cancel_deferred;
    call.extra_args = w.left() > 1;
    w.skip_rest();
    return {};
  }
  if (w.left() == 2 && w.peek() == "key" && (w.peek(1) == "set" || w.peek(1) == "wipe")) {
    call.op = Op::crypt_key;
    call.key_set = w.peek(1) == "set";
    w.skip_rest();
    return {};
  }
  if (!w.at_end() &&
      (w.peek() == "create_thin" || w.peek() == "create_snap" || w.peek() == "delete")) {
    return thin_message_text(w, call);
  }
  return refuse(
      "unknown message: expected '@cancel_deferred_remove', 'key set', 'key wipe', "
      "'create_thin ID', 'create_snap ID ORIGIN' or 'delete ID'");
}

Parsed message_args(Words& w, Call& call) {
  return device_args(w, call).and_then([&] { return message_text(w, call); });
}

/// A verb, the op it stands for, and the parser of its arguments. The order is the one the
/// unknown-verb message lists.
struct Verb {
  std::string_view word;
  Op op;
  Parsed (*args)(Words&, Call&);
};
constexpr Verb kVerbs[] = {
    {"create", Op::create, device_args},
    {"load", Op::load, load_args},
    {"clear", Op::clear, device_args},
    {"suspend", Op::suspend, device_args},
    {"resume", Op::resume, device_args},
    {"remove", Op::remove, device_args},
    {"remove_all", Op::remove_all, no_args},
    {"message", Op::cancel_deferred, message_args},
    {"rename", Op::rename, rename_args},
    {"info", Op::info, device_args},
    {"open", Op::open, device_args},
    {"close", Op::close, device_args},
    {"read", Op::read, device_args},
    {"set_open_limit", Op::set_open_limit, set_open_limit_args},
    {"write", Op::write, write_args},
    {"status", Op::status, device_args},
    {"table", Op::table, device_args},
};

/// "unknown step 'X': expected create, load, ... or set_open_limit", listing kVerbs.
std::string unknown_verb(std::string_view word) {
  std::string message = "unknown step '" + std::string(word) + "': expected ";
  const std::size_t count = std::size(kVerbs);
  for (std::size_t i = 0; i < count; ++i) {
    message += i == 0 ? "" : (i + 1 == count ? " or " : ", ");
    message += kVerbs[i].word;
  }
  return message;
}

/// An option that takes a value, the verb that takes it, and where the value goes.
struct ValueOption {
  std::string_view word;
  Op op;
  Parsed (*store)(std::string_view value, Call& call);
};
constexpr ValueOption kValueOptions[] = {
    {"--table", Op::create,
     [](std::string_view value, Call& call) -> Parsed {
       call.table = value;
       return {};
     }},
    {"--uuid", Op::create,
     [](std::string_view value, Call& call) -> Parsed {
       call.uuid = value;
       return {};
     }},
    {"--open-limit", Op::create,
     [](std::string_view value, Call& call) {
       call.enforce_open_limit = true;
       return count_into(value, "an open limit", call.open_limit);
     }},
};

/// A flag option and the (one or two) verbs that take it.
struct FlagOption {
  std::string_view word;
  bool Call::*field;
  Op op;
  Op other_op;
};
constexpr FlagOption kFlagOptions[] = {
    {"--notable", &Call::notable, Op::create, Op::create},
    {"--readonly", &Call::readonly, Op::create, Op::load},
    {"--noflush", &Call::noflush, Op::suspend, Op::resume},
    {"--nolockfs", &Call::nolockfs, Op::suspend, Op::resume},
    {"--deferred", &Call::deferred, Op::remove, Op::remove_all},
    {"--no-open", &Call::no_open, Op::remove, Op::remove_all},
    {"--all", &Call::whole, Op::read, Op::write},
    {"--inactive", &Call::inactive, Op::status, Op::table},
};

/// The next option; each is valid only on the verbs listed with it.
Parsed parse_option(Words& w, Call& call) {
  const std::string_view option = w.take();
  for (const ValueOption& v : kValueOptions) {
    if (option == v.word && call.op == v.op) {
      return w.value(option).and_then([&](std::string_view value) { return v.store(value, call); });
    }
  }
  for (const FlagOption& f : kFlagOptions) {
    if (option == f.word && (call.op == f.op || call.op == f.other_op)) {
      call.*f.field = true;
      return {};
    }
  }
  return refuse("unexpected '" + std::string(option) + "' in '" + std::string(w.verb()) +
                "': see the step syntax for the options it takes");
}

Parsed parse_options(Words& w, Call& call) {
  while (!w.at_end()) {
    if (auto parsed = parse_option(w, call); !parsed) {
      return parsed;
    }
  }
  return {};
}

/// A create names its table or says it has none: exactly one of the two.
Parsed check_create(const Call& call) {
  if (call.op == Op::create && call.table.empty() && !call.notable) {
    return refuse("'create' expects --table T or --notable");
  }
  if (call.op == Op::create && !call.table.empty() && call.notable) {
    return refuse("'create' takes --table T or --notable, not both");
  }
  return {};
}

/// `remove --retry` and `remove --force` expand into steps, so a body cannot hold them.
Parsed refuse_composite_call(std::string_view text) {
  const std::vector<std::string_view> words = split_words(text);
  for (std::size_t i = 1; i < words.size() && !words.empty() && words[0] == "remove"; ++i) {
    if (words[i] == "--retry" || words[i] == "--force") {
      return refuse("'remove " + std::string(words[i]) +
                    "' expands into steps of its own, so it is a step, not a call in a body");
    }
  }
  return {};
}

/// Calls separated by ';'.
tl::expected<std::vector<Call>, Error> parse_sequence(std::string_view text) {
  std::vector<Call> sequence;
  while (true) {
    const std::size_t semi = text.find(';');
    if (auto plain = refuse_composite_call(text.substr(0, semi)); !plain) {
      return tl::unexpected(plain.error());
    }
    auto call = parse_call(text.substr(0, semi));
    if (!call) {
      return tl::unexpected(call.error());
    }
    sequence.push_back(*call);
    if (semi == std::string_view::npos) {
      return sequence;
    }
    text = text.substr(semi + 1);
  }
}

/// What stands between the keyword and '{': a repeat's bound, nothing for a choose.
Parsed parse_head(std::string_view head, Step& step) {
  if (step.form == Step::Form::choice) {
    if (!head.empty()) {
      return refuse("expected '{' right after 'choose'");
    }
    return {};
  }
  return parse_count(head, "a repeat bound").and_then([&](std::uint8_t n) -> Parsed {
    if (n == 0) {
      return refuse("a repeat bound must be at least 1");
    }
    step.bound = n;
    return {};
  });
}

/// A body may not hold another step: its calls are a plain sequence.
Parsed refuse_nesting(std::string_view body, std::string_view keyword) {
  if (body.find_first_of("{}") != std::string_view::npos) {
    return refuse("steps do not nest: the body of '" + std::string(keyword) +
                  "' is a sequence of calls ('CALL ; CALL')");
  }
  return {};
}

/// The text inside '{ }': alternatives split by '|' (a repeat takes one), each a sequence.
Parsed parse_body(std::string_view body, Step& step) {
  if (auto flat = refuse_nesting(body, step.form == Step::Form::choice ? "choose" : "repeat");
      !flat) {
    return flat;
  }
  while (true) {
    const std::size_t bar = body.find('|');
    auto sequence = parse_sequence(body.substr(0, bar));
    if (!sequence) {
      return tl::unexpected(sequence.error());
    }
    step.sequences.push_back(std::move(*sequence));
    if (bar == std::string_view::npos) {
      return {};
    }
    if (step.form == Step::Form::repeat) {
      return refuse("'repeat' takes one sequence; use ';' between its calls");
    }
    body = body.substr(bar + 1);
  }
}

/// A reacting step's text split at its braces: the words before '{', the body, and what
/// follows '}' (an if's else part, or nothing).
struct Braced {
  std::string_view head;
  std::string_view body;
  std::string_view rest;
};

tl::expected<Braced, Error> split_braces(std::string_view text, std::string_view keyword) {
  const std::size_t open = text.find('{');
  const std::size_t close = open == std::string_view::npos ? open : text.find('}', open);
  if (close == std::string_view::npos) {
    return refuse("expected '{ ... }' after '" + std::string(keyword) + "'");
  }
  const std::string_view body = text.substr(open + 1, close - open - 1);
  if (auto flat = refuse_nesting(body, keyword); !flat) {
    return tl::unexpected(flat.error());
  }
  return Braced{trim(text.substr(0, open)), body, trim(text.substr(close + 1))};
}

/// A reacting step's body: one call sequence, empty only where `may_be_empty`.
tl::expected<std::vector<Call>, Error> reacting_body(std::string_view body,
                                                     std::string_view keyword, bool may_be_empty) {
  if (trim(body).empty()) {
    if (may_be_empty) {
      return std::vector<Call>{};
    }
    return refuse("'" + std::string(keyword) + "' needs at least one call in its body");
  }
  if (body.find('|') != std::string_view::npos) {
    return refuse("'" + std::string(keyword) + "' takes one sequence; use ';' between its calls");
  }
  return parse_sequence(body);
}

/// An errno name the model's calls can return, for `on ERRNO` and `retry N on ERRNO`.
tl::expected<std::uint8_t, Error> reacting_errno(std::string_view word) {
  const std::uint8_t err = errno_number(word);
  if (err == 0) {
    std::string known;
    for (unsigned e = 1; e < 64; ++e) {
      if (errno_number(errno_name(static_cast<std::uint8_t>(e))) != 0) {
        known += (known.empty() ? "" : ", ") + errno_name(static_cast<std::uint8_t>(e));
      }
    }
    return refuse("unknown errno '" + std::string(word) + "': expected one of " + known);
  }
  return err;
}

/// `if ok { A } [else { B }]`: branch 0 on success, branch 1 otherwise.
tl::expected<Step, Error> parse_if(std::string_view text) {
  Step step;
  step.form = Step::Form::if_ok;
  auto braced = split_braces(text, "if ok");
  if (!braced) {
    return tl::unexpected(braced.error());
  }
  if (braced->head != "if ok") {
    return refuse("expected 'if ok { ... }': 'if' tests whether the previous call succeeded");
  }
  std::string_view else_body;
  const bool has_else = !braced->rest.empty();
  if (has_else) {
    if (!braced->rest.starts_with("else")) {
      return refuse("expected 'else { ... }' or nothing after 'if ok { ... }'");
    }
    auto other = split_braces(braced->rest, "else");
    if (!other) {
      return tl::unexpected(other.error());
    }
    if (other->head != "else" || !other->rest.empty()) {
      return refuse("expected 'else { ... }' or nothing after 'if ok { ... }'");
    }
    else_body = other->body;
  }
  auto then_calls = reacting_body(braced->body, "if ok", has_else);
  if (!then_calls) {
    return tl::unexpected(then_calls.error());
  }
  auto else_calls = reacting_body(else_body, "else", !has_else || !then_calls->empty());
  if (!else_calls) {
    return tl::unexpected(else_calls.error());
  }
  step.sequences = {std::move(*then_calls), std::move(*else_calls)};
  return step;
}

/// `on ERRNO { A }` and `retry N [on ERRNO] { A }`.
tl::expected<Step, Error> parse_on_or_retry(std::string_view text, bool retry) {
  Step step;
  step.form = retry ? Step::Form::retry : Step::Form::on;
  const std::string_view keyword = retry ? "retry N" : "on ERRNO";
  auto braced = split_braces(text, keyword);
  if (!braced) {
    return tl::unexpected(braced.error());
  }
  if (!braced->rest.empty()) {
    return refuse("unexpected '" + std::string(braced->rest) + "' after the body of '" +
                  std::string(keyword) + "'");
  }
  const std::vector<std::string_view> head = split_words(braced->head);
  const std::size_t errno_word = retry ? 3 : 1;
  if (retry && !(head.size() == 2 || (head.size() == 4 && head[2] == "on"))) {
    return refuse("expected 'retry N { ... }' or 'retry N on ERRNO { ... }'");
  }
  if (!retry && head.size() != 2) {
    return refuse("expected 'on ERRNO { ... }', e.g. 'on EBUSY { remove a --deferred }'");
  }
  if (retry) {
    auto bound = parse_count(head[1], "a retry bound");
    if (!bound) {
      return tl::unexpected(bound.error());
    }
    if (*bound == 0) {
      return refuse("a retry bound must be at least 1 (it counts attempts, the first included)");
    }
    step.bound = *bound;
  }
  if (head.size() > errno_word) {
    auto err = reacting_errno(head[errno_word]);
    if (!err) {
      return tl::unexpected(err.error());
    }
    step.err = *err;
  }
  auto body = reacting_body(braced->body, keyword, false);
  if (!body) {
    return tl::unexpected(body.error());
  }
  step.sequences = {std::move(*body)};
  return step;
}

/// The one-word keyword a reacting step starts with, followed by a space or '{'.
bool starts_with_keyword(std::string_view text, std::string_view keyword) {
  return text.starts_with(keyword) && text.size() > keyword.size() &&
         (text[keyword.size()] == ' ' || text[keyword.size()] == '\t' ||
          text[keyword.size()] == '{');
}

/// `remove` with --retry or --force (or both): the remove call without them, and which.
struct CompositeRemove {
  Call remove;
  bool retry = false;
  bool force = false;
};

/// Reads a remove that names a composite option; nullopt-like empty result (neither option)
/// for any other text.
tl::expected<CompositeRemove, Error> parse_composite_remove(std::string_view text) {
  CompositeRemove out;
  std::string plain;
  for (const std::string_view word : split_words(text)) {
    if (word == "--retry" || word == "--force") {
      (word == "--retry" ? out.retry : out.force) = true;
    } else {
      plain += std::string(plain.empty() ? "" : " ") + std::string(word);
    }
  }
  if (!out.retry && !out.force) {
    return out;
  }
  auto call = parse_call(plain);
  if (!call) {
    return tl::unexpected(call.error());
  }
  out.remove = *call;
  return out;
}

/// `remove --retry NAME`: retry 25 on EBUSY { remove NAME }.
Step retry_remove(const Call& remove) {
  Step step;
  step.form = Step::Form::retry;
  step.bound = kLibdmRemoveAttempts;
  step.err = kEBUSY;
  step.sequences = {{remove}};
  step.composite = Composite::remove_retry;
  return step;
}

/// A step of one call.
Step single(Call call, Composite composite) {
  Step step;
  step.sequences = {{std::move(call)}};
  step.composite = composite;
  return step;
}

/// `remove --force NAME` as dmsetup runs it: load an error table, resume it (dmsetup forces
/// --noflush --nolockfs so that the resume cannot hang), clear it if that fails, then remove
/// (with libdevmapper's retry when --retry is given too).
std::vector<Step> force_remove(const CompositeRemove& c) {
  const std::string& name = c.remove.device;
  Call load;
  load.op = Op::load;
  load.device = name;
  load.table = kForceErrorTable;
  Call resume;
  resume.op = Op::resume;
  resume.device = name;
  resume.noflush = resume.nolockfs = true;
  Call clear;
  clear.op = Op::clear;
  clear.device = name;
  Step resumed;
  resumed.form = Step::Form::if_ok;
  resumed.sequences = {{resume}, {}};
  resumed.composite = Composite::remove_force;
  Step cleared;
  cleared.form = Step::Form::if_ok;
  cleared.sequences = {{}, {clear}};
  cleared.composite = Composite::remove_force;
  Step removed = c.retry ? retry_remove(c.remove) : single(c.remove, Composite::remove_force);
  removed.composite = Composite::remove_force;
  return {single(load, Composite::remove_force), resumed, cleared, removed};
}

}  // namespace

std::uint8_t errno_number(std::string_view name) {
  constexpr std::uint8_t kKnown[] = {kEPERM,  kENOENT, kEINTR,  kEIO,    kENXIO,  kEBADF, kEAGAIN,
                                     kENOMEM, kEBUSY,  kEEXIST, kENODEV, kEINVAL, kENOSPC};
  for (const std::uint8_t e : kKnown) {
    if (errno_name(e) == name) {
      return e;
    }
  }
  return 0;
}

tl::expected<std::vector<Step>, Error> parse_steps(std::string_view text) {
  text = trim(text);
  if (text.starts_with("remove ")) {
    auto composite = parse_composite_remove(text);
    if (!composite) {
      return tl::unexpected(composite.error());
    }
    if (composite->force) {
      return force_remove(*composite);
    }
  }
  return parse_step(text).map([](Step step) { return std::vector<Step>{std::move(step)}; });
}

std::string_view to_string(Op op) {
  switch (op) {
    case Op::cancel_deferred:
    case Op::crypt_key:
    case Op::thin_message:
      return "message";
    default:
      for (const Verb& v : kVerbs) {
        if (v.op == op) {
          return v.word;
        }
      }
  }
  return "?";
}

tl::expected<Call, Error> parse_call(std::string_view text) {
  Words words(text);
  if (words.empty()) {
    return refuse("empty step: expected a dmsetup command such as 'open NAME'");
  }
  const Verb* verb = nullptr;
  for (const Verb& v : kVerbs) {
    verb = v.word == words.verb() ? &v : verb;
  }
  if (verb == nullptr) {
    return refuse(unknown_verb(words.verb()));
  }
  Call call;
  call.op = verb->op;
  return verb->args(words, call)
      .and_then([&] { return parse_options(words, call); })
      .and_then([&] { return check_create(call); })
      .map([&] { return call; });
}

tl::expected<Step, Error> parse_step(std::string_view text) {
  text = trim(text);
  if (starts_with_keyword(text, "if")) {
    return parse_if(text);
  }
  if (starts_with_keyword(text, "on") || starts_with_keyword(text, "retry")) {
    return parse_on_or_retry(text, text.starts_with("retry"));
  }
  if (text.starts_with("remove ")) {
    auto composite = parse_composite_remove(text);
    if (!composite) {
      return tl::unexpected(composite.error());
    }
    if (composite->force) {
      return refuse("'remove --force' expands to several steps: it is a line of a program");
    }
    if (composite->retry) {
      return retry_remove(composite->remove);
    }
  }
  Step step;
  const bool choose = text.starts_with("choose");
  const bool repeat = text.starts_with("repeat");
  if (!choose && !repeat) {
    return parse_call(text).map([&](Call call) {
      step.sequences = {{std::move(call)}};
      return step;
    });
  }
  const std::size_t open = text.find('{');
  if (open == std::string_view::npos || text.back() != '}') {
    return refuse("expected '{ ... }' after '" + std::string(choose ? "choose" : "repeat N") + "'");
  }
  step.form = repeat ? Step::Form::repeat : Step::Form::choice;
  return parse_head(trim(text.substr(6, open - 6)), step)
      .and_then([&] { return parse_body(text.substr(open + 1, text.size() - open - 2), step); })
      .map([&] { return step; });
}

std::string_view to_string(ThinVerb verb) {
  switch (verb) {
    case ThinVerb::create_thin:
      return "create_thin";
    case ThinVerb::create_snap:
      return "create_snap";
    case ThinVerb::delete_thin:
      return "delete";
  }
  return "?";
}

std::string thin_message_words(const Call& call) {
  std::string text = fmt::format("{} {}", to_string(call.thin_verb), call.thin_id);
  if (call.thin_verb == ThinVerb::create_snap) {
    text += " " + std::to_string(call.thin_origin);
  }
  return text;
}

std::string to_string(const Call& call) {
  std::string text(to_string(call.op));
  if (!call.device.empty()) {
    text += " " + call.device;
  }
  switch (call.op) {
    case Op::cancel_deferred:
      text += " 0 @cancel_deferred_remove";
      if (call.extra_args) {
        text += " extra";
      }
      break;
    case Op::crypt_key:
      text += call.key_set ? " 0 key set" : " 0 key wipe";
      break;
    case Op::thin_message:
      text += " 0 " + thin_message_words(call);
      break;
    case Op::load:
      text += " " + call.table;
      break;
    case Op::rename:
      text += " " + call.new_name;
      break;
    case Op::set_open_limit:
      text += " " + std::to_string(call.open_limit);
      break;
    case Op::write:
      text += std::string(" ") + call.letter;
      break;
    case Op::create:
      text += call.notable ? " --notable" : " --table " + call.table;
      if (!call.uuid.empty()) {
        text += " --uuid " + call.uuid;
      }
      if (call.enforce_open_limit) {
        text += " --open-limit " + std::to_string(call.open_limit);
      }
      break;
    default:
      break;
  }
  for (const FlagOption& f : kFlagOptions) {
    if (f.field != &Call::notable && call.*f.field) {  // a create's --notable is shown above
      text += " " + std::string(f.word);
    }
  }
  return text;
}

namespace {

std::string sequence_text(const std::vector<Call>& sequence) {
  std::string text;
  for (std::size_t c = 0; c < sequence.size(); ++c) {
    text += (c == 0 ? "" : "; ") + to_string(sequence[c]);
  }
  return text;
}

/// " { CALL; CALL }", or " { }" for an empty body.
std::string body_text(const std::vector<Call>& sequence) {
  return sequence.empty() ? " { }" : " { " + sequence_text(sequence) + " }";
}

}  // namespace

std::string to_string(const Step& step) {
  switch (step.form) {
    case Step::Form::call:
      return to_string(step.sequences.at(0).at(0));
    case Step::Form::if_ok:
      return "if ok" + body_text(step.sequences.at(0)) +
             (step.sequences.at(1).empty() ? "" : " else" + body_text(step.sequences.at(1)));
    case Step::Form::on:
      return "on " + errno_name(step.err) + body_text(step.sequences.at(0));
    case Step::Form::retry:
      return "retry " + std::to_string(step.bound) +
             (step.err == 0 ? "" : " on " + errno_name(step.err)) + body_text(step.sequences.at(0));
    case Step::Form::choice:
    case Step::Form::repeat:
      break;
  }
  std::string text = step.form == Step::Form::choice
                         ? std::string("choose {")
                         : "repeat " + std::to_string(step.bound) + " {";
  for (std::size_t a = 0; a < step.sequences.size(); ++a) {
    text += (a == 0 ? " " : " | ") + sequence_text(step.sequences[a]);
  }
  return text + " }";
}

}  // namespace dmcheck::model
