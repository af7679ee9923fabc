#include "reports/report.h"

#include <doctest/doctest.h>

#include <cctype>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reports/json.h"
#include "reports/junit.h"
#include "reports/markdown.h"
#include "reports/text.h"

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

/// An element of the XML render_junit writes, with its attributes and text unescaped.
struct XmlElement {
  std::string tag;
  std::map<std::string, std::string> attributes;
  std::string text;
};

/// A small reader for the XML subset render_junit writes (a declaration, elements with
/// double-quoted attributes, text, the five predefined entities). It refuses what is not
/// well-formed XML: a raw '<' or '"' in an attribute value, a raw '<' in text, an '&' that
/// starts no predefined entity, a close tag that does not match. Elements come in document order.
class XmlReader {
 public:
  explicit XmlReader(std::string_view xml) : xml_(xml) {}

  std::optional<std::vector<XmlElement>> read() {
    if (xml_.substr(0, 5) == "<?xml") {
      const std::size_t end = xml_.find("?>");
      if (end == std::string_view::npos) {
        return std::nullopt;
      }
      at_ = end + 2;
    }
    std::vector<std::size_t> open;  // indices into elements_ of elements not yet closed
    while (at_ < xml_.size()) {
      if (xml_[at_] != '<') {
        std::string text;
        if (!characters('<', text)) {
          return std::nullopt;
        }
        if (!open.empty()) {
          elements_[open.back()].text += text;
        } else if (text.find_first_not_of(" \n") != std::string::npos) {
          return std::nullopt;  // text outside the root element
        }
        continue;
      }
      ++at_;
      const bool closing = at_ < xml_.size() && xml_[at_] == '/';
      at_ += closing;
      const std::string tag = name();
      if (tag.empty()) {
        return std::nullopt;
      }
      if (closing) {
        if (open.empty() || elements_[open.back()].tag != tag || !expect(">")) {
          return std::nullopt;
        }
        open.pop_back();
        continue;
      }
      XmlElement element{tag, {}, {}};
      if (!attributes(element)) {
        return std::nullopt;
      }
      elements_.push_back(std::move(element));
      if (expect("/>")) {
        continue;
      }
      if (!expect(">")) {
        return std::nullopt;
      }
      open.push_back(elements_.size() - 1);
    }
    if (!open.empty() || elements_.empty()) {
      return std::nullopt;
    }
    return elements_;
  }

 private:
  bool expect(std::string_view what) {
    if (xml_.substr(at_, what.size()) != what) {
      return false;
    }
    at_ += what.size();
    return true;
  }

  std::string name() {
    const std::size_t from = at_;
    while (at_ < xml_.size() && (std::isalnum(static_cast<unsigned char>(xml_[at_])) != 0 ||
                                 xml_[at_] == '-' || xml_[at_] == '_')) {
      ++at_;
    }
    return std::string(xml_.substr(from, at_ - from));
  }

  bool attributes(XmlElement& element) {
    while (expect(" ")) {
      const std::string key = name();
      std::string value;
      if (key.empty() || !expect("=\"") || !characters('"', value) || !expect("\"")) {
        return false;
      }
      if (!element.attributes.emplace(key, value).second) {
        return false;  // an attribute given twice
      }
    }
    return true;
  }

  /// Reads characters up to `end` (not consumed) or the end of the text, decoding entities;
  /// false on a raw '<' or an unknown entity. A raw '"' ends an attribute value.
  bool characters(char end, std::string& out) {
    static const std::map<std::string, char> kEntities = {
        {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
    while (at_ < xml_.size() && xml_[at_] != end) {
      const char c = xml_[at_];
      if (c == '<') {
        return false;
      }
      if (c == '&') {
        const std::size_t semicolon = xml_.find(';', at_);
        if (semicolon == std::string_view::npos) {
          return false;
        }
        const auto entity = kEntities.find(std::string(xml_.substr(at_ + 1, semicolon - at_ - 1)));
        if (entity == kEntities.end()) {
          return false;
        }
        out += entity->second;
        at_ = semicolon + 1;
        continue;
      }
      out += c;
      ++at_;
    }
    return true;  // the caller checks what ends the characters
  }

  std::string_view xml_;
  std::size_t at_ = 0;
  std::vector<XmlElement> elements_;
};

/// The elements of `xml` with tag `tag` whose attribute `key` is `value`.
std::vector<XmlElement> find_elements(const std::vector<XmlElement>& elements,
                                      const std::string& tag, const std::string& key,
                                      const std::string& value) {
  std::vector<XmlElement> found;
  for (const auto& e : elements) {
    const auto a = e.attributes.find(key);
    if (e.tag == tag && a != e.attributes.end() && a->second == value) {
      found.push_back(e);
    }
  }
  return found;
}

/// The cells of a Markdown table row: split at every '|' not escaped by a backslash.
std::vector<std::string> markdown_cells(const std::string& row) {
  std::vector<std::string> cells;
  std::string cell;
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (row[i] == '\\' && i + 1 < row.size()) {
      cell += row.substr(i, 2);
      ++i;
    } else if (row[i] == '|') {
      cells.push_back(cell);
      cell.clear();
    } else {
      cell += row[i];
    }
  }
  cells.push_back(cell);
  return cells;
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
    CHECK(json["schema"] == "dmcheck-report/2");
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

  TEST_CASE("JUnit XML escapes & < > \" in names, messages and errors, in attributes and text") {
    // Every text the XML carries from outside: a scenario's name (an attribute), a property's
    // name and verdicts (failure text), a broken file's name and error (attributes), the reason
    // scenarios were not run (an attribute), and uncovered steps (failure text).
    reports::Report changed = sample();
    changed.name = "swap & <co> \"one\" 'two'";
    changed.properties[1].name = "names<&>\"'";
    changed.properties[1].verdict = Verdict::violated;
    reports::LibraryRun run;
    run.reports = {changed};
    run.broken = {{"bad \"<&>'", "bad.toml:3:1: unknown key 'x' in \"a<b\" & c>d"}};
    run.not_run = {"later <&>"};
    run.not_run_reason = "stopped & \"killed\" <now>";
    run.uncovered_steps = {"a<b>&\"c\""};
    const std::string xml = reports::render_junit(run);
    CAPTURE(xml);
    const auto elements = XmlReader(xml).read();
    REQUIRE_MESSAGE(elements, "not well-formed");
    CHECK(elements->front().tag == "testsuite");

    // Each text reads back exactly, so every special character was escaped where it must be.
    const auto scenario = find_elements(*elements, "testcase", "name", changed.name);
    REQUIRE(scenario.size() == 1);
    const auto failure = find_elements(*elements, "failure", "type", "verdict-changed");
    REQUIRE(failure.size() == 1);
    CHECK(failure[0].text == "names<&>\"': violated (expected holds)\n");
    REQUIRE(find_elements(*elements, "testcase", "name", run.broken[0].name).size() == 1);
    CHECK(find_elements(*elements, "error", "message", run.broken[0].message).size() == 1);
    REQUIRE(find_elements(*elements, "testcase", "name", "later <&>").size() == 1);
    CHECK(find_elements(*elements, "skipped", "message", "not run: " + run.not_run_reason).size() ==
          1);
    const auto uncovered = find_elements(*elements, "failure", "type", "uncovered");
    REQUIRE(uncovered.size() == 1);
    CHECK(uncovered[0].text == "a<b>&\"c\"\n");
    // The exact form: the four markup characters as entities; an apostrophe needs none inside
    // a double-quoted attribute.
    CHECK(xml.find("name=\"bad &quot;&lt;&amp;&gt;'\"") != std::string::npos);
  }

  TEST_CASE("the XML reader of these tests refuses what is not well-formed") {
    CHECK(XmlReader("<a b=\"1\"><c/>x &amp; y</a>").read());
    CHECK_FALSE(XmlReader("<a b=\"1<2\"/>").read());
    CHECK_FALSE(XmlReader("<a b=\"say \"hi\"\"/>").read());
    CHECK_FALSE(XmlReader("<a>x & y</a>").read());
    CHECK_FALSE(XmlReader("<a>x < y</a>").read());
    CHECK_FALSE(XmlReader("<a><b></a></b>").read());
    CHECK_FALSE(XmlReader("<a>").read());
  }

  TEST_CASE("Markdown table cells keep pipes, line breaks and markup in their cell") {
    // A broken file's error can quote a step with a choice ("choose { a | b }") and span lines;
    // a name can hold any character a file name can. Each row must still have its six cells.
    reports::Report odd = sample();
    odd.name = "swap|pipe <b>";
    reports::LibraryRun run;
    run.reports = {odd};
    run.broken = {{"bad|name", "bad.toml:9:3: step 'choose { close a | open a }'\nsecond line"}};
    run.not_run = {"later|one"};
    run.not_run_reason = "interrupted | stopped";
    const std::string md = reports::render_markdown(run);
    CAPTURE(md);
    std::vector<std::string> rows;
    std::size_t from = md.find("| scenario |");
    REQUIRE(from != std::string::npos);
    while (from < md.size() && md[from] == '|') {
      const std::size_t end = md.find('\n', from);
      rows.push_back(md.substr(from, end - from));
      from = end + 1;
    }
    REQUIRE(rows.size() == 2 + 3);  // header, rule, one row per scenario
    for (const auto& row : rows) {
      CAPTURE(row);
      CHECK(markdown_cells(row).size() == 8);  // six cells between seven pipes
    }
    CHECK(markdown_cells(rows[2])[1] == " swap\\|pipe &lt;b&gt; ");
    CHECK(markdown_cells(rows[3])[1] == " bad\\|name ");
    CHECK(markdown_cells(rows[3])[5] ==
          " bad.toml:9:3: step 'choose { close a \\| open a }'<br>second line ");
    CHECK(markdown_cells(rows[4])[6] == " not run (interrupted \\| stopped) ");
  }

  TEST_CASE("JSON text carries quotes, backslashes and control characters and reads back") {
    reports::Report r = sample();
    r.name = "q\"uote\\back\tslash\n<x>&";
    constexpr char kControls[] = "nul\0and \x01 bell\a";
    r.description = std::string(kControls, sizeof kControls - 1);
    r.properties[0].trace[1].action = "p0 open \"a\" -> 0";
    const std::string text = reports::json_text(reports::to_json(r));
    CHECK(text.find("\"scenario\": \"q\\\"uote\\\\back\\tslash\\n<x>&\"") != std::string::npos);
    CHECK(text.find("\\u0000") != std::string::npos);
    const auto back = reports::report_from_json(nlohmann::json::parse(text), "x.json");
    REQUIRE_MESSAGE(back, (back ? "" : back.error().describe()));
    CHECK(back->name == r.name);
    CHECK(back->description == r.description);
    CHECK(back->properties[0].trace[1].action == r.properties[0].trace[1].action);
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

  TEST_CASE("files that state no verdict are skipped cases and rows; coverage off is said") {
    reports::LibraryRun run;
    run.reports = {sample()};
    run.skipped = {"races/open-remove"};
    run.coverage_checked = false;
    run.coverage_not_judged = "--coverage off";
    const std::string xml = reports::render_junit(run);
    CHECK(xml.find("tests=\"3\" failures=\"0\" errors=\"0\" skipped=\"2\"") != std::string::npos);
    CHECK(xml.find("<testcase classname=\"scenarios\" name=\"races/open-remove\">\n"
                   "    <skipped message=\"no verdict stated, not a check scenario\"/>") !=
          std::string::npos);
    CHECK(xml.find("<skipped message=\"not judged: --coverage off\"/>") != std::string::npos);
    const std::string md = reports::render_markdown(run);
    CHECK(md.find("1 scenarios: 1 as expected, 0 not, 0 unreadable, 1 skipped (no verdict stated, "
                  "not a check scenario). Step coverage not judged: --coverage off.") !=
          std::string::npos);
    CHECK(md.find(
              "| races/open-remove | | | | | skipped: no verdict stated, not a check scenario |") !=
          std::string::npos);
  }

  TEST_CASE("a verdict nobody stated is shown by name, and undecided when the run stopped") {
    reports::LibraryRun run;
    reports::Report r = sample();
    r.properties[0].expected.reset();
    r.properties[0].expected_shortest.reset();
    r.properties[1].expected.reset();
    r.properties[1].verdict = Verdict::unknown;
    r.stop = dmcheck::checker::StopReason::state_limit;
    run.reports = {r};
    CHECK(r.properties[0].outcome() == reports::Outcome::unchecked);
    CHECK(r.outcome() == reports::Outcome::incomplete);
    const std::string md = reports::render_markdown(run);
    CHECK(md.find("one-shot-device: violated (2) (no verdict stated)") != std::string::npos);
    const std::string xml = reports::render_junit(run);
    CHECK(xml.find(": unknown (no verdict stated)") != std::string::npos);
    CHECK(xml.find("depth 17\none-shot-device: violated in 2 (no verdict stated)\n"
                   "unique-names: unknown (no verdict stated)</system-out>") != std::string::npos);
    CHECK(md.find("1 scenarios: 0 as expected, 1 not, 0 unreadable") != std::string::npos);
    r.properties[1].verdict = Verdict::holds;
    run.reports = {r};
    CHECK(reports::render_markdown(run).find(
              "1 scenarios: 0 as expected, 0 not, 0 unreadable, 1 with no verdict stated") !=
          std::string::npos);
  }

  TEST_CASE("a vacuous holds is its own verdict in every format, with the premise it lacked") {
    reports::LibraryRun run;
    reports::Report r = sample();
    r.properties[1].verdict = Verdict::holds_vacuously;
    r.properties[1].expected = Verdict::holds_vacuously;
    r.properties[1].antecedent = "a device was opened";
    run.reports = {r};
    CHECK(r.outcome() == reports::Outcome::as_expected);

    const auto json = reports::to_json(r);
    CHECK(json["properties"][1]["verdict"] == "holds vacuously");
    CHECK(json["properties"][1]["antecedent"] == "a device was opened");
    CHECK(json["properties"][0]["antecedent"].is_null());
    const auto back = reports::report_from_json(json, "x.json");
    REQUIRE_MESSAGE(back, (back ? "" : back.error().describe()));
    CHECK(back->properties[1].verdict == Verdict::holds_vacuously);
    CHECK(back->properties[1].antecedent == "a device was opened");
    auto v1 = json;  // version 1 never has the field; it still reads
    v1["schema"] = "dmcheck-report/1";
    v1["properties"][1].erase("antecedent");
    v1["properties"][1]["verdict"] = "holds";
    v1["properties"][1]["expected"] = "holds";
    CHECK(reports::report_from_json(v1, "x.json"));

    CHECK(reports::render_markdown(run).find("unique-names: holds vacuously") != std::string::npos);
    CHECK(reports::render_junit(run).find(
              "unique-names: holds vacuously (never in a reachable state: a device was opened)") !=
          std::string::npos);
    std::FILE* text = std::tmpfile();
    REQUIRE(text != nullptr);
    reports::render_text(text, r, {});
    std::rewind(text);
    std::string printed;
    for (int ch = std::fgetc(text); ch != EOF; ch = std::fgetc(text)) {
      printed += static_cast<char>(ch);
    }
    std::fclose(text);
    CHECK(printed.find("holds vacuously  (as expected)") != std::string::npos);
    CHECK(printed.find("never in a reachable state: a device was opened") != std::string::npos);

    r.properties[1].expected = Verdict::holds;  // stated as a plain holds: a changed verdict
    CHECK(r.outcome() == reports::Outcome::changed);
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
