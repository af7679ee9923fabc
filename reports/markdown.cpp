#include "reports/markdown.h"

#include <fmt/format.h>

namespace dmcheck::reports {

namespace {

std::string verdict_cell(const PropertyReport& p) {
  std::string text = std::string(checker::to_string(p.verdict));
  if (p.has_trace()) {
    text += fmt::format(" ({})", p.trace_length());
  }
  return text;
}

}  // namespace

std::string render_markdown(const std::vector<Report>& reports,
                            const std::vector<BrokenScenario>& broken,
                            const std::vector<std::string>& uncovered_steps,
                            std::size_t covered_steps) {
  std::size_t ok = 0;
  for (const auto& r : reports) {
    ok += r.outcome() == Outcome::as_expected;
  }
  std::string md = "# dmcheck scenario library\n\n";
  md += fmt::format(
      "{} scenarios: {} as expected, {} not, {} unreadable. Steps covered: {} of {}.\n\n",
      reports.size() + broken.size(), ok, reports.size() - ok, broken.size(), covered_steps,
      covered_steps + uncovered_steps.size());
  md += "| scenario | variant | states | depth | verdicts (shortest trace) | outcome |\n";
  md += "|---|---|---:|---:|---|---|\n";
  for (const auto& r : reports) {
    // Violations, witnesses and anything unexpected by name; the properties that hold and the
    // goals that are unreachable as expected only by count, to keep the table readable.
    std::string verdicts;
    std::size_t holding = 0;
    std::size_t unreachable = 0;
    for (const auto& p : r.properties) {
      if (!p.expected) {
        continue;
      }
      const bool as_expected = p.outcome() == Outcome::as_expected;
      if (as_expected && p.verdict == checker::Verdict::holds) {
        ++holding;
        continue;
      }
      if (as_expected && p.verdict == checker::Verdict::unreachable) {
        ++unreachable;
        continue;
      }
      verdicts += fmt::format("{}{}: {}", verdicts.empty() ? "" : "<br>", p.name, verdict_cell(p));
      if (!as_expected) {
        verdicts += fmt::format(" **(expected {})**", checker::to_string(*p.expected));
      }
    }
    if (holding + unreachable > 0) {
      verdicts += fmt::format("{}{} hold, {} unreachable", verdicts.empty() ? "" : "<br>", holding,
                              unreachable);
    }
    md += fmt::format("| {} | {} | {} | {} | {} | {} |\n", r.name, r.variant, r.stats.states,
                      r.stats.max_depth, verdicts, to_string(r.outcome()));
  }
  for (const auto& b : broken) {
    md += fmt::format("| {} | | | | {} | bad input |\n", b.name, b.message);
  }
  if (!uncovered_steps.empty()) {
    md += "\nSteps that never fire across the library:";
    for (const auto& s : uncovered_steps) {
      md += " `" + s + "`";
    }
    md += "\n";
  }
  return md;
}

}  // namespace dmcheck::reports
