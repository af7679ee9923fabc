#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>

#include "cli/exploration_options.h"
#include "cli/scenario_commands.h"
#include "cli/status.h"
#include "reports/junit.h"
#include "reports/markdown.h"
#include "scenarios/coverage.h"
#include "scenarios/loader.h"
#include "scenarios/run.h"

namespace dmcheck::cli {

namespace {

struct CiFlags {
  std::string dir;
  std::string junit;
  std::string markdown;
  ExplorationFlags exploration;
};

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) {
    fmt::print(stderr, "dmcheck: cannot write {}\n", path);
    return false;
  }
  return true;
}

int run_ci(const CiFlags& flags) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(flags.dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".toml") {
      files.push_back(entry.path().string());
    }
  }
  if (ec) {
    fmt::print(stderr, "dmcheck: {}: {}\n", flags.dir, ec.message());
    return kBadInput;
  }
  if (files.empty()) {
    fmt::print(stderr, "dmcheck: {}: no scenario files (*.toml)\n", flags.dir);
    return kBadInput;
  }
  std::sort(files.begin(), files.end());
  scenarios::RunSettings settings;
  settings.options = flags.exploration.to_options();
  int status = kAsExpected;
  std::vector<reports::Report> reports;
  std::vector<reports::BrokenScenario> broken;
  std::set<std::string> covered;
  for (const auto& file : files) {
    const std::string name = std::filesystem::path(file).stem().string();
    auto scenario = scenarios::load_scenario(file);
    auto run = scenario
                   ? scenarios::run_scenario(*scenario, settings)
                   : tl::expected<scenarios::ScenarioRun, Error>(tl::unexpect, scenario.error());
    if (!run) {
      fmt::print("ERROR    {}: {}\n", name, run.error().describe());
      broken.push_back({name, run.error().describe()});
      status = worse(status, status_of(run.error()));
      continue;
    }
    const reports::Report& r = run->report;
    const reports::Outcome outcome = r.outcome();
    fmt::print("{:<8} {} ({}, {} states, {:.2f} s)\n",
               outcome == reports::Outcome::as_expected ? "ok"
               : outcome == reports::Outcome::changed   ? "CHANGED"
                                                        : "UNDECIDED",
               name, r.variant, r.stats.states, r.stats.seconds);
    for (const auto& p : r.properties) {
      const reports::Outcome o = p.outcome();
      if (o == reports::Outcome::changed || o == reports::Outcome::incomplete) {
        fmt::print("         {}: {}{} but expected {}{}{}\n", p.name, checker::to_string(p.verdict),
                   p.has_trace() ? fmt::format(" in {}", p.trace_length()) : "",
                   checker::to_string(*p.expected),
                   p.expected_shortest ? fmt::format(" in {}", *p.expected_shortest) : "",
                   o == reports::Outcome::incomplete
                       ? fmt::format(" (stopped: {})", checker::to_string(r.stop))
                       : "");
      }
    }
    status = worse(status, status_of(outcome));
    covered.insert(run->coverage.begin(), run->coverage.end());
    reports.push_back(std::move(run->report));
  }
  std::vector<std::string> uncovered;
  for (const auto& unit : scenarios::all_coverage_units()) {
    if (!covered.contains(unit)) {
      uncovered.push_back(unit);
    }
  }
  if (!uncovered.empty()) {
    std::string list;
    for (const auto& u : uncovered) {
      list += (list.empty() ? "" : ", ") + u;
    }
    fmt::print("UNCOVERED steps that never fire across the library: {}\n", list);
    status = worse(status, kVerdictChanged);
  }
  if (!flags.junit.empty() &&
      !write_file(flags.junit, reports::render_junit(reports, broken, uncovered))) {
    status = worse(status, kBadInput);
  }
  if (!flags.markdown.empty() &&
      !write_file(flags.markdown, reports::render_markdown(
                                      reports, broken, uncovered,
                                      scenarios::all_coverage_units().size() - uncovered.size()))) {
    status = worse(status, kBadInput);
  }
  std::size_t ok = 0;
  for (const auto& r : reports) {
    ok += r.outcome() == reports::Outcome::as_expected;
  }
  fmt::print("ci: {} scenarios, {} as expected, {} not, {} unreadable; {} of {} steps covered\n",
             files.size(), ok, reports.size() - ok, broken.size(),
             scenarios::all_coverage_units().size() - uncovered.size(),
             scenarios::all_coverage_units().size());
  return status;
}

}  // namespace

void add_ci_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<CiFlags>();
  CLI::App* cmd = app.add_subcommand(
      "ci", "Run every scenario in a folder and compare each verdict with its expectation");
  cmd->footer(
      "Fails when a verdict changes, a declared goal is unreachable, or some step of the model\n"
      "never fires across the library.\n"
      "Exit status: 0 all as expected, 1 a verdict changed (or a step never fired), 2 bad input,\n"
      "3 a limit stopped a run before its verdict, 4 model error.\n"
      "Examples:\n"
      "  dmcheck ci scenarios/\n"
      "  dmcheck ci scenarios/ --junit results.xml --markdown summary.md");
  cmd->add_option("dir", flags->dir, "Folder of scenario files (*.toml)")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--junit", flags->junit, "Write JUnit XML here");
  cmd->add_option("--markdown", flags->markdown, "Write a Markdown summary here");
  flags->exploration.declare(*cmd);
  cmd->callback([flags, &exit_code] { exit_code = run_ci(*flags); });
}

}  // namespace dmcheck::cli
