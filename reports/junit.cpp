#include "reports/junit.h"

#include <fmt/format.h>

#include <string_view>

#include "reports/markup.h"

namespace dmcheck::reports {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

/// Length of the well-formed UTF-8 sequence at the start of `text`, 0 if there is none.
std::size_t utf8_sequence(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) {
    return 1;
  }
  const std::size_t length = lead >= 0xC2 && lead <= 0xDF   ? 2
                             : lead >= 0xE0 && lead <= 0xEF ? 3
                             : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                            : 0;
  if (length == 0 || text.size() < length) {
    return 0;
  }
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) {
      return 0;
    }
  }
  // Overlong forms, surrogates and code points past U+10FFFF.
  if ((lead == 0xE0 && byte(1) < 0xA0) || (lead == 0xED && byte(1) > 0x9F) ||
      (lead == 0xF0 && byte(1) < 0x90) || (lead == 0xF4 && byte(1) > 0x8F)) {
    return 0;
  }
  return length;
}

/// Text for an XML attribute or element: markup escaped, and what XML 1.0 cannot carry at all
/// (control characters, bytes that are not UTF-8) replaced by U+FFFD.
std::string escape(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const char c = text.front();
    const std::size_t length = utf8_sequence(text);
    if (length == 0 ||
        (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')) {
      out += kReplacement;
      text.remove_prefix(1);
      continue;
    }
    const std::string_view entity = c == '"' ? "&quot;" : markup_entity(c);
    out += entity.empty() ? text.substr(0, length) : entity;
    text.remove_prefix(length);
  }
  return out;
}

std::string differences(const Report& r) {
  std::string text;
  for (const auto& p : r.properties) {
    const Outcome o = p.outcome();
    if (o == Outcome::changed || o == Outcome::incomplete) {
      const std::string expected =
          p.expected ? fmt::format("expected {}{}", checker::to_string(*p.expected),
                                   p.expected_shortest ? fmt::format(" in {}", *p.expected_shortest)
                                                       : std::string())
                     : std::string("no verdict stated");
      text += fmt::format("{}: {} ({})\n", p.name, checker::to_string(p.verdict), expected);
    }
  }
  return text;
}

/// The verdicts nobody stated (a scenario explored without [expect]) and the invariants that
/// hold only vacuously, a line each: a passing test case would show them nowhere else.
std::string verdicts_to_show(const Report& r) {
  std::string text;
  for (const auto& p : r.properties) {
    if (!p.expected) {
      text += fmt::format("\n{}: {}{} (no verdict stated)", p.name, checker::to_string(p.verdict),
                          p.has_trace() ? fmt::format(" in {}", p.trace_length()) : "");
    } else if (p.verdict == checker::Verdict::holds_vacuously) {
      text += fmt::format("\n{}: holds vacuously (never in a reachable state: {})", p.name,
                          p.antecedent);
    }
  }
  return text;
}

std::string scenario_case(const Report& r) {
  std::string xml =
      fmt::format("  <testcase classname=\"scenarios\" name=\"{}\" time=\"{:.3f}\">\n",
                  escape(r.name), r.stats.seconds);
  const Outcome o = r.outcome();
  if (o == Outcome::changed) {
    xml += fmt::format(
        "    <failure type=\"verdict-changed\" message=\"a verdict changed\">{}"
        "</failure>\n",
        escape(differences(r)));
  } else if (o == Outcome::incomplete) {
    xml += fmt::format("    <failure type=\"incomplete\" message=\"stopped by {}\">{}</failure>\n",
                       escape(checker::to_string(r.stop)), escape(differences(r)));
  }
  xml += fmt::format("    <system-out>{} states, {} transitions, depth {}{}</system-out>\n",
                     r.stats.states, r.stats.transitions, r.stats.max_depth,
                     escape(verdicts_to_show(r)));
  xml += "  </testcase>\n";
  return xml;
}

std::string coverage_case(const LibraryRun& run) {
  std::string xml = "  <testcase classname=\"library\" name=\"step-coverage\">\n";
  if (!run.coverage_checked) {
    xml +=
        fmt::format("    <skipped message=\"not judged: {}\"/>\n", escape(run.coverage_not_judged));
  } else if (!run.uncovered_steps.empty()) {
    std::string list;
    for (const auto& s : run.uncovered_steps) {
      list += s + "\n";
    }
    xml += fmt::format(
        "    <failure type=\"uncovered\" message=\"steps that never fire\">{}"
        "</failure>\n",
        escape(list));
  }
  return xml + "  </testcase>\n";
}

}  // namespace

std::string render_junit(const LibraryRun& run) {
  std::size_t failures = run.coverage_checked && !run.uncovered_steps.empty() ? 1 : 0;
  for (const auto& r : run.reports) {
    failures += r.outcome() == Outcome::changed || r.outcome() == Outcome::incomplete;
  }
  const std::size_t skipped =
      run.not_run.size() + run.skipped.size() + (run.coverage_checked ? 0 : 1);
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += fmt::format(
      "<testsuite name=\"dmcheck\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n",
      run.reports.size() + run.broken.size() + run.not_run.size() + run.skipped.size() + 1,
      failures, run.broken.size(), skipped);
  for (const auto& r : run.reports) {
    xml += scenario_case(r);
  }
  for (const auto& b : run.broken) {
    xml += fmt::format("  <testcase classname=\"scenarios\" name=\"{}\">\n", escape(b.name));
    xml += fmt::format("    <error type=\"bad-input\" message=\"{}\"/>\n", escape(b.message));
    xml += "  </testcase>\n";
  }
  for (const auto& name : run.not_run) {
    xml += fmt::format("  <testcase classname=\"scenarios\" name=\"{}\">\n", escape(name));
    xml += fmt::format("    <skipped message=\"not run: {}\"/>\n", escape(run.not_run_reason));
    xml += "  </testcase>\n";
  }
  for (const auto& name : run.skipped) {
    xml += fmt::format("  <testcase classname=\"scenarios\" name=\"{}\">\n", escape(name));
    xml += fmt::format("    <skipped message=\"{}\"/>\n", kNotACheckScenario);
    xml += "  </testcase>\n";
  }
  xml += coverage_case(run);
  xml += "</testsuite>\n";
  return xml;
}

}  // namespace dmcheck::reports
