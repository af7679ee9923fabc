#include "reports/text.h"

#include <fmt/format.h>

namespace dmcheck::reports {

std::string stats_line(const checker::Stats& s) {
  return fmt::format(
      "{} states, {} transitions, depth {}, {:.3f} s, {:.0f} states/s, {:.1f} bytes/state, "
      "peak frontier {}, peak RSS {} MiB{}, fingerprint collision probability {:.1e}, {} "
      "thread{}{}",
      s.states, s.transitions, s.max_depth, s.seconds, s.states_per_second, s.bytes_per_state,
      s.peak_frontier, s.peak_rss_bytes >> 20,
      s.spill_bytes ? fmt::format(", peak spill {} MiB", s.spill_bytes >> 20) : std::string(),
      s.collision_probability, s.threads, s.threads == 1 ? "" : "s",
      s.reduction == checker::Reduction::none ? ""
      : s.reduction == checker::Reduction::por
          ? ", partial-order reduction"
          : fmt::format(", {} reduction", checker::to_string(s.reduction)));
}

namespace {

void render_trace(std::FILE* out, const PropertyReport& p) {
  fmt::print(out, "  {} for {} ({} steps):\n",
             p.kind == checker::PropertyKind::always ? "counterexample" : "witness", p.name,
             p.trace_length());
  fmt::print(out, "    {:>3}  (initial)  {}\n", 0, p.trace.front().state);
  for (std::size_t i = 1; i < p.trace.size(); ++i) {
    const TraceStep& step = p.trace[i];
    std::string changed;
    for (const auto& part : step.changed) {
      changed += (changed.empty() ? "" : "; ") + part;
    }
    fmt::print(out, "    {:>3}  {}\n", i, step.action);
    if (!changed.empty()) {
      fmt::print(out, "         changed: {}\n", changed);
    }
  }
}

}  // namespace

void render_text(std::FILE* out, const Report& r, const TextOptions& options) {
  fmt::print(out, "== {} ({}{}{}) ==\n", r.name, r.variant.empty() ? "" : r.variant,
             r.variant.empty() ? "" : ", ", checker::to_string(r.strategy));
  if (!r.description.empty()) {
    fmt::print(out, "  {}\n", r.description);
  }
  for (const auto& p : r.properties) {
    std::string note;
    if (p.has_trace()) {
      note = fmt::format(" in {}", p.trace_length());
    }
    std::string expectation;
    if (p.expected) {
      const Outcome o = p.outcome();
      expectation =
          o == Outcome::as_expected
              ? "  (as expected)"
              : fmt::format("  ({}: expected {}{})", to_string(o), to_string(*p.expected),
                            p.expected_shortest ? fmt::format(" in {}", *p.expected_shortest) : "");
    }
    fmt::print(out, "  {:<40} {:<9} {}{}{}\n", p.name, checker::to_string(p.kind),
               checker::to_string(p.verdict), note, expectation);
    if (p.verdict == checker::Verdict::holds_vacuously && !p.antecedent.empty()) {
      fmt::print(out, "  {:<50} never in a reachable state: {}\n", "", p.antecedent);
    }
  }
  fmt::print(out, "  stopped: {}\n", checker::to_string(r.stop));
  if (options.stats) {
    fmt::print(out, "  {}\n", stats_line(r.stats));
  }
  for (const auto& p : r.properties) {
    if (p.has_trace() && (p.kind == checker::PropertyKind::always || options.witnesses)) {
      render_trace(out, p);
    }
  }
}

}  // namespace dmcheck::reports
