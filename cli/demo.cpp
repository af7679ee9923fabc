#include "cli/demo.h"

#include <fmt/format.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "checker/check.h"
#include "checker/interrupt.h"
#include "cli/exit_codes.h"
#include "cli/exploration_options.h"
#include "cli/status.h"
#include "reports/from_result.h"
#include "reports/text.h"
#include "zoo/counter_race.h"
#include "zoo/even_counter.h"
#include "zoo/peterson.h"
#include "zoo/philosophers.h"

namespace dmcheck::cli {

namespace {

using checker::Verdict;
using Expected = std::map<std::string, std::pair<Verdict, std::optional<std::size_t>>>;

/// Runs one zoo model, prints its result, and compares the verdicts (and, for BFS, the shortest
/// trace lengths) with the known answers.
template <checker::Model M>
int run_one(const std::string& name, const M& model, const Expected& expected,
            const checker::Options& options) {
  const auto result = checker::check(model, options);
  if (!result) {
    fmt::print(stderr, "dmcheck: {}: {}\n", name, result.error().describe());
    return kModelError;
  }
  Expected answers = expected;
  if (options.strategy != checker::Strategy::bfs) {
    for (auto& [property, answer] : answers) {
      answer.second.reset();  // only breadth-first traces are shortest
    }
  }
  reports::Report report;
  report.name = name;
  reports::fill_report(report, model, *result, answers);
  reports::render_text(stdout, report);
  fmt::print("\n");
  return status_of(report.outcome());
}

struct DemoFlags {
  ExplorationFlags exploration;
  std::vector<std::string> models;
};

int run_demo(const DemoFlags& flags) {
  checker::InterruptGuard interrupts;  // one for the whole command: a signal stops every model
  const checker::Options options = flags.exploration.to_options();
  using Runner = std::function<int()>;
  const std::vector<std::pair<std::string, Runner>> zoo_models = {
      {"peterson",
       [&] {
         return run_one("peterson", zoo::Peterson{},
                        {{"mutual-exclusion", {Verdict::holds, {}}},
                         {"p0-critical", {Verdict::reached, 3}},
                         {"no-deadlock", {Verdict::holds, {}}}},
                        options);
       }},
      {"philosophers",
       [&] {
         return run_one("philosophers", zoo::Philosophers(4),
                        {{"no-deadlock", {Verdict::violated, 4}}}, options);
       }},
      {"counter-race",
       [&] {
         return run_one("counter-race", zoo::CounterRace(11, 20),
                        {{"never-target", {Verdict::violated, 6}},
                         {"reaches-limit", {Verdict::reached, 10}},
                         {"no-deadlock", {Verdict::holds, {}}}},
                        options);
       }},
      {"even-counter",
       [&] {
         return run_one("even-counter", zoo::EvenCounter(1000),
                        {{"even", {Verdict::holds, {}}},
                         {"odd", {Verdict::unreachable, {}}},
                         {"no-deadlock", {Verdict::holds, {}}}},
                        options);
       }},
  };
  int status = kAsExpected;
  std::size_t ran = 0;
  for (const auto& [name, run] : zoo_models) {
    if (flags.models.empty() ||
        std::find(flags.models.begin(), flags.models.end(), name) != flags.models.end()) {
      if (checker::interrupt_requested()) {
        fmt::print("NOT RUN  {} ({})\n", name, interruption());
        continue;
      }
      status = worse(status, run());
      ++ran;
    }
  }
  if (checker::interrupt_requested()) {
    status = worse(status, kIncomplete);
  }
  fmt::print("demo: {} model{}, {}\n", ran, ran == 1 ? "" : "s",
             status == kAsExpected       ? "every verdict as known"
             : status == kVerdictChanged ? "a verdict differs from the known answer"
             : status == kIncomplete     ? (checker::interrupt_requested()
                                                ? interruption()
                                                : "some verdicts undecided (a limit stopped a run)")
                                         : "a model error");
  return status;
}

}  // namespace

void add_demo_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<DemoFlags>();
  CLI::App* demo =
      app.add_subcommand("demo", "Run the engine on its zoo of small models with known answers");
  demo->footer(
      "Examples:\n"
      "  dmcheck demo\n"
      "  dmcheck demo --model philosophers --strategy dfs\n"
      "  dmcheck demo --strategy random --seed 7 --walks 100");
  demo->add_option("--model", flags->models, "Run only these models")
      ->check(CLI::IsMember({"peterson", "philosophers", "counter-race", "even-counter"}));
  flags->exploration.declare(*demo);
  demo->callback([flags, &exit_code] { exit_code = run_demo(*flags); });
}

}  // namespace dmcheck::cli
