// Variants, steps in dmsetup's words, configuration validation and the catalogue.

#include "model/catalogue.h"
#include "tests/model/fixtures.h"

namespace dmcheck::model::testing {

TEST_SUITE("model/parse") {
  TEST_CASE("variants parse and print canonically") {
    auto v = parse_variant("6.12+finalize-hook+no-open-flag");
    REQUIRE(v);
    CHECK(v->base == Base::v6_12);
    CHECK(v->has(kFinalizeHook));
    CHECK(v->has(kNoOpenFlag));
    CHECK_FALSE(v->has(kOpenLimitIoctl));
    CHECK(to_string(*v) == "6.12+no-open-flag+finalize-hook");
    CHECK(to_string(*parse_variant("6.1")) == "6.1");
    CHECK(parse_variant("6.1+open-limit-ioctl")->has_open_limit());
    CHECK(parse_variant("6.1+create-open-limit")->has_open_limit());
    CHECK_FALSE(parse_variant("5.10"));
    CHECK(parse_variant("5.10").error().message.find("6.1 or 6.12") != std::string::npos);
    CHECK_FALSE(parse_variant("6.1+nope"));
    CHECK(parse_variant("6.1+nope").error().message.find("'nope'") != std::string::npos);
  }

  TEST_CASE("steps parse in dmsetup's words and print back") {
    const std::vector<std::string> texts = {
        "create swap --table t1 --uuid U1 --readonly",
        "create swap --notable",
        "create swap --table t --open-limit 1",
        "load swap t2",
        "load swap t2 --readonly",
        "clear swap",
        "suspend swap --noflush --nolockfs",
        "resume swap",
        "remove swap --deferred",
        "remove swap --deferred --no-open",
        "remove_all --deferred",
        "message swap 0 @cancel_deferred_remove",
        "message c 0 key wipe",
        "message c 0 key set",
        "rename swap swap2",
        "info swap",
        "open swap",
        "close swap",
        "read swap",
        "set_open_limit swap 1",
        "choose { open a | close a; open a }",
        "repeat 3 { open a; close a }",
    };
    for (const auto& text : texts) {
      CAPTURE(text);
      auto step = parse_step(text);
      REQUIRE_MESSAGE(step, (step ? "" : step.error().message));
      auto again = parse_step(to_string(*step));
      REQUIRE(again);
      CHECK(to_string(*again) == to_string(*step));
      CHECK(to_string(*step) == text);
    }
    const Call c = parse_step("create swap --table t1 --uuid U1 --readonly")->sequences[0][0];
    CHECK(c.op == Op::create);
    CHECK(c.device == "swap");
    CHECK(c.table == "t1");
    CHECK(c.uuid == "U1");
    CHECK(c.readonly);
    const Step r = *parse_step("repeat 3 { open a; close a }");
    CHECK(r.form == Step::Form::repeat);
    CHECK(r.bound == 3);
    CHECK(r.sequences.size() == 1);
    CHECK(r.sequences[0].size() == 2);
    const Step ch = *parse_step("choose { open a | close a; open a }");
    CHECK(ch.form == Step::Form::choice);
    CHECK(ch.sequences.size() == 2);
    CHECK(parse_step("message a 0 @cancel_deferred_remove x")->sequences[0][0].extra_args);
  }

  TEST_CASE("bad steps name what was expected") {
    struct Bad {
      const char* text;
      const char* mentions;
    };
    const Bad bad[] = {
        {"", "empty step"},
        {"frobnicate a", "unknown step 'frobnicate'"},
        {"open", "expects a device NAME"},
        {"load a", "expects a TABLE"},
        {"rename a", "expects a NEW"},
        {"create a", "--table T or --notable"},
        {"create a --table t --notable", "not both"},
        {"remove a --noflush", "unexpected '--noflush'"},
        {"open a --deferred", "unexpected '--deferred'"},
        {"message a 1 @cancel_deferred_remove", "sector 0"},
        {"message a 0 hello", "unknown message"},
        {"set_open_limit a x", "a number"},
        {"repeat 0 { open a }", "at least 1"},
        {"repeat 2 open a", "expected '{"},
        {"repeat 2 { open a | close a }", "one sequence"},
        {"create a --table", "expects a value"},
    };
    for (const Bad& b : bad) {
      CAPTURE(b.text);
      auto step = parse_step(b.text);
      REQUIRE_FALSE(step);
      CHECK(step.error().kind == ErrorKind::bad_input);
      CHECK_MESSAGE(step.error().message.find(b.mentions) != std::string::npos,
                    step.error().message);
    }
  }

  TEST_CASE("validate rejects steps the variant lacks and unknown names") {
    Config c = base_config("6.1");
    c.processes = {process("p", {"remove a --deferred --no-open"})};
    auto e = validate(c);
    REQUIRE_FALSE(e);
    CHECK(e.error().message.find("no-open-flag") != std::string::npos);
    c.processes = {process("p", {"set_open_limit a 1"})};
    CHECK(validate(c).error().message.find("open-limit-ioctl") != std::string::npos);
    c.processes = {process("p", {"create a --table lin0 --open-limit 1"})};
    CHECK(validate(c).error().message.find("create-open-limit") != std::string::npos);
    c.processes = {process("p", {"load a nosuch"})};
    CHECK(validate(c).error().message.find("unknown table 'nosuch'") != std::string::npos);
    c.processes = {};
    c.properties = {"no-such-property"};
    CHECK(validate(c).error().message.find("unknown property") != std::string::npos);
    c.properties = {};
    c.devices = {{"a", "", "nosuch", false, 0, 0, "", false}};
    CHECK_FALSE(validate(c));
    c.devices = {{"a", "", "", false, 0, 0, "", false}, {"a", "", "", false, 0, 0, "", false}};
    CHECK(validate(c).error().message.find("twice") != std::string::npos);
    c.devices = {};
    c.processes = std::vector<ProcessSpec>(kMaxProcesses + 1, ProcessSpec{"p", {}, {}});
    CHECK(validate(c).error().message.find("too many processes") != std::string::npos);
    c.processes = {};
    c.tables.push_back({"x", {of_kind(TargetKind::crypt, "")}});
    CHECK(validate(c).error().message.find("needs 'onto'") != std::string::npos);
    CHECK(validate(base_config("6.1+no-open-flag")));
    CHECK_FALSE(DmModel::build(c));
  }

  TEST_CASE("the catalogue lists every property once, with a meaning") {
    std::set<std::string> names;
    for (const auto& e : catalogue()) {
      CHECK(names.insert(std::string(e.name)).second);
      CHECK_FALSE(e.meaning.empty());
    }
    for (const char* required :
         {"no-open-after-no-open-mark", "no-open-flag-implies-deferred", "one-shot-device",
          "holder-can-reopen", "integrity-matches-live-table", "integrity-after-failed-resume",
          "open-count-matches-references", "no-handle-to-freed-device", "unique-names",
          "deleting-implies-closed", "live-table-changes-only-while-suspended",
          "failed-resume-leaves-suspended", "postsuspend-resume-alternate",
          "failed-implicit-suspend-keeps-table"}) {
      CHECK_MESSAGE(find_in_catalogue(required) != nullptr, required);
    }
    CHECK(find_in_catalogue("holder-can-reopen")->kind == checker::PropertyKind::sometimes);
    // A config picks properties by name; the default is the whole catalogue.
    Config c = base_config();
    CHECK(build(c).properties().size() == catalogue().size());
    c.properties = {"unique-names", "one-shot-device"};
    const auto props = build(c).properties();
    REQUIRE(props.size() == 2);
    CHECK(props[0].name == "one-shot-device");  // catalogue order
  }

  TEST_CASE("describe_action and describe_state read without a manual") {
    Config c = base_config();
    c.processes = {process(
        "p0", {"create swap --table lin0 --uuid U1", "open swap", "remove swap --deferred"})};
    auto r = *run_sequential(c);
    REQUIRE(r.trace.size() >= 3);
    CHECK(r.trace.back() == "p0 remove swap --deferred -> 0 [DEFERRED_REMOVE]");
    const auto model = build(c);
    const std::string state = model.describe_state(r.final_state);
    CHECK_MESSAGE(state.find("swap[U1] DEFERRED open=1 live=lin0") != std::string::npos, state);
  }
}

}  // namespace dmcheck::model::testing
