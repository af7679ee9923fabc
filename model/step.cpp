#include "model/step.h"

#include <charconv>

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
  return refuse("unknown message: expected '@cancel_deferred_remove', 'key set' or 'key wipe'");
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

/// Calls separated by ';'.
tl::expected<std::vector<Call>, Error> parse_sequence(std::string_view text) {
  std::vector<Call> sequence;
  while (true) {
    const std::size_t semi = text.find(';');
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

/// The text inside '{ }': alternatives split by '|' (a repeat takes one), each a sequence.
Parsed parse_body(std::string_view body, Step& step) {
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

}  // namespace

std::string_view to_string(Op op) {
  switch (op) {
    case Op::cancel_deferred:
    case Op::crypt_key:
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
    case Op::load:
      text += " " + call.table;
      break;
    case Op::rename:
      text += " " + call.new_name;
      break;
    case Op::set_open_limit:
      text += " " + std::to_string(call.open_limit);
      break;
    case Op::create:
      text += call.notable ? " --notable" : " --table " + call.table;
      if (!call.uuid.empty()) {
        text += " --uuid " + call.uuid;
      }
      if (call.open_limit != 0) {
        text += " --open-limit " + std::to_string(call.open_limit);
      }
      break;
    default:
      break;
  }
  if (call.readonly) {
    text += " --readonly";
  }
  if (call.noflush) {
    text += " --noflush";
  }
  if (call.nolockfs) {
    text += " --nolockfs";
  }
  if (call.deferred) {
    text += " --deferred";
  }
  if (call.no_open) {
    text += " --no-open";
  }
  return text;
}

std::string to_string(const Step& step) {
  if (step.form == Step::Form::call) {
    return to_string(step.sequences.at(0).at(0));
  }
  std::string text = step.form == Step::Form::choice
                         ? std::string("choose {")
                         : "repeat " + std::to_string(step.bound) + " {";
  for (std::size_t a = 0; a < step.sequences.size(); ++a) {
    text += a == 0 ? " " : " | ";
    for (std::size_t c = 0; c < step.sequences[a].size(); ++c) {
      text += (c == 0 ? "" : "; ") + to_string(step.sequences[a][c]);
    }
  }
  return text + " }";
}

}  // namespace dmcheck::model
