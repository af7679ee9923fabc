#include "model/sequential.h"

#include <optional>

namespace dmcheck::model {

tl::expected<SequentialRun, Error> run_sequential(const Config& config) {
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
  // Every call takes at most a handful of steps; this bound only stops a runaway model.
  for (int guard = 0; guard < 100000; ++guard) {
    std::optional<std::pair<Action, State>> process_move;
    std::optional<std::pair<Action, State>> kernel_move;
    model->successors(state, [&](const Action& a, const State& s) {
      if (a.actor == 0 && !process_move) {
        process_move.emplace(a, s);
      } else if (a.actor != 0 && !kernel_move) {
        kernel_move.emplace(a, s);
      }
    });
    // Kernel work first: a replay lets queued work finish before the next command.
    std::optional<std::pair<Action, State>> move = kernel_move ? kernel_move : process_move;
    if (!move) {
      run.blocked = !model->is_final(state);
      break;
    }
    if (move->first.actor == 0 && !run.steps.empty() && !settled) {
      run.steps.back().after = state;  // the kernel's queued work is done
      settled = true;
    }
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
      run.steps.push_back({to_string(program.at(a.pc).sequences.at(a.branch).at(a.sub)), a.obs});
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
                                                  const std::vector<std::string>& steps) {
  ProcessSpec process{"p0", {}};
  for (const std::string& text : steps) {
    auto expanded = parse_steps(text);
    if (!expanded) {
      return tl::unexpected(expanded.error());
    }
    process.program.insert(process.program.end(), expanded->begin(), expanded->end());
  }
  config.processes = {process};
  return run_sequential(config);
}

}  // namespace dmcheck::model
