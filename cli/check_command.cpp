#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "cli/exploration_options.h"
#include "cli/scenario_commands.h"
#include "cli/status.h"
#include "model/variant.h"
#include "reports/json.h"
#include "reports/text.h"
#include "scenarios/loader.h"
#include "scenarios/run.h"

namespace dmcheck::cli {

namespace {

struct CheckFlags {
  std::vector<std::string> files;
  ExplorationFlags exploration;
  std::string variant;
  std::string format = "text";
  std::string trace_dir;
  bool witnesses = false;
  bool no_stats = false;
};

/// Writes one file per trace: the report narrowed to that property, readable by report_from_json.
int write_traces(const reports::Report& report, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  for (const auto& p : report.properties) {
    if (!p.has_trace()) {
      continue;
    }
    reports::Report one = report;
    one.properties = {p};
    const auto path = std::filesystem::path(dir) / fmt::format("{}.{}.json", report.name, p.name);
    std::ofstream out(path);
    out << reports::to_json(one).dump(2) << "\n";
    if (!out) {
      fmt::print(stderr, "dmcheck: cannot write {}\n", path.string());
      return kBadInput;
    }
  }
  return kAsExpected;
}

int run_check(const CheckFlags& flags) {
  scenarios::RunSettings settings;
  settings.options = flags.exploration.to_options();
  if (!flags.variant.empty()) {
    auto variant = model::parse_variant(flags.variant);
    if (!variant) {
      fmt::print(stderr, "dmcheck: --variant: {}\n", variant.error().describe());
      return kBadInput;
    }
    settings.variant = *variant;
  }
  int status = kAsExpected;
  std::vector<reports::Report> reports;
  for (const auto& file : flags.files) {
    auto scenario = scenarios::load_scenario(file);
    if (!scenario) {
      fmt::print(stderr, "dmcheck: {}\n", scenario.error().describe());
      status = worse(status, kBadInput);
      continue;
    }
    auto run = scenarios::run_scenario(*scenario, settings);
    if (!run) {
      fmt::print(stderr, "dmcheck: {}\n", run.error().describe());
      status = worse(status, status_of(run.error()));
      continue;
    }
    status = worse(status, status_of(run->report.outcome()));
    if (!flags.trace_dir.empty()) {
      status = worse(status, write_traces(run->report, flags.trace_dir));
    }
    if (flags.format == "text") {
      reports::render_text(stdout, run->report, {!flags.no_stats, flags.witnesses});
      fmt::print("  outcome: {}\n\n", reports::to_string(run->report.outcome()));
    }
    reports.push_back(std::move(run->report));
  }
  if (flags.format == "json") {
    fmt::print("{}\n", reports::to_json(reports).dump(2));
  }
  return status;
}

}  // namespace

void add_check_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<CheckFlags>();
  CLI::App* cmd = app.add_subcommand(
      "check", "Explore scenarios and print verdicts, statistics and counterexamples");
  cmd->footer(
      "Exit status: 0 every verdict as expected, 1 a verdict changed, 2 bad input,\n"
      "3 a limit stopped a run before a verdict, 4 model error.\n"
      "Examples:\n"
      "  dmcheck check scenarios/seed000-one-shot-swap-6.1.toml\n"
      "  dmcheck check scenarios/*.toml --format json > results.json\n"
      "  dmcheck check my.toml --variant 6.1+no-open-flag --trace-dir traces/\n"
      "  dmcheck check my.toml --strategy random --walks 500 --seed 7");
  cmd->add_option("files", flags->files, "Scenario files (TOML)")
      ->required()
      ->check(CLI::ExistingFile);
  flags->exploration.declare(*cmd);
  cmd->add_option("--variant", flags->variant,
                  "Run under this variant instead of the file's (e.g. 6.12+finalize-hook)");
  cmd->add_option("--format", flags->format, "Output format: text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--trace-dir", flags->trace_dir,
                  "Write each counterexample and witness as a JSON trace file here");
  cmd->add_flag("--witnesses", flags->witnesses, "Also print the witness of each reached goal");
  cmd->add_flag("--no-stats", flags->no_stats, "Leave out the statistics line (stable output)");
  cmd->callback([flags, &exit_code] { exit_code = run_check(*flags); });
}

}  // namespace dmcheck::cli
