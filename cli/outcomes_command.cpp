#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "checker/interrupt.h"
#include "cli/exploration_options.h"
#include "cli/scenario_commands.h"
#include "cli/status.h"
#include "model/outcomes.h"
#include "model/variant.h"
#include "reports/json.h"
#include "scenarios/loader.h"

namespace dmcheck::cli {

namespace {

struct OutcomesFlags {
  std::string file;
  ExplorationFlags exploration;
  std::string variant;
  std::string format = "text";
};

std::string device_text(const model::DeviceEnd& d) {
  if (!d.exists) {
    return d.name + " removed";
  }
  std::string text = d.name;
  text += d.suspended ? " SUSPENDED" : "";
  text += d.deferred ? " DEFERRED" : "";
  text += d.read_only ? " RO" : "";
  text += " open=" + std::to_string(d.open_count);
  text += " live=" + (d.live.empty() ? std::string("none") : d.live);
  if (!d.inactive.empty()) {
    text += " inactive=" + d.inactive;
  }
  return text;
}

/// Why the list may be incomplete, or "" when every interleaving was explored.
std::string partial_reason(const model::OutcomeRun& run) {
  if (run.complete()) {
    return "";
  }
  return std::string("the run stopped early (") + std::string(checker::to_string(run.stop)) +
         "): these are the outcomes found so far; others may exist";
}

void print_text(const model::DmModel& model, const scenarios::Scenario& scenario,
                const model::OutcomeRun& run, const std::vector<model::Outcome>& outcomes) {
  fmt::print("== {} ({}) ==\n", scenario.name, model::to_string(model.config().variant));
  fmt::print("  {} outcome{} over {} end state{}, {} states explored\n", outcomes.size(),
             outcomes.size() == 1 ? "" : "s", run.ends.size(), run.ends.size() == 1 ? "" : "s",
             run.stats.states);
  if (const std::string why = partial_reason(run); !why.empty()) {
    fmt::print("  INCOMPLETE: {}\n", why);
  }
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const model::Outcome& o = outcomes[i];
    fmt::print("  outcome {} ({} end state{}){}\n", i + 1, o.end_states,
               o.end_states == 1 ? "" : "s",
               o.deadlock ? " DEADLOCK: a process never returns" : "");
    for (std::size_t p = 0; p < o.processes.size(); ++p) {
      std::string calls;
      for (const model::CallEnd& c : o.processes[p]) {
        calls += (calls.empty() ? "" : "; ") + c.call + " -> " + c.result;
      }
      fmt::print("    {}: {}\n", model.process_name(p),
                 calls.empty() ? "(no call returned)" : calls);
    }
    for (const model::DeviceEnd& d : o.devices) {
      fmt::print("    device {}\n", device_text(d));
    }
  }
}

nlohmann::json to_json(const model::DmModel& model, const scenarios::Scenario& scenario,
                       const model::OutcomeRun& run, const std::vector<model::Outcome>& outcomes) {
  nlohmann::json list = nlohmann::json::array();
  for (const model::Outcome& o : outcomes) {
    nlohmann::json processes = nlohmann::json::array();
    for (std::size_t p = 0; p < o.processes.size(); ++p) {
      nlohmann::json calls = nlohmann::json::array();
      for (const model::CallEnd& c : o.processes[p]) {
        calls.push_back({{"call", c.call}, {"result", c.result}});
      }
      processes.push_back({{"name", model.process_name(p)}, {"calls", calls}});
    }
    nlohmann::json devices = nlohmann::json::array();
    for (const model::DeviceEnd& d : o.devices) {
      devices.push_back({{"name", d.name},
                         {"exists", d.exists},
                         {"suspended", d.suspended},
                         {"deferred", d.deferred},
                         {"read_only", d.read_only},
                         {"open_count", d.open_count},
                         {"live", d.live},
                         {"inactive", d.inactive}});
    }
    list.push_back({{"processes", processes},
                    {"devices", devices},
                    {"deadlock", o.deadlock},
                    {"end_states", o.end_states}});
  }
  return {{"schema", "dmcheck-outcomes/1"},
          {"scenario", scenario.name},
          {"file", scenario.file},
          {"variant", model::to_string(model.config().variant)},
          {"complete", run.complete()},
          {"stop", std::string(checker::to_string(run.stop))},
          {"states", run.stats.states},
          {"end_states", run.ends.size()},
          {"outcomes", list}};
}

int run_outcomes(const OutcomesFlags& flags) {
  checker::InterruptGuard interrupts;
  if (flags.exploration.strategy != "bfs") {
    fmt::print(stderr,
               "dmcheck: outcomes: --strategy {}: outcomes explore every interleaving "
               "breadth-first; only bfs is possible\n",
               flags.exploration.strategy);
    return kBadInput;
  }
  auto scenario = scenarios::load_scenario(flags.file, scenarios::Expectations::optional);
  if (!scenario) {
    fmt::print(stderr, "dmcheck: {}\n", scenario.error().describe());
    return kBadInput;
  }
  if (!flags.variant.empty()) {
    auto variant = model::parse_variant(flags.variant);
    if (!variant) {
      fmt::print(stderr, "dmcheck: --variant: {}\n", variant.error().describe());
      return kBadInput;
    }
    scenario->config.variant = *variant;
  }
  scenario->config.properties.clear();  // outcomes need no property checks
  auto model = model::DmModel::build(scenario->config);
  if (!model) {
    fmt::print(stderr, "dmcheck: {}: {}\n", flags.file, model.error().describe());
    return status_of(model.error());
  }
  auto run = model::explore_outcomes(*model, flags.exploration.to_options());
  if (!run) {
    fmt::print(stderr, "dmcheck: {}: {}\n", flags.file, run.error().describe());
    return status_of(run.error());
  }
  const auto outcomes = model::group_outcomes(*model, run->ends);
  if (flags.format == "json") {
    fmt::print("{}", reports::json_text(to_json(*model, *scenario, *run, outcomes)));
  } else {
    print_text(*model, *scenario, *run, outcomes);
  }
  if (!run->complete()) {
    fmt::print(stderr, "dmcheck: {}: {}\n", flags.file, partial_reason(*run));
    return kIncomplete;
  }
  return kAsExpected;
}

}  // namespace

void add_outcomes_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<OutcomesFlags>();
  CLI::App* cmd = app.add_subcommand(
      "outcomes",
      "List every distinct end of a scenario over all interleavings: each process's call "
      "results and the devices' final state");
  cmd->footer(
      "An outcome is a class of end states (no move left) that look the same: every call's\n"
      "result (its errno, or a read's data) per process, and every device's state. Reply flags\n"
      "are not part of an outcome. Each outcome counts the distinct end states in it. The file\n"
      "needs no [expect] section; its properties are not checked.\n"
      "Exit status: 0 every interleaving explored, 2 bad input, 3 a limit or a signal stopped\n"
      "the run (the outcomes found so far are printed, marked incomplete), 4 model error (a\n"
      "bound of the model, or a process completing more than 8 calls).\n"
      "Examples:\n"
      "  dmcheck outcomes race.toml\n"
      "  dmcheck outcomes race.toml --format json --variant 6.12");
  cmd->add_option("file", flags->file, "Scenario file (TOML)")
      ->required()
      ->check(CLI::ExistingFile);
  flags->exploration.declare(*cmd);
  cmd->add_option("--variant", flags->variant, "Run under this variant instead of the file's");
  cmd->add_option("--format", flags->format, "Output format: text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->callback([flags, &exit_code] { exit_code = run_outcomes(*flags); });
}

}  // namespace dmcheck::cli
