#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <set>

#include "checker/interrupt.h"
#include "cli/exploration_options.h"
#include "cli/library_files.h"
#include "cli/scenario_commands.h"
#include "cli/status.h"
#include "cli/summary_files.h"
#include "scenarios/coverage.h"
#include "scenarios/loader.h"
#include "scenarios/run.h"

namespace dmcheck::cli {

namespace {

struct CiFlags {
  std::string dir;
  SummaryFiles summaries;
  std::string coverage = "steps";
  ExplorationFlags exploration;
};

void print_outcome(const reports::Report& r) {
  const reports::Outcome outcome = r.outcome();
  fmt::print("{:<8} {} ({}, {} states, {:.2f} s)\n",
             outcome == reports::Outcome::as_expected ? "ok"
             : outcome == reports::Outcome::changed   ? "CHANGED"
                                                      : "UNDECIDED",
             r.name, r.variant, r.stats.states, r.stats.seconds);
  for (const auto& p : r.properties) {
    const reports::Outcome o = p.outcome();
    if ((o == reports::Outcome::changed || o == reports::Outcome::incomplete) && p.expected) {
      fmt::print("         {}: {}{} but expected {}{}{}\n", p.name, checker::to_string(p.verdict),
                 p.has_trace() ? fmt::format(" in {}", p.trace_length()) : "",
                 checker::to_string(*p.expected),
                 p.expected_shortest ? fmt::format(" in {}", *p.expected_shortest) : "",
                 o == reports::Outcome::incomplete
                     ? fmt::format(" (stopped: {})", checker::to_string(r.stop))
                     : "");
    }
  }
}

/// Whether a file states no verdict at all (no [expect]): read as check reads it. A file that
/// cannot be read that way is no such file; the caller reports why it cannot be read.
bool states_no_verdict(const std::string& path) {
  const auto scenario = scenarios::load_scenario(path, scenarios::Expectations::optional);
  return scenario && std::none_of(scenario->expectations.begin(), scenario->expectations.end(),
                                  [](const auto& e) { return e.verdict.has_value(); });
}

/// Loads and runs one file under its ci name. A file in a subfolder that states no verdict comes
/// back empty (skipped); one directly in the folder given must state its verdicts.
tl::expected<std::optional<scenarios::ScenarioRun>, Error> run_file(
    const LibraryFile& file, const scenarios::RunSettings& settings) {
  auto scenario = scenarios::load_scenario(file.path);
  if (!scenario && file.nested && states_no_verdict(file.path)) {
    return std::nullopt;
  }
  if (!scenario) {
    return tl::unexpected(scenario.error());
  }
  auto run = scenarios::run_scenario(*scenario, settings);
  if (!run) {
    return tl::unexpected(run.error());
  }
  run->report.name = file.name;
  return std::move(*run);
}

/// Runs every file in order into `run`; after a signal the rest are listed as not run.
int run_library(const std::vector<LibraryFile>& files, const scenarios::RunSettings& settings,
                reports::LibraryRun& run, std::set<std::string>& covered) {
  int status = kAsExpected;
  for (const auto& file : files) {
    if (checker::interrupt_requested()) {
      run.not_run.push_back(file.name);
      fmt::print("NOT RUN  {} ({})\n", file.name, interruption());
      continue;
    }
    auto result = run_file(file, settings);
    if (!result) {
      fmt::print("ERROR    {}: {}\n", file.name, result.error().describe());
      run.broken.push_back({file.name, result.error().describe()});
      status = worse(status, status_of(result.error()));
      continue;
    }
    if (!*result) {
      fmt::print("SKIPPED  {}: {}\n", file.name, reports::kNotACheckScenario);
      run.skipped.push_back(file.name);
      continue;
    }
    print_outcome((*result)->report);
    status = worse(status, status_of((*result)->report.outcome()));
    covered.insert((*result)->coverage.begin(), (*result)->coverage.end());
    run.reports.push_back(std::move((*result)->report));
  }
  return status;
}

/// Judges step coverage over what ran (unless a signal stopped the library or it is turned off)
/// and prints the steps that never fired; returns the status it adds.
int judge_coverage(const CiFlags& flags, const std::set<std::string>& covered,
                   reports::LibraryRun& run) {
  if (checker::interrupt_requested() || flags.coverage == "off") {
    run.coverage_checked = false;
    if (flags.coverage == "off") {
      run.coverage_not_judged = "--coverage off";
    }
    return kAsExpected;
  }
  const auto& units = scenarios::all_coverage_units();
  std::string list;
  for (const auto& unit : units) {
    if (!covered.contains(unit)) {
      run.uncovered_steps.push_back(unit);
      list += (list.empty() ? "" : ", ") + unit;
    }
  }
  run.covered_steps = units.size() - run.uncovered_steps.size();
  if (run.uncovered_steps.empty()) {
    return kAsExpected;
  }
  fmt::print("UNCOVERED steps that never fire across the library: {}\n", list);
  return kVerdictChanged;
}

/// The closing line: what ran, what was skipped, and the step coverage.
void print_summary(const reports::LibraryRun& run, std::size_t files) {
  const std::size_t ok = run.as_expected();
  fmt::print("ci: {} scenarios, {} as expected, {} not, {} unreadable", files - run.skipped.size(),
             ok, run.reports.size() - ok, run.broken.size());
  if (!run.not_run.empty()) {
    fmt::print(", {} not run ({})", run.not_run.size(), run.not_run_reason);
  }
  if (!run.skipped.empty()) {
    fmt::print("; {} skipped ({})", run.skipped.size(), reports::kNotACheckScenario);
  }
  if (run.coverage_checked) {
    fmt::print("; {} of {} steps covered\n", run.covered_steps,
               run.covered_steps + run.uncovered_steps.size());
  } else {
    fmt::print("; step coverage not judged ({})\n", run.coverage_not_judged);
  }
}

int run_ci(const CiFlags& flags) {
  checker::InterruptGuard interrupts;  // one for the whole command: a signal stops the library
  const auto files = list_library(flags.dir);
  if (!files) {
    fmt::print(stderr, "dmcheck: {}\n", files.error());
    return kBadInput;
  }
  std::vector<std::string> paths;
  for (const auto& f : *files) {
    paths.push_back(f.path);
  }
  if (auto ok = flags.summaries.check(paths); !ok) {
    fmt::print(stderr, "dmcheck: {}\n", ok.error());
    return kBadInput;
  }
  scenarios::RunSettings settings;
  settings.options = flags.exploration.to_options();
  reports::LibraryRun run;
  std::set<std::string> covered;
  int status = run_library(*files, settings, run, covered);
  if (checker::interrupt_requested()) {
    run.not_run_reason = interruption();
    status = worse(status, kIncomplete);
    fmt::print(stderr, "dmcheck: {}; {} of {} scenarios not run\n", run.not_run_reason,
               run.not_run.size(), files->size());
  }
  status = worse(status, judge_coverage(flags, covered, run));
  status = worse(status, flags.summaries.write(run));
  print_summary(run, files->size());
  return status;
}

}  // namespace

void add_ci_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<CiFlags>();
  CLI::App* cmd = app.add_subcommand(
      "ci",
      "Run every scenario in a folder and its subfolders; compare each verdict with its "
      "expectation");
  cmd->footer(
      "Reads every *.toml in the folder and its subfolders, in sorted path order; a file is\n"
      "named by its path below the folder. A file directly in the folder must state its\n"
      "verdicts in [expect] (no 'any'); a file in a subfolder that states none, such as a race\n"
      "file, is listed as SKIPPED and counted, not run.\n"
      "Fails when a verdict changes, a declared goal is unreachable, or (with --coverage steps,\n"
      "the default) some step of the model never fires across the folder.\n"
      "Exit status: 0 all as expected, 1 a verdict changed (or a step never fired), 2 bad input,\n"
      "3 a limit or a signal (SIGINT, SIGTERM) stopped a run before its verdict, 4 model error.\n"
      "A signal stops the whole library: the scenario in progress reports what it found, the\n"
      "rest are listed as not run, and the JUnit and Markdown files are still written. A second\n"
      "signal kills it at once. Outputs may not overwrite a scenario.\n"
      "Examples:\n"
      "  dmcheck ci scenarios/\n"
      "  dmcheck ci scenarios/ --junit results.xml --markdown summary.md\n"
      "  dmcheck ci my-scenarios/ --coverage off");
  cmd->add_option("dir", flags->dir, "Folder of scenario files (*.toml), read with its subfolders")
      ->required()
      ->check(CLI::ExistingDirectory);
  flags->summaries.declare(*cmd);
  // A function rather than a validator: CLI11 would put the option's name before the message.
  const auto coverage = [flags](const std::string& value) {
    if (value != "steps" && value != "off") {
      throw CLI::ValidationError(fmt::format("--coverage must be steps or off (got '{}')", value));
    }
    flags->coverage = value;
  };
  cmd->add_option_function<std::string>(
         "--coverage", coverage,
         "steps (default): fail when a step of the model never fires across the folder, the "
         "library's gate; off: do not judge step coverage, and say so")
      ->type_name("steps|off");
  flags->exploration.declare(*cmd);
  cmd->callback([flags, &exit_code] { exit_code = run_ci(*flags); });
}

}  // namespace dmcheck::cli
