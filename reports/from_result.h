#pragma once
/// Turns an engine result into the report data model, using the model's own words for actions
/// and states. Generic: works for any checker::Model.

#include <map>
#include <optional>

#include "checker/model.h"
#include "checker/result.h"
#include "reports/report.h"

namespace dmcheck::reports {

template <checker::Model M>
std::vector<TraceStep> trace_steps(const M& model, const checker::Trace<M>& trace) {
  std::vector<TraceStep> steps;
  std::string previous = model.describe_state(trace.states[0]);
  steps.push_back({"", previous, {}, trace.initial});
  for (std::size_t i = 0; i < trace.actions.size(); ++i) {
    std::string state = model.describe_state(trace.states[i + 1]);
    steps.push_back({model.describe_action(trace.actions[i]), state, changed_parts(previous, state),
                     i < trace.successors.size() ? trace.successors[i] : 0});
    previous = std::move(state);
  }
  return steps;
}

/// Fills `report`'s run fields from `result`; `expected` gives the expected verdict (and
/// shortest length) per property name, where there is one. A shortest length is judged only
/// under breadth-first search: depth-first search and random walks never promise shortest traces,
/// so under them the expected length is left out and a longer trace is no change.
template <checker::Model M>
void fill_report(
    Report& report, const M& model, const checker::RunResult<M>& result,
    const std::map<std::string, std::pair<checker::Verdict, std::optional<std::size_t>>>&
        expected) {
  report.strategy = result.strategy;
  report.stop = result.stop;
  report.stats = result.stats;
  report.properties.clear();
  for (const auto& p : result.properties) {
    PropertyReport pr;
    pr.name = p.name;
    pr.kind = p.kind;
    pr.meaning = p.meaning;
    pr.verdict = p.verdict;
    pr.antecedent = p.antecedent;
    if (const auto e = expected.find(p.name); e != expected.end()) {
      pr.expected = e->second.first;
      if (result.strategy == checker::Strategy::bfs) {
        pr.expected_shortest = e->second.second;
      }
    }
    if (p.trace) {
      pr.trace = trace_steps(model, *p.trace);
      pr.trace_initial = p.trace->initial;
    }
    report.properties.push_back(std::move(pr));
  }
}

}  // namespace dmcheck::reports
