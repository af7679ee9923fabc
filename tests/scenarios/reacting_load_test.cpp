// Reacting steps and composites in a scenario file: each mistake is refused at load, at the line
// and column of the step, with a message saying what is wrong.

#include <doctest/doctest.h>

#include <string>

#include "scenarios/loader.h"

namespace scenarios = dmcheck::scenarios;

namespace {

/// A scenario with device a (and, with `error_table`, the table `remove --force` loads) whose
/// process p runs "info a" on line 15 and then `step` on line 16, column 3.
std::string with_step(const std::string& step, bool error_table = true,
                      const std::string& other = "info a") {
  return R"(variant = "6.1"
[[disks]]
name = "disk0"
[[tables]]
name = "lin"
targets = [{ type = "linear", onto = "disk0", length = 1 }]
[[tables]]
name = ")" +
         std::string(error_table ? "error" : "err") +
         R"("
targets = [{ type = "error" }]
[[devices]]
name = "a"
table = "lin"
[[processes]]
name = "p"
steps = [")" +
         other + R"(",
  ")" + step +
         R"("]
[expect]
reachable = ["device-freed"]
)";
}

/// The error loading `text` gives; fails the test when it loads.
dmcheck::Error refused(const std::string& text) {
  const auto s = scenarios::parse_scenario(text, "r.toml");
  REQUIRE_FALSE(s);
  return s.error();
}

void check_refused_at_step(const std::string& step, const std::string& expected,
                           bool error_table = true, const std::string& other = "info a") {
  CAPTURE(step);
  const dmcheck::Error e = refused(with_step(step, error_table, other));
  CHECK(e.message.find(expected) != std::string::npos);
  CAPTURE(e.message);
  REQUIRE(e.where.has_value());
  CHECK(e.where->line == 16);
  CHECK(e.where->column == 3);
}

}  // namespace

TEST_SUITE("scenarios/reacting") {
  TEST_CASE("well-formed reacting steps and composites load") {
    for (const std::string step :
         {"if ok { open a ; info a } else { info a }", "if ok { info a }",
          "if ok { } else { info a }", "on EBUSY { remove a --deferred }", "on ENXIO { info a }",
          "retry 3 { info a }", "retry 255 on EBUSY { remove a }", "remove --retry a",
          "remove a --retry", "remove --force a", "remove --force --retry a"}) {
      CAPTURE(step);
      const auto s = scenarios::parse_scenario(with_step(step), "r.toml");
      CHECK_MESSAGE(s.has_value(), (s ? "" : s.error().describe()));
    }
  }

  TEST_CASE("a composite is one line of the file and the steps it expands to") {
    const auto s = scenarios::parse_scenario(with_step("remove --force a"), "r.toml");
    REQUIRE(s);
    const auto& program = s->config.processes.at(0).program;
    REQUIRE(program.size() == 5);  // info a, then load, resume, clear, remove
    CHECK(dmcheck::model::to_string(program[1]) == "load a error");
    CHECK(dmcheck::model::to_string(program[2]) == "if ok { resume a --noflush --nolockfs }");
    CHECK(dmcheck::model::to_string(program[3]) == "if ok { } else { clear a }");
    CHECK(dmcheck::model::to_string(program[4]) == "remove a");
    const auto r = scenarios::parse_scenario(with_step("remove --retry a"), "r.toml");
    REQUIRE(r);
    CHECK(dmcheck::model::to_string(r->config.processes.at(0).program.at(1)) ==
          "retry 25 on EBUSY { remove a }");
  }

  TEST_CASE("if ok or on with no call before it is refused at its line; retry may come first") {
    const dmcheck::Error e = refused(with_step("info a", true, "on EBUSY { info a }"));
    CHECK(e.message.find("no call comes before it") != std::string::npos);
    REQUIRE(e.where.has_value());
    CHECK(e.where->line == 15);
    CHECK(e.where->column == 10);
    CHECK(refused(with_step("info a", true, "if ok { info a }")).where->line == 15);
    // retry reacts to its own body: it may come first, as remove --retry may.
    for (const char* first : {"retry 2 { info a }", "remove --retry a"}) {
      CAPTURE(first);
      CHECK(scenarios::parse_scenario(with_step("info a", true, first), "r.toml").has_value());
    }
  }

  TEST_CASE("bad bounds, errnos and forms are refused at the step") {
    check_refused_at_step("retry 0 { info a }", "a retry bound must be at least 1");
    check_refused_at_step("retry 256 { info a }", "expected a retry bound (a number 0..255)");
    check_refused_at_step("retry { info a }", "expected 'retry N { ... }'");
    check_refused_at_step("on EBUSYY { info a }", "unknown errno 'EBUSYY': expected one of EPERM");
    check_refused_at_step("on EMFILE { info a }", "unknown errno 'EMFILE'");
  }

  TEST_CASE("malformed reacting steps are refused at the step") {
    check_refused_at_step("if ready { info a }", "expected 'if ok { ... }'");
    check_refused_at_step("if ok { info a } otherwise { info a }", "expected 'else { ... }'");
    check_refused_at_step("if ok { } else { }", "'else' needs at least one call");
    check_refused_at_step("if ok { }", "'if ok' needs at least one call");
    check_refused_at_step("on EBUSY info a", "expected '{ ... }' after 'on ERRNO'");
    check_refused_at_step("on EBUSY { }", "'on ERRNO' needs at least one call");
    check_refused_at_step("on EBUSY { info a | open a }", "takes one sequence");
    check_refused_at_step("on EBUSY { info a } info a", "unexpected 'info a' after the body");
    check_refused_at_step("on { info a }", "expected 'on ERRNO { ... }'");
  }

  TEST_CASE("steps do not nest: a body holding a step is refused") {
    check_refused_at_step("if ok { retry 2 { info a } }", "steps do not nest");
    check_refused_at_step("retry 2 { choose { info a | open a } }", "steps do not nest");
    check_refused_at_step("repeat 2 { on EBUSY { info a } }", "steps do not nest");
  }

  TEST_CASE("remove --force needs the scenario's error table, and a name that cannot come back") {
    check_refused_at_step("remove --force a", "loads table 'error': declare it in [[tables]]",
                          false);
    check_refused_at_step("on EBUSY { remove --force a }", "it is a step, not a call in a body");
    // The process's own create cannot run between the expansion's load and clear...
    CHECK(scenarios::parse_scenario(with_step("remove --force a", true, "create a --table lin"),
                                    "r.toml"));
    // ...another process's can.
    const dmcheck::Error e = refused(with_step("remove --force a") + R"([[processes]]
name = "q"
steps = ["create a --table lin"]
)");
    CHECK(e.message.find("process 'q' step 'create a --table lin' could give the name") !=
          std::string::npos);
    CHECK(e.where->line == 16);
  }
}
