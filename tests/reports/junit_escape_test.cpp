// JUnit XML carries names and messages from scenario files: every markup character is escaped,
// and what XML 1.0 cannot hold at all is replaced, so CI can always read the file.

#include <doctest/doctest.h>

#include <string>

#include "reports/junit.h"
#include "reports/library.h"

namespace reports = dmcheck::reports;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE("reports") {
  TEST_CASE("JUnit XML escapes markup in names and messages") {
    reports::LibraryRun run;
    reports::Report r;
    r.name = "a&b<c>\"d";
    run.reports = {r};
    run.broken = {{"x&y", "x.toml:1:1: expected '<' & \"more\""}};
    run.not_run = {"p<q"};
    run.not_run_reason = "stopped & gone";
    const std::string xml = reports::render_junit(run);
    CHECK(has(xml, "name=\"a&amp;b&lt;c&gt;&quot;d\""));
    CHECK(has(xml, "name=\"x&amp;y\""));
    CHECK(has(xml, "message=\"x.toml:1:1: expected '&lt;' &amp; &quot;more&quot;\""));
    CHECK(has(xml, "name=\"p&lt;q\""));
    CHECK(has(xml, "not run: stopped &amp; gone"));
    // No markup character is left raw: every '&' starts an entity, no '<' opens a bogus tag.
    for (std::size_t at = xml.find('&'); at != std::string::npos; at = xml.find('&', at + 1)) {
      const std::string entity = xml.substr(at, xml.find(';', at) - at + 1);
      CAPTURE(entity);
      CHECK((entity == "&amp;" || entity == "&lt;" || entity == "&gt;" || entity == "&quot;"));
    }
    CHECK_FALSE(has(xml, "<c>"));
    CHECK_FALSE(has(xml, "<q"));
  }

  TEST_CASE("JUnit XML replaces control characters and bytes that are not UTF-8") {
    reports::LibraryRun run;
    run.broken = {{"bad\x01name", std::string("caf\xC3\xA9 \xFF end\ttab \xC3(cut)")}};
    const std::string xml = reports::render_junit(run);
    CHECK(has(xml, "name=\"bad\xEF\xBF\xBDname\""));
    CHECK(has(xml, "caf\xC3\xA9 \xEF\xBF\xBD end\ttab \xEF\xBF\xBD(cut)"));
  }
}
