#include "reports/markdown.h"

#include <fmt/format.h>

#include <string_view>

#include "reports/markup.h"

namespace dmcheck::reports {

namespace {

/// Text for a table cell: a '|' would end the cell and a line break the row, and '<', '>', '&'
/// would be read as HTML, so each is escaped ('|' as "\\|", a line break as "<br>").
std::string cell(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += "<br>";
    } else if (c != '\r') {
      const std::string_view entity = markup_entity(c);
      out += entity.empty() ? std::string_view(&c, 1) : entity;
    }
  }
  return out;
}

std::string verdict_cell(const PropertyReport& p) {
  std::string text = std::string(checker::to_string(p.verdict));
  if (p.has_trace()) {
    text += fmt::format(" ({})", p.trace_length());
  }
  return text;
}

/// Violations, witnesses, anything unexpected and every verdict nobody stated by name; the
/// properties that hold and the goals that are unreachable as expected only by count, to keep
/// the table readable.
std::string verdicts_cell(const Report& r) {
  std::string verdicts;
  std::size_t holding = 0;
  std::size_t unreachable = 0;
  for (const auto& p : r.properties) {
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
    if (!p.expected) {
      verdicts += " (no verdict stated)";
    } else if (!as_expected) {
      verdicts += fmt::format(" **(expected {})**", checker::to_string(*p.expected));
    }
  }
  if (holding + unreachable > 0) {
    verdicts += fmt::format("{}{} hold, {} unreachable", verdicts.empty() ? "" : "<br>", holding,
                            unreachable);
  }
  return verdicts;
}

/// The outcome, with what stopped the run when a verdict is undecided.
std::string outcome_cell(const Report& r) {
  const Outcome o = r.outcome();
  if (o == Outcome::incomplete) {
    return fmt::format("{} (stopped: {})", to_string(o), checker::to_string(r.stop));
  }
  return std::string(to_string(o));
}

}  // namespace

std::string render_markdown(const LibraryRun& run) {
  const std::size_t ran = run.reports.size();
  const std::size_t ok = run.as_expected();
  const std::size_t explored = run.count(Outcome::unchecked);
  std::string md = "# dmcheck scenario library\n\n";
  md += fmt::format("{} scenarios: {} as expected, {} not, {} unreadable",
                    ran + run.broken.size() + run.not_run.size(), ok, ran - ok - explored,
                    run.broken.size());
  if (explored > 0) {
    md += fmt::format(", {} with no verdict stated", explored);
  }
  if (!run.not_run.empty()) {
    md += fmt::format(", {} not run ({})", run.not_run.size(), run.not_run_reason);
  }
  if (!run.skipped.empty()) {
    md += fmt::format(", {} skipped ({})", run.skipped.size(), kNotACheckScenario);
  }
  if (run.coverage_checked) {
    md += fmt::format(". Steps covered: {} of {}.\n\n", run.covered_steps,
                      run.covered_steps + run.uncovered_steps.size());
  } else {
    md += fmt::format(". Step coverage not judged: {}.\n\n", cell(run.coverage_not_judged));
  }
  md += "| scenario | variant | states | depth | verdicts (shortest trace) | outcome |\n";
  md += "|---|---|---:|---:|---|---|\n";
  for (const auto& r : run.reports) {
    md += fmt::format("| {} | {} | {} | {} | {} | {} |\n", cell(r.name), cell(r.variant),
                      r.stats.states, r.stats.max_depth, verdicts_cell(r), outcome_cell(r));
  }
  for (const auto& b : run.broken) {
    md += fmt::format("| {} | | | | {} | bad input |\n", cell(b.name), cell(b.message));
  }
  for (const auto& name : run.not_run) {
    md += fmt::format("| {} | | | | | not run ({}) |\n", cell(name), cell(run.not_run_reason));
  }
  for (const auto& name : run.skipped) {
    md += fmt::format("| {} | | | | | skipped: {} |\n", cell(name), kNotACheckScenario);
  }
  if (run.coverage_checked && !run.uncovered_steps.empty()) {
    md += "\nSteps that never fire across the library:";
    for (const auto& s : run.uncovered_steps) {
      md += " `" + s + "`";
    }
    md += "\n";
  }
  return md;
}

}  // namespace dmcheck::reports
