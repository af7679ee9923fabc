#include "model/sequential.h"

#include <algorithm>
#include <optional>

namespace dmcheck::model {

namespace {

/// The moves a sequential run chooses from: the process's (the first, or in a failing call the
/// last, and whether it had several) and the kernel's first.
struct Moves {
  std::optional<std::pair<Action, State>> process;
  std::optional<std::pair<Action, State>> kernel;
  bool choice = false;  ///< the process had several moves
};

Moves next_moves(const DmModel& model, const State& state, bool failing) {
  Moves m;
  model.successors(state, [&](const Action& a, const State& s) {
    if (a.actor == 0 && (!m.process || failing)) {
      m.choice = m.choice || m.process.has_value();
      m.process.emplace(a, s);
    } else if (a.actor != 0 && !m.kernel) {
      m.kernel.emplace(a, s);
    }
  });
  return m;
}

}  // namespace

tl::expected<SequentialRun, Error> run_sequential(const Config& config,
                                                  const std::vector<std::size_t>& failing_calls) {
  Config alone = config;
  if (alone.processes.size() > 1) {
    alone.processes.resize(1);
  }
  alone.actors.prober = false;
  alone.actors.internal_suspender.clear();
  auto model = DmModel::build(alone);
  if (!model) {
    return tl::unexpected(model.error());
  }
  SequentialRun run;
  State state = model->initial_states().front();
  bool settled = true;
  bool failure_taken = false;
  // Every call takes at most a handful of steps; this bound only stops a runaway model.
  for (int guard = 0; guard < 100000; ++guard) {
    const bool failing = std::find(failing_calls.begin(), failing_calls.end(), run.steps.size()) !=
                         failing_calls.end();
    const Moves moves = next_moves(*model, state, failing);
    // Kernel work first: a replay lets queued work finish before the next command.
    const std::optional<std::pair<Action, State>>& move =
        moves.kernel ? moves.kernel : moves.process;
    if (!move) {
      run.blocked = !model->is_final(state);
      break;
    }
    if (move->first.actor == 0 && !run.steps.empty() && !settled) {
      run.steps.back().after = state;  // the kernel's queued work is done
      settled = true;
    }
    failure_taken = failure_taken || (moves.choice && !moves.kernel);
    run.trace.push_back(model->describe_action(move->first));
    if (std::string why = model->exceeded_bound(move->second); !why.empty()) {
      run.bound = std::move(why);
      run.bound_call = run.steps.size();
      state = move->second;
      break;
    }
    if (move->first.actor == 0 && move->first.event == Event::call_done) {
      const Action& a = move->first;
      const auto& program = alone.processes.front().program;
      run.steps.push_back(
          {to_string(program.at(a.pc).sequences.at(a.branch).at(a.sub)), a.obs, {}, failure_taken});
      failure_taken = false;
      settled = false;
    }
    state = move->second;
  }
  run.final_state = state;
  if (!run.steps.empty() && !settled) {
    run.steps.back().after = state;
  }
  return run;
}

tl::expected<SequentialRun, Error> run_sequential(Config config,
                                                  const std::vector<std::string>& steps,
                                                  const std::vector<std::size_t>& failing_calls) {
  ProcessSpec process{"p0", {}, {}};
  for (const std::string& text : steps) {
    auto expanded = parse_steps(text);
    if (!expanded) {
      return tl::unexpected(expanded.error());
    }
    process.program.insert(process.program.end(), expanded->begin(), expanded->end());
  }
  config.processes = {process};
  // The scenario's own properties may name its processes, which this one replaces; a
  // sequential run observes, it judges no property.
  config.user_properties.clear();
  config.properties.clear();
  return run_sequential(config, failing_calls);
}

}  // namespace dmcheck::model
