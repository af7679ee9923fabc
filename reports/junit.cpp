#include "reports/junit.h"

#include <fmt/format.h>

namespace dmcheck::reports {

namespace {

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string differences(const Report& r) {
  std::string text;
  for (const auto& p : r.properties) {
    const Outcome o = p.outcome();
    if (o == Outcome::changed || o == Outcome::incomplete) {
      text += fmt::format(
          "{}: {} (expected {}{})\n", p.name, checker::to_string(p.verdict),
          checker::to_string(*p.expected),
          p.expected_shortest ? fmt::format(" in {}", *p.expected_shortest) : std::string());
    }
  }
  return text;
}

}  // namespace

std::string render_junit(const std::vector<Report>& reports,
                         const std::vector<BrokenScenario>& broken,
                         const std::vector<std::string>& uncovered_steps) {
  std::size_t failures = uncovered_steps.empty() ? 0 : 1;
  for (const auto& r : reports) {
    failures += r.outcome() == Outcome::changed || r.outcome() == Outcome::incomplete;
  }
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += fmt::format("<testsuite name=\"dmcheck\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n",
                     reports.size() + broken.size() + 1, failures, broken.size());
  for (const auto& r : reports) {
    xml += fmt::format("  <testcase classname=\"scenarios\" name=\"{}\" time=\"{:.3f}\">\n",
                       escape(r.name), r.stats.seconds);
    const Outcome o = r.outcome();
    if (o == Outcome::changed) {
      xml += fmt::format(
          "    <failure type=\"verdict-changed\" message=\"a verdict changed\">{}"
          "</failure>\n",
          escape(differences(r)));
    } else if (o == Outcome::incomplete) {
      xml +=
          fmt::format("    <failure type=\"incomplete\" message=\"stopped by {}\">{}</failure>\n",
                      escape(std::string(checker::to_string(r.stop))), escape(differences(r)));
    }
    xml += fmt::format("    <system-out>{} states, {} transitions, depth {}</system-out>\n",
                       r.stats.states, r.stats.transitions, r.stats.max_depth);
    xml += "  </testcase>\n";
  }
  for (const auto& b : broken) {
    xml += fmt::format("  <testcase classname=\"scenarios\" name=\"{}\">\n", escape(b.name));
    xml += fmt::format("    <error type=\"bad-input\" message=\"{}\"/>\n", escape(b.message));
    xml += "  </testcase>\n";
  }
  xml += "  <testcase classname=\"library\" name=\"step-coverage\">\n";
  if (!uncovered_steps.empty()) {
    std::string list;
    for (const auto& s : uncovered_steps) {
      list += s + "\n";
    }
    xml += fmt::format(
        "    <failure type=\"uncovered\" message=\"steps that never fire\">{}"
        "</failure>\n",
        escape(list));
  }
  xml += "  </testcase>\n</testsuite>\n";
  return xml;
}

}  // namespace dmcheck::reports
