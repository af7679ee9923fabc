#include <fmt/format.h>

#include <map>
#include <memory>
#include <optional>

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

/// The table being filled: one column per variant, one row per property the scenario names in
/// [expect] (with or without a verdict; every property when it has no [expect]).
struct Matrix {
  std::vector<std::string> properties;
  std::vector<std::string> columns;
  std::map<std::string, std::vector<std::string>> cells;  ///< cells[property][column]
};

/// The variants named on the command line, or nothing after saying which is unknown.
std::optional<std::vector<model::Variant>> parse_variants(const std::vector<std::string>& texts) {
  std::vector<model::Variant> variants;
  for (const auto& text : texts) {
    auto v = model::parse_variant(text);
    if (!v) {
      fmt::print(stderr, "dmcheck: --variants: {}\n", v.error().describe());
      return std::nullopt;
    }
    variants.push_back(*v);
  }
  return variants;
}

/// A property's cell: its verdict, with the shortest counterexample's length when violated;
/// "n/a" when the variant could not run the scenario.
std::string cell_of(const tl::expected<scenarios::ScenarioRun, Error>& run,
                    const std::string& property) {
  std::string cell = "n/a";
  if (!run) {
    return cell;
  }
  for (const auto& p : run->report.properties) {
    if (p.name == property) {
      cell = std::string(checker::to_string(p.verdict));
      if (p.verdict == checker::Verdict::violated) {
        cell += fmt::format(" ({})", p.trace_length());
      }
    }
  }
  return cell;
}

/// Runs the scenario under `variant` and adds its column; returns the column's exit status.
int add_column(Matrix& matrix, const scenarios::Scenario& scenario, const model::Variant& variant,
               const ExplorationFlags& exploration) {
  matrix.columns.push_back(model::to_string(variant));
  if (checker::interrupt_requested()) {
    for (const auto& name : matrix.properties) {
      matrix.cells[name].push_back("not run");
    }
    return kAsExpected;
  }
  scenarios::RunSettings settings;
  settings.options = exploration.to_options();
  settings.variant = variant;
  const auto run = scenarios::run_scenario(scenario, settings);
  for (const auto& name : matrix.properties) {
    matrix.cells[name].push_back(cell_of(run, name));
  }
  if (!run) {
    fmt::print(stderr, "note: {} cannot run this scenario: {}\n", matrix.columns.back(),
               run.error().message);
    return run.error().kind == ErrorKind::model ? kModelError : kAsExpected;
  }
  return run->report.stop != checker::StopReason::completed ? kIncomplete : kAsExpected;
}

/// The table in Markdown, under a line naming the scenario.
void print_matrix(const std::string& scenario_name, const Matrix& matrix) {
  fmt::print("{}: property x variant (violated: shortest counterexample length)\n\n",
             scenario_name);
  std::string header = "| property |";
  std::string rule = "|---|";
  for (const auto& c : matrix.columns) {
    header += " " + c + " |";
    rule += "---|";
  }
  fmt::print("{}\n{}\n", header, rule);
  for (const auto& name : matrix.properties) {
    std::string row = "| " + name + " |";
    if (const auto it = matrix.cells.find(name); it != matrix.cells.end()) {
      for (const auto& cell : it->second) {
        row += " " + cell + " |";
      }
    }
    fmt::print("{}\n", row);
  }
}

int run_matrix(const MatrixFlags& flags) {
  checker::InterruptGuard interrupts;  // one for the whole command: a signal stops every column
  auto scenario = scenarios::load_scenario(flags.file, scenarios::Expectations::optional);
  if (!scenario) {
    fmt::print(stderr, "dmcheck: {}\n", scenario.error().describe());
    return kBadInput;
  }
  const auto variants = parse_variants(flags.variants);
  if (!variants) {
    return kBadInput;
  }
  Matrix matrix;
  for (const auto& e : scenario->expectations) {
    matrix.properties.push_back(e.property);
  }
  int status = kAsExpected;
  for (const auto& variant : *variants) {
    status = worse(status, add_column(matrix, *scenario, variant, flags.exploration));
  }
  print_matrix(scenario->name, matrix);
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
      "n/a marks a variant that lacks a step the scenario uses. Rows: the properties named in\n"
      "[expect]; a file without [expect] gets a row for every property. A signal (SIGINT,\n"
      "SIGTERM) stops the whole table: the column in progress is partial, the rest are\n"
      "\"not run\".\n"
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
