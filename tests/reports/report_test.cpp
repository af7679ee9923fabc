#include "reports/report.h"

#include <doctest/doctest.h>

#include "reports/json.h"
#include "reports/junit.h"
#include "reports/markdown.h"

namespace reports = dmcheck::reports;
using dmcheck::checker::PropertyKind;
using dmcheck::checker::Verdict;

namespace {

reports::Report sample() {
  reports::Report r;
  r.name = "swap";
  r.file = "scenarios/swap.toml";
  r.description = "a <sample> & more";
  r.variant = "6.1";
  r.stats.states = 261;
  r.stats.transitions = 524;
  r.stats.max_depth = 17;
  reports::PropertyReport violated;
  violated.name = "one-shot-device";
  violated.kind = PropertyKind::always;
  violated.verdict = Verdict::violated;
  violated.expected = Verdict::violated;
  violated.expected_shortest = 2;
  violated.trace = {{"", "dm0 a", {}, 0},
                    {"p0 open a -> 0", "dm0 a open=1", {"dm0 a open=1"}, 1},
                    {"p1 open a -> 0", "dm0 a open=2", {"dm0 a open=2"}, 0}};
  reports::PropertyReport holds;
  holds.name = "unique-names";
  holds.verdict = Verdict::holds;
  holds.expected = Verdict::holds;
  r.properties = {violated, holds};
  return r;
}

}  // namespace

TEST_SUITE("reports") {
  TEST_CASE("outcomes: as expected, changed verdict, changed length, undecided") {
    reports::Report r = sample();
    CHECK(r.outcome() == reports::Outcome::as_expected);
    r.properties[0].expected_shortest = 3;
    CHECK(r.properties[0].outcome() == reports::Outcome::changed);
    CHECK(r.outcome() == reports::Outcome::changed);
    r = sample();
    r.properties[1].verdict = Verdict::unknown;
    CHECK(r.outcome() == reports::Outcome::incomplete);
    r.properties[0].verdict = Verdict::holds;
    CHECK(r.outcome() == reports::Outcome::changed);
  }

  TEST_CASE("JSON round trip keeps everything a reader needs") {
    const reports::Report r = sample();
    const auto json = reports::to_json(r);
    CHECK(json["schema"] == "dmcheck-report/1");
    CHECK(json["properties"][0]["trace"]["length"] == 2);
    const auto back = reports::report_from_json(json, "x.json");
    REQUIRE_MESSAGE(back, (back ? "" : back.error().describe()));
    CHECK(reports::to_json(*back) == json);
    CHECK(back->properties[0].trace[1].successor == 1);
  }

  TEST_CASE("JSON from another schema or malformed is refused with a reason") {
    auto json = reports::to_json(sample());
    json["schema"] = "other/9";
    CHECK(reports::report_from_json(json, "x.json").error().message.find("$.schema must be") !=
          std::string::npos);
    json = reports::to_json(sample());
    json["properties"][0].erase("verdict");
    CHECK(reports::report_from_json(json, "x.json")
              .error()
              .message.find("$.properties[0].verdict is missing") != std::string::npos);
  }

  TEST_CASE("changed parts of a state") {
    CHECK(
        reports::changed_parts("dm0 a open=0; dm1 b | p0 at 1", "dm0 a open=1; dm1 b | p0 at 2") ==
        std::vector<std::string>{"dm0 a open=1", "p0 at 2"});
    CHECK(reports::changed_parts("x", "x").empty());
  }

  TEST_CASE("JUnit XML: a failure per changed scenario, an error per broken one, escaped") {
    reports::Report changed = sample();
    changed.properties[1].verdict = Verdict::violated;
    reports::LibraryRun run;
    run.reports = {sample(), changed};
    run.broken = {{"bad", "bad.toml:3:1: unknown key 'x'"}};
    run.uncovered_steps = {"rename"};
    const std::string xml = reports::render_junit(run);
    CHECK(xml.find("tests=\"4\" failures=\"2\" errors=\"1\" skipped=\"0\"") != std::string::npos);
    CHECK(xml.find("type=\"verdict-changed\"") != std::string::npos);
    CHECK(xml.find("unique-names: violated (expected holds)") != std::string::npos);
    CHECK(xml.find("unknown key &apos;x&apos;") == std::string::npos);  // quotes kept as text
    CHECK(xml.find("type=\"uncovered\"") != std::string::npos);
    CHECK(xml.find("<error type=\"bad-input\"") != std::string::npos);
  }

  TEST_CASE("Markdown summary: a row per scenario, shortest lengths, uncovered steps") {
    reports::LibraryRun run;
    run.reports = {sample()};
    run.uncovered_steps = {"rename"};
    run.covered_steps = 30;
    const std::string md = reports::render_markdown(run);
    CHECK(md.find("1 scenarios: 1 as expected, 0 not, 0 unreadable. Steps covered: 30 of 31.") !=
          std::string::npos);
    CHECK(
        md.find(
            "| swap | 6.1 | 261 | 17 | one-shot-device: violated (2)<br>1 hold, 0 unreachable | as "
            "expected |") != std::string::npos);
    CHECK(md.find("`rename`") != std::string::npos);
  }

  TEST_CASE("a run stopped by a signal: skipped JUnit cases, not-run Markdown rows") {
    reports::LibraryRun run;
    reports::Report partial = sample();
    partial.stop = dmcheck::checker::StopReason::interrupted;
    partial.properties[1].verdict = Verdict::unknown;
    run.reports = {partial};
    run.not_run = {"later", "last"};
    run.not_run_reason = "interrupted by SIGTERM";
    run.coverage_checked = false;
    run.uncovered_steps = {};
    const std::string xml = reports::render_junit(run);
    CHECK(xml.find("tests=\"4\" failures=\"1\" errors=\"0\" skipped=\"3\"") != std::string::npos);
    CHECK(xml.find("<testcase classname=\"scenarios\" name=\"later\">\n"
                   "    <skipped message=\"not run: interrupted by SIGTERM\"/>") !=
          std::string::npos);
    CHECK(xml.find("message=\"stopped by interrupted\"") != std::string::npos);
    CHECK(xml.find("<skipped message=\"not judged: not every scenario ran to its end\"/>") !=
          std::string::npos);
    const std::string md = reports::render_markdown(run);
    CHECK(md.find("3 scenarios: 0 as expected, 1 not, 0 unreadable, 2 not run (interrupted by "
                  "SIGTERM). Step coverage not judged") != std::string::npos);
    CHECK(md.find("| undecided (stopped: interrupted) |") != std::string::npos);
    CHECK(md.find("| last | | | | | not run (interrupted by SIGTERM) |") != std::string::npos);
  }

  TEST_CASE("JUnit XML stays well-formed whatever bytes a message holds") {
    reports::LibraryRun run;
    run.broken = {{"bad\xff", std::string("line\x01one\0two \xc3\xa9 \xe2\x82", 18)}};
    const std::string xml = reports::render_junit(run);
    CHECK(xml.find("name=\"bad\xEF\xBF\xBD\"") != std::string::npos);
    CHECK(xml.find("message=\"line\xEF\xBF\xBDone\xEF\xBF\xBDtwo \xc3\xa9 "
                   "\xEF\xBF\xBD\xEF\xBF\xBD\"") != std::string::npos);
    for (const char c : xml) {
      const auto byte = static_cast<unsigned char>(c);
      CHECK((byte >= 0x20 || c == '\n'));
    }
  }

  TEST_CASE("a run stopped by exhausted memory reads back from JSON") {
    reports::Report r = sample();
    r.stop = dmcheck::checker::StopReason::out_of_memory;
    const auto json = reports::to_json(r);
    CHECK(json["stop"] == "memory exhausted");
    const auto back = reports::report_from_json(json, "x.json");
    REQUIRE_MESSAGE(back, (back ? "" : back.error().describe()));
    CHECK(back->stop == dmcheck::checker::StopReason::out_of_memory);
  }

  TEST_CASE("JSON text of bytes that are not UTF-8 is written, not thrown") {
    reports::Report r = sample();
    r.file = "scenarios/bad\xff.toml";
    const std::string text = reports::json_text(reports::to_json(r));
    CHECK(text.find("\"file\": \"scenarios/bad\xEF\xBF\xBD.toml\"") != std::string::npos);
    CHECK(text.back() == '\n');
  }
}
