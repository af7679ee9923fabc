#include <fmt/format.h>

#include <map>
#include <memory>

#include "checker/interrupt.h"
#include "cli/exploration_options.h"
#include "cli/scenario_commands.h"
#include "cli/status.h"
#include "model/variant.h"
#include "scenarios/loader.h"
#include "scenarios/run.h"

namespace dmcheck::cli {

namespace {

struct MatrixFlags {
  std::string file;
  std::vector<std::string> variants;
  ExplorationFlags exploration;
};

int run_matrix(const MatrixFlags& flags) {
  checker::InterruptGuard interrupts;  // one for the whole command: a signal stops every column
  auto scenario = scenarios::load_scenario(flags.file);
  if (!scenario) {
    fmt::print(stderr, "dmcheck: {}\n", scenario.error().describe());
    return kBadInput;
  }
  std::vector<model::Variant> variants;
  for (const auto& text : flags.variants) {
    auto v = model::parse_variant(text);
    if (!v) {
      fmt::print(stderr, "dmcheck: --variants: {}\n", v.error().describe());
      return kBadInput;
    }
    variants.push_back(*v);
  }
  std::vector<std::string> properties;
  for (const auto& e : scenario->expectations) {
    properties.push_back(e.property);
  }
  // cells[property][variant column]
  std::map<std::string, std::vector<std::string>> cells;
  std::vector<std::string> columns;
  int status = kAsExpected;
  for (const auto& variant : variants) {
    columns.push_back(model::to_string(variant));
    if (checker::interrupt_requested()) {
      for (const auto& name : properties) {
        cells[name].push_back("not run");
      }
      continue;
    }
    scenarios::RunSettings settings;
    settings.options = flags.exploration.to_options();
    settings.variant = variant;
    auto run = scenarios::run_scenario(*scenario, settings);
    for (const auto& name : properties) {
      std::string cell = "n/a";
      if (run) {
        for (const auto& p : run->report.properties) {
          if (p.name == name) {
            cell = std::string(checker::to_string(p.verdict));
            if (p.verdict == checker::Verdict::violated) {
              cell += fmt::format(" ({})", p.trace_length());
            }
          }
        }
      }
      cells[name].push_back(cell);
    }
    if (!run) {
      fmt::print(stderr, "note: {} cannot run this scenario: {}\n", columns.back(),
                 run.error().message);
      if (run.error().kind == ErrorKind::model) {
        status = worse(status, kModelError);
      }
    } else if (run->report.stop != checker::StopReason::completed) {
      status = worse(status, kIncomplete);
    }
  }
  fmt::print("{}: property x variant (violated: shortest counterexample length)\n\n",
             scenario->name);
  std::string header = "| property |";
  std::string rule = "|---|";
  for (const auto& c : columns) {
    header += " " + c + " |";
    rule += "---|";
  }
  fmt::print("{}\n{}\n", header, rule);
  for (const auto& name : properties) {
    std::string row = "| " + name + " |";
    for (const auto& cell : cells[name]) {
      row += " " + cell + " |";
    }
    fmt::print("{}\n", row);
  }
  if (checker::interrupt_requested()) {
    fmt::print(
        "\n{}: the cells of the column in progress are partial; \"not run\" marks the "
        "rest\n",
        interruption());
    status = worse(status, kIncomplete);
  }
  return status;
}

}  // namespace

void add_matrix_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<MatrixFlags>();
  CLI::App* cmd = app.add_subcommand(
      "matrix", "One scenario under several variants: a table of property x variant");
  cmd->footer(
      "Cells give the verdict; a violated cell gives its shortest counterexample's length;\n"
      "n/a marks a variant that lacks a step the scenario uses. A signal (SIGINT, SIGTERM)\n"
      "stops the whole table: the column in progress is partial, the rest are \"not run\".\n"
      "Exit status: 0 done, 2 bad input, 3 a limit or a signal stopped a run, 4 model error.\n"
      "Examples:\n"
      "  dmcheck matrix scenarios/seed000-one-shot-swap-6.1.toml \\\n"
      "      --variants 6.1 6.1+no-open-flag 6.1+open-limit-ioctl 6.1+create-open-limit");
  cmd->add_option("file", flags->file, "Scenario file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--variants", flags->variants, "Variants to compare")->required();
  flags->exploration.declare(*cmd);
  cmd->callback([flags, &exit_code] { exit_code = run_matrix(*flags); });
}

}  // namespace dmcheck::cli
