#include "model/step.h"

#include <charconv>

namespace dmcheck::model {
namespace {

Error bad(std::string message) { return Error{ErrorKind::bad_input, std::move(message), {}}; }

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
    return tl::unexpected(bad("expected " + std::string(what) + " (a number 0..255), got '" +
                              std::string(word) + "'"));
  }
  return static_cast<std::uint8_t>(value);
}

struct OpName {
  std::string_view word;
  Op op;
};
constexpr OpName kOps[] = {
    {"create", Op::create},
    {"load", Op::load},
    {"clear", Op::clear},
    {"suspend", Op::suspend},
    {"resume", Op::resume},
    {"remove", Op::remove},
    {"remove_all", Op::remove_all},
    {"rename", Op::rename},
    {"info", Op::info},
    {"open", Op::open},
    {"close", Op::close},
    {"read", Op::read},
    {"set_open_limit", Op::set_open_limit},
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

}  // namespace

std::string_view to_string(Op op) {
  switch (op) {
    case Op::cancel_deferred:
    case Op::crypt_key:
      return "message";
    default:
      for (const auto& o : kOps) {
        if (o.op == op) {
          return o.word;
        }
      }
  }
  return "?";
}

tl::expected<Call, Error> parse_call(std::string_view text) {
  const auto words = split_words(text);
  if (words.empty()) {
    return tl::unexpected(bad("empty step: expected a dmsetup command such as 'open NAME'"));
  }
  Call call;
  const std::string_view verb = words[0];
  std::size_t next = 1;
  auto positional = [&](std::string_view what) -> tl::expected<std::string, Error> {
    if (next >= words.size() || words[next].starts_with("--")) {
      return tl::unexpected(bad("'" + std::string(verb) + "' expects " + std::string(what)));
    }
    return std::string(words[next++]);
  };
  if (verb == "message") {
    auto name = positional("a device NAME");
    if (!name) {
      return tl::unexpected(name.error());
    }
    call.device = *name;
    if (next >= words.size() || words[next] != "0") {
      return tl::unexpected(bad("'message' expects sector 0 after the device name"));
    }
    ++next;
    if (next < words.size() && words[next] == "@cancel_deferred_remove") {
      call.op = Op::cancel_deferred;
      call.extra_args = next + 1 < words.size();
      return call;
    }
    if (next + 1 < words.size() && words[next] == "key" &&
        (words[next + 1] == "set" || words[next + 1] == "wipe") && next + 2 == words.size()) {
      call.op = Op::crypt_key;
      call.key_set = words[next + 1] == "set";
      return call;
    }
    return tl::unexpected(
        bad("unknown message: expected '@cancel_deferred_remove', "
            "'key set' or 'key wipe'"));
  }
  bool known = false;
  for (const auto& o : kOps) {
    if (o.word == verb) {
      call.op = o.op;
      known = true;
    }
  }
  if (!known) {
    return tl::unexpected(bad("unknown step '" + std::string(verb) +
                              "': expected create, load, clear, suspend, resume, remove, "
                              "remove_all, message, rename, info, open, close, read or "
                              "set_open_limit"));
  }
  if (call.op != Op::remove_all) {
    auto name = positional("a device NAME");
    if (!name) {
      return tl::unexpected(name.error());
    }
    call.device = *name;
  }
  if (call.op == Op::load) {
    auto table = positional("a TABLE name");
    if (!table) {
      return tl::unexpected(table.error());
    }
    call.table = *table;
  } else if (call.op == Op::rename) {
    auto new_name = positional("a NEW name");
    if (!new_name) {
      return tl::unexpected(new_name.error());
    }
    call.new_name = *new_name;
  } else if (call.op == Op::set_open_limit) {
    auto limit = positional("a limit N");
    if (!limit) {
      return tl::unexpected(limit.error());
    }
    auto n = parse_count(*limit, "an open limit");
    if (!n) {
      return tl::unexpected(n.error());
    }
    call.open_limit = *n;
  }
  // Options: each is valid only on the verbs listed with it.
  while (next < words.size()) {
    const std::string_view opt = words[next++];
    auto allowed = [&](std::initializer_list<Op> ops) {
      for (Op op : ops) {
        if (op == call.op) {
          return true;
        }
      }
      return false;
    };
    auto value = [&]() -> tl::expected<std::string, Error> {
      if (next >= words.size()) {
        return tl::unexpected(bad("option '" + std::string(opt) + "' expects a value"));
      }
      return std::string(words[next++]);
    };
    bool ok = false;
    std::string* text_value = nullptr;
    if (opt == "--table" && allowed({Op::create})) {
      text_value = &call.table;
    } else if (opt == "--uuid" && allowed({Op::create})) {
      text_value = &call.uuid;
    }
    if (text_value != nullptr || (opt == "--open-limit" && allowed({Op::create}))) {
      auto v = value();
      if (!v) {
        return tl::unexpected(v.error());
      }
      if (text_value != nullptr) {
        *text_value = *v;
      } else {
        auto n = parse_count(*v, "an open limit");
        if (!n) {
          return tl::unexpected(n.error());
        }
        call.open_limit = *n;
      }
      ok = true;
    }
    for (const FlagOption& f : kFlagOptions) {
      if (opt == f.word && allowed({f.op, f.other_op})) {
        call.*f.field = ok = true;
      }
    }
    if (!ok) {
      return tl::unexpected(bad("unexpected '" + std::string(opt) + "' in '" + std::string(verb) +
                                "': see the step syntax for the options it takes"));
    }
  }
  if (call.op == Op::create && call.table.empty() && !call.notable) {
    return tl::unexpected(bad("'create' expects --table T or --notable"));
  }
  if (call.op == Op::create && !call.table.empty() && call.notable) {
    return tl::unexpected(bad("'create' takes --table T or --notable, not both"));
  }
  return call;
}

tl::expected<Step, Error> parse_step(std::string_view text) {
  text = trim(text);
  Step step;
  const bool choose = text.starts_with("choose");
  const bool repeat = text.starts_with("repeat");
  if (!choose && !repeat) {
    auto call = parse_call(text);
    if (!call) {
      return tl::unexpected(call.error());
    }
    step.sequences = {{*call}};
    return step;
  }
  const std::size_t open = text.find('{');
  if (open == std::string_view::npos || text.back() != '}') {
    return tl::unexpected(
        bad("expected '{ ... }' after '" + std::string(choose ? "choose" : "repeat N") + "'"));
  }
  if (repeat) {
    step.form = Step::Form::repeat;
    auto n = parse_count(trim(text.substr(6, open - 6)), "a repeat bound");
    if (!n) {
      return tl::unexpected(n.error());
    }
    if (*n == 0) {
      return tl::unexpected(bad("a repeat bound must be at least 1"));
    }
    step.bound = *n;
  } else {
    step.form = Step::Form::choice;
    if (!trim(text.substr(6, open - 6)).empty()) {
      return tl::unexpected(bad("expected '{' right after 'choose'"));
    }
  }
  std::string_view body = text.substr(open + 1, text.size() - open - 2);
  while (true) {
    const std::size_t bar = body.find('|');
    std::string_view alternative = body.substr(0, bar);
    std::vector<Call> sequence;
    while (true) {
      const std::size_t semi = alternative.find(';');
      auto call = parse_call(alternative.substr(0, semi));
      if (!call) {
        return tl::unexpected(call.error());
      }
      sequence.push_back(*call);
      if (semi == std::string_view::npos) {
        break;
      }
      alternative = alternative.substr(semi + 1);
    }
    step.sequences.push_back(std::move(sequence));
    if (bar == std::string_view::npos) {
      break;
    }
    if (repeat) {
      return tl::unexpected(bad("'repeat' takes one sequence; use ';' between its calls"));
    }
    body = body.substr(bar + 1);
  }
  return step;
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
