#pragma once
/// Plain-text rendering of a run: a verdict line per property, why the run stopped, statistics,
/// and each counterexample or witness step by step with the state after it.

#include <fmt/format.h>

#include <cstdio>
#include <string_view>

#include "checker/model.h"
#include "checker/result.h"

namespace dmcheck::reports {

/// One line of statistics. Times vary from run to run; everything else is deterministic.
inline std::string stats_line(const checker::Stats& s) {
  return fmt::format(
      "{} states, {} transitions, depth {}, {:.3f} s, {:.0f} states/s, {:.1f} bytes/state, "
      "peak frontier {}, peak RSS {} MiB, fingerprint collision probability {:.1e}",
      s.states, s.transitions, s.max_depth, s.seconds, s.states_per_second, s.bytes_per_state,
      s.peak_frontier, s.peak_rss_bytes >> 20, s.collision_probability);
}

template <checker::Model M>
void render_trace(std::FILE* out, const M& model, const checker::Trace<M>& trace) {
  fmt::print(out, "    {:>3}  {:<24} {}\n", 0, "(initial)", model.describe_state(trace.states[0]));
  for (std::size_t i = 0; i < trace.actions.size(); ++i) {
    fmt::print(out, "    {:>3}  {:<24} {}\n", i + 1, model.describe_action(trace.actions[i]),
               model.describe_state(trace.states[i + 1]));
  }
}

template <checker::Model M>
void render_text(std::FILE* out, const M& model, const checker::RunResult<M>& result,
                 std::string_view title, bool with_stats = true) {
  fmt::print(out, "== {} ({}) ==\n", title, checker::to_string(result.strategy));
  for (const auto& p : result.properties) {
    std::string note;
    if (p.trace) {
      note = fmt::format("  ({} of {} steps)",
                         p.kind == checker::PropertyKind::always ? "counterexample" : "witness",
                         p.trace->length());
    }
    fmt::print(out, "  {:<32} {:<9} {}{}\n", p.name, checker::to_string(p.kind),
               checker::to_string(p.verdict), note);
  }
  fmt::print(out, "  stopped: {}\n", checker::to_string(result.stop));
  if (with_stats) {
    fmt::print(out, "  {}\n", stats_line(result.stats));
  }
  for (const auto& p : result.properties) {
    if (p.trace && p.kind == checker::PropertyKind::always) {
      fmt::print(out, "  counterexample to {}:\n", p.name);
      render_trace(out, model, *p.trace);
    }
  }
}

}  // namespace dmcheck::reports
