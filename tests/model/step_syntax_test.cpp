// The step parser's contract in detail: which verbs exist and how an unknown one is reported,
// each error's exact text, which options each verb takes, and how a message's words are read.

#include <set>
#include <string>
#include <vector>

#include "model/step.h"
#include "tests/model/fixtures.h"

namespace dmcheck::model::testing {
namespace {

/// The verbs an unknown-step message offers, in its order: "expected a, b or c" -> {a, b, c}.
std::vector<std::string> offered_verbs(const std::string& message) {
  const std::string marker = "': expected ";
  const std::size_t start = message.find(marker);
  REQUIRE(start != std::string::npos);
  std::string list = message.substr(start + marker.size());
  const std::size_t last = list.rfind(" or ");
  REQUIRE(last != std::string::npos);
  list.replace(last, 4, ", ");
  std::vector<std::string> verbs;
  std::size_t from = 0;
  while (from <= list.size()) {
    const std::size_t comma = list.find(", ", from);
    verbs.push_back(list.substr(from, comma - from));
    if (comma == std::string::npos) {
      break;
    }
    from = comma + 2;
  }
  return verbs;
}

}  // namespace

TEST_SUITE("model/step-syntax") {
  TEST_CASE("the unknown-step message offers exactly the verbs a step may start with") {
    auto step = parse_step("frobnicate a");
    REQUIRE_FALSE(step);
    const std::string message = step.error().message;
    CHECK(message.starts_with("unknown step 'frobnicate': expected create, load, "));
    const std::vector<std::string> offered = offered_verbs(message);
    const std::set<std::string> distinct(offered.begin(), offered.end());
    CHECK(distinct.size() == offered.size());
    // Every operation's verb is offered ("message" stands for both message operations)...
    std::set<std::string> verbs;
    for (int op = 0; op <= static_cast<int>(Op::table); ++op) {
      verbs.insert(std::string(to_string(static_cast<Op>(op))));
    }
    CHECK(verbs.size() == 17);
    CHECK(distinct == verbs);
    // ...and every verb offered is one the parser knows.
    for (const std::string& verb : offered) {
      CAPTURE(verb);
      auto parsed = parse_step(verb + " a");
      CHECK((parsed || parsed.error().message.find("unknown step") == std::string::npos));
    }
  }

  TEST_CASE("each parse error has its exact text") {
    struct Bad {
      const char* text;
      const char* message;
    };
    const Bad bad[] = {
        {"message", "'message' expects a device NAME"},
        {"message a", "'message' expects sector 0 after the device name"},
        {"message a 0",
         "unknown message: expected '@cancel_deferred_remove', 'key set', 'key wipe', "
         "'create_thin ID', 'create_snap ID ORIGIN' or 'delete ID'"},
        {"message a 0 key set now",
         "unknown message: expected '@cancel_deferred_remove', 'key set', 'key wipe', "
         "'create_thin ID', 'create_snap ID ORIGIN' or 'delete ID'"},
        {"message a 0 create_thin", "'create_thin' takes one ID"},
        {"message a 0 create_snap 1 x",
         "a thin-pool message's ORIGIN is a device id from 0 to 16777215, not 'x'"},
        {"message a 0 delete 99999999",
         "a thin-pool message's ID is a device id from 0 to 16777215, not '99999999'"},
        {"set_open_limit a", "'set_open_limit' expects a limit N"},
        {"set_open_limit a 256", "expected an open limit (a number 0..255), got '256'"},
        {"load a --readonly", "'load' expects a TABLE name"},
        {"load a t --table u",
         "unexpected '--table' in 'load': see the step syntax for the options it takes"},
        {"remove_all a",
         "unexpected 'a' in 'remove_all': see the step syntax for the options it takes"},
        {"create a --uuid", "option '--uuid' expects a value"},
        {"create a --table t --open-limit x", "expected an open limit (a number 0..255), got 'x'"},
        {"create a --uuid u", "'create' expects --table T or --notable"},
        {"choose x { open a }", "expected '{' right after 'choose'"},
        {"choose { open a", "expected '{ ... }' after 'choose'"},
        {"repeat 256 { open a }", "expected a repeat bound (a number 0..255), got '256'"},
        {"choose { open a | frob a }",
         "unknown step 'frob': expected create, load, clear, suspend, resume, remove, remove_all, "
         "message, rename, info, open, close, read, set_open_limit, write, status or table"},
        {"choose { open a; }", "empty step: expected a dmsetup command such as 'open NAME'"},
    };
    for (const Bad& b : bad) {
      CAPTURE(b.text);
      auto step = parse_step(b.text);
      REQUIRE_FALSE(step);
      CHECK(step.error().kind == ErrorKind::bad_input);
      CHECK(step.error().message == b.message);
    }
  }

  TEST_CASE("each option is taken by its verbs only") {
    struct Option {
      const char* word;
      std::set<std::string> verbs;
    };
    const Option options[] = {
        {"--notable", {"create"}},
        {"--readonly", {"create", "load"}},
        {"--noflush", {"suspend", "resume"}},
        {"--nolockfs", {"suspend", "resume"}},
        {"--deferred", {"remove", "remove_all"}},
        {"--no-open", {"remove", "remove_all"}},
    };
    // The smallest valid call of each verb.
    const std::pair<const char*, const char*> calls[] = {
        {"create", "create a --table t"},
        {"load", "load a t"},
        {"suspend", "suspend a"},
        {"resume", "resume a"},
        {"remove", "remove a"},
        {"remove_all", "remove_all"},
        {"clear", "clear a"},
        {"open", "open a"},
        {"rename", "rename a b"},
        {"set_open_limit", "set_open_limit a 1"},
    };
    for (const Option& o : options) {
      for (const auto& [verb, call] : calls) {
        const std::string text = std::string(call) + " " + o.word;
        CAPTURE(text);
        auto step = parse_step(text);
        const bool refused = !step && step.error().message ==
                                          "unexpected '" + std::string(o.word) + "' in '" + verb +
                                              "': see the step syntax for the options it takes";
        CHECK(refused == (o.verbs.count(verb) == 0));
        // A taken option is set; only create's --table and --notable rule out each other.
        if (!refused && std::string(o.word) != "--notable") {
          REQUIRE(step);
        }
      }
    }
    // Value options belong to create alone.
    CHECK(parse_step("create a --table t --uuid u --open-limit 2")->sequences[0][0].open_limit ==
          2);
    for (const char* text : {"load a t --uuid u", "open a --open-limit 1", "info a --table t"}) {
      CAPTURE(text);
      CHECK_FALSE(parse_step(text));
    }
  }

  TEST_CASE("a message reads every word after its sector as its text") {
    const Call cancel =
        parse_step("message a 0 @cancel_deferred_remove --deferred")->sequences[0][0];
    CHECK(cancel.op == Op::cancel_deferred);
    CHECK(cancel.extra_args);
    CHECK_FALSE(cancel.deferred);
    const Call plain = parse_step("message a 0 @cancel_deferred_remove")->sequences[0][0];
    CHECK_FALSE(plain.extra_args);
    const Call wipe = parse_step("message c 0 key wipe")->sequences[0][0];
    CHECK(wipe.op == Op::crypt_key);
    CHECK(wipe.device == "c");
    CHECK_FALSE(wipe.key_set);
    CHECK(parse_step("message c 0 key set")->sequences[0][0].key_set);
  }
}

}  // namespace dmcheck::model::testing
