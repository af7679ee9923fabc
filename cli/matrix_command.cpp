#include <fmt/format.h>

#include <algorithm>
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
  std::vector<std::string> files;
  std::vector<std::string> variants;
  ExplorationFlags exploration;
};

/// The table being filled: one column per variant (or per design: a scenario file under its own
/// variant), one row per property a scenario names in [expect] (with or without a verdict; every
/// property when it has no [expect]).
struct Matrix {
  std::vector<std::string> properties;
  std::vector<std::string> columns;
  std::map<std::string, std::vector<std::string>> cells;  ///< cells[property][column]
  std::vector<std::string> legend;                        ///< which file each column ran
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

/// A property's cell: its verdict, with its trace's length when violated or reached;
/// "n/a" when the variant could not run the scenario, "-" when the scenario does not check it.
std::string cell_of(const tl::expected<scenarios::ScenarioRun, Error>& run,
                    const std::string& property) {
  if (!run) {
    return "n/a";
  }
  std::string cell = "-";
  for (const auto& p : run->report.properties) {
    if (p.name == property) {
      cell = std::string(checker::to_string(p.verdict));
      if (p.has_trace()) {
        cell += fmt::format(" ({})", p.trace_length());
      }
    }
  }
  return cell;
}

/// Runs the scenario under `variant` and adds its column; returns the column's exit status.
int add_column(Matrix& matrix, const scenarios::Scenario& scenario, const model::Variant& variant,
               const ExplorationFlags& exploration) {
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
void print_matrix(const std::string& title, const Matrix& matrix) {
  fmt::print("{} (violated, reached: the shortest trace's length)\n\n", title);
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
  if (!matrix.legend.empty()) {
    fmt::print("\n");
  }
  for (const auto& line : matrix.legend) {
    fmt::print("{}\n", line);
  }
}

void add_rows(Matrix& matrix, const scenarios::Scenario& scenario) {
  for (const auto& e : scenario.expectations) {
    if (std::find(matrix.properties.begin(), matrix.properties.end(), e.property) ==
        matrix.properties.end()) {
      matrix.properties.push_back(e.property);
    }
  }
}

/// The column names of several designs: each file's variant, or its scenario's name where two
/// files share a variant.
std::vector<std::string> design_columns(const std::vector<scenarios::Scenario>& designs) {
  std::vector<std::string> columns;
  for (const auto& s : designs) {
    const std::string variant = model::to_string(s.config.variant);
    const bool shared = std::count_if(designs.begin(), designs.end(), [&](const auto& o) {
                          return model::to_string(o.config.variant) == variant;
                        }) > 1;
    columns.push_back(shared ? s.name : variant);
  }
  return columns;
}

/// Several scenario files, each one design under its own variant: the table compares designs
/// whose mechanisms need different steps (a no-open flag, an open limit).
int run_designs(const MatrixFlags& flags) {
  std::vector<scenarios::Scenario> designs;
  for (const auto& file : flags.files) {
    auto scenario = scenarios::load_scenario(file, scenarios::Expectations::optional);
    if (!scenario) {
      fmt::print(stderr, "dmcheck: {}\n", scenario.error().describe());
      return kBadInput;
    }
    designs.push_back(std::move(*scenario));
  }
  Matrix matrix;
  const auto columns = design_columns(designs);
  int status = kAsExpected;
  for (std::size_t i = 0; i < designs.size(); ++i) {
    add_rows(matrix, designs[i]);
  }
  for (std::size_t i = 0; i < designs.size(); ++i) {
    matrix.columns.push_back(columns[i]);
    matrix.legend.push_back(fmt::format("{}: {}", columns[i], flags.files[i]));
    status =
        worse(status, add_column(matrix, designs[i], designs[i].config.variant, flags.exploration));
  }
  print_matrix("property x design", matrix);
  return status;
}

/// One scenario file under each variant named by --variants.
int run_variants(const MatrixFlags& flags) {
  auto scenario = scenarios::load_scenario(flags.files.front(), scenarios::Expectations::optional);
  if (!scenario) {
    fmt::print(stderr, "dmcheck: {}\n", scenario.error().describe());
    return kBadInput;
  }
  const auto variants = parse_variants(flags.variants);
  if (!variants) {
    return kBadInput;
  }
  Matrix matrix;
  add_rows(matrix, *scenario);
  int status = kAsExpected;
  for (const auto& variant : *variants) {
    matrix.columns.push_back(model::to_string(variant));
    status = worse(status, add_column(matrix, *scenario, variant, flags.exploration));
  }
  print_matrix(scenario->name + ": property x variant", matrix);
  return status;
}

int run_matrix(const MatrixFlags& flags) {
  checker::InterruptGuard interrupts;  // one for the whole command: a signal stops every column
  if (!flags.variants.empty() && flags.files.size() > 1) {
    fmt::print(stderr,
               "dmcheck: --variants runs one scenario file under several variants; several "
               "files each run under their own variant, so give one or the other\n");
    return kBadInput;
  }
  int status = flags.variants.empty() ? run_designs(flags) : run_variants(flags);
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
      "matrix",
      "Designs side by side: one scenario under several variants (--variants), or several\n"
      "scenario files, each a design under its own variant, in one table");
  cmd->footer(
      "Cells give the verdict; a violated or reached cell gives its shortest trace's length;\n"
      "\"holds vacuously\" marks an invariant whose premise never happened; n/a marks a variant\n"
      "that lacks a step the scenario uses; - a property the column's file does not check.\n"
      "Rows: the properties named in [expect] (of every file); a file without [expect] gets a\n"
      "row for every property. A signal (SIGINT,\n"
      "SIGTERM) stops the whole table: the column in progress is partial, the rest are\n"
      "\"not run\".\n"
      "Exit status: 0 done, 2 bad input, 3 a limit or a signal stopped a run, 4 model error.\n"
      "Examples:\n"
      "  dmcheck matrix scenarios/seed000-one-shot-swap-6.1.toml \\\n"
      "      scenarios/seed000-one-shot-swap-no-open-flag.toml \\\n"
      "      scenarios/seed000-one-shot-swap-open-limit-ioctl.toml \\\n"
      "      scenarios/seed000-one-shot-swap-create-open-limit.toml\n"
      "  dmcheck matrix scenarios/seed000-one-shot-swap-6.1.toml --variants 6.1 6.12");
  cmd->add_option("files", flags->files, "Scenario files (one with --variants)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--variants", flags->variants, "Variants to run one scenario file under");
  flags->exploration.declare(*cmd);
  cmd->callback([flags, &exit_code] { exit_code = run_matrix(*flags); });
}

}  // namespace dmcheck::cli
