#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <memory>
#include <set>

#include "checker/interrupt.h"
#include "cli/exploration_options.h"
#include "cli/output_files.h"
#include "cli/scenario_commands.h"
#include "cli/status.h"
#include "reports/junit.h"
#include "reports/markdown.h"
#include "scenarios/coverage.h"
#include "scenarios/loader.h"
#include "scenarios/run.h"

namespace dmcheck::cli {

namespace {

namespace fs = std::filesystem;

struct CiFlags {
  std::string dir;
  std::string junit;
  std::string markdown;
  ExplorationFlags exploration;
};

/// The scenario files (*.toml) in `dir`, sorted. An entry that cannot be told apart (a loop of
/// symbolic links, or a broken one named *.toml) or a *.toml that is not a regular file is
/// refused rather than skipped: the library would silently shrink.
tl::expected<std::vector<std::string>, std::string> list_scenarios(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const fs::path& path = it->path();
    const bool toml = path.extension() == ".toml";
    std::error_code status_ec;
    const fs::file_status status = it->status(status_ec);
    if (status_ec && (toml || status_ec == std::errc::too_many_symbolic_link_levels)) {
      return tl::unexpected(
          fmt::format("{}: cannot tell what it is: {}", path.string(), status_ec.message()));
    }
    if (toml && !status_ec && !fs::is_regular_file(status)) {
      return tl::unexpected(fmt::format("{}: not a regular file", path.string()));
    }
    if (toml && !status_ec) {
      files.push_back(path.string());
    }
  }
  if (ec) {
    return tl::unexpected(fmt::format("{}: {}", dir, ec.message()));
  }
  if (files.empty()) {
    return tl::unexpected(fmt::format("{}: no scenario files (*.toml)", dir));
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// Refuses, before any work, outputs that would overwrite an input or each other.
tl::expected<void, std::string> check_outputs(const CiFlags& flags,
                                              const std::vector<std::string>& files) {
  const RunInputs inputs(files);
  for (const auto& [option, path] :
       {std::pair{"--junit", flags.junit}, std::pair{"--markdown", flags.markdown}}) {
    if (!path.empty()) {
      if (auto ok = check_output_file(option, path, inputs); !ok) {
        return ok;
      }
    }
  }
  if (!flags.junit.empty() && !flags.markdown.empty() &&
      RunInputs({flags.junit}).overwritten_by(flags.markdown)) {
    return tl::unexpected(fmt::format("--junit and --markdown both name {}", flags.junit));
  }
  return {};
}

void print_outcome(const reports::Report& r) {
  const reports::Outcome outcome = r.outcome();
  fmt::print("{:<8} {} ({}, {} states, {:.2f} s)\n",
             outcome == reports::Outcome::as_expected ? "ok"
             : outcome == reports::Outcome::changed   ? "CHANGED"
                                                      : "UNDECIDED",
             r.name, r.variant, r.stats.states, r.stats.seconds);
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
}

/// Runs every file in order into `run`; after a signal the rest are listed as not run.
int run_library(const std::vector<std::string>& files, const scenarios::RunSettings& settings,
                reports::LibraryRun& run, std::set<std::string>& covered) {
  int status = kAsExpected;
  for (const auto& file : files) {
    const std::string name = fs::path(file).stem().string();
    if (checker::interrupt_requested()) {
      run.not_run.push_back(name);
      fmt::print("NOT RUN  {} ({})\n", name, interruption());
      continue;
    }
    auto scenario = scenarios::load_scenario(file);
    auto result = scenario
                      ? scenarios::run_scenario(*scenario, settings)
                      : tl::expected<scenarios::ScenarioRun, Error>(tl::unexpect, scenario.error());
    if (!result) {
      fmt::print("ERROR    {}: {}\n", name, result.error().describe());
      run.broken.push_back({name, result.error().describe()});
      status = worse(status, status_of(result.error()));
      continue;
    }
    print_outcome(result->report);
    status = worse(status, status_of(result->report.outcome()));
    covered.insert(result->coverage.begin(), result->coverage.end());
    run.reports.push_back(std::move(result->report));
  }
  return status;
}

int write_outputs(const CiFlags& flags, const reports::LibraryRun& run) {
  int status = kAsExpected;
  for (const auto& [path, text] :
       {std::pair{flags.junit, flags.junit.empty() ? "" : reports::render_junit(run)},
        std::pair{flags.markdown, flags.markdown.empty() ? "" : reports::render_markdown(run)}}) {
    if (!path.empty()) {
      if (auto written = write_text_file(path, text); !written) {
        fmt::print(stderr, "dmcheck: {}\n", written.error());
        status = kBadInput;
      }
    }
  }
  return status;
}

int run_ci(const CiFlags& flags) {
  checker::InterruptGuard interrupts;  // one for the whole command: a signal stops the library
  const auto files = list_scenarios(flags.dir);
  if (!files) {
    fmt::print(stderr, "dmcheck: {}\n", files.error());
    return kBadInput;
  }
  if (auto ok = check_outputs(flags, *files); !ok) {
    fmt::print(stderr, "dmcheck: {}\n", ok.error());
    return kBadInput;
  }
  scenarios::RunSettings settings;
  settings.options = flags.exploration.to_options();
  reports::LibraryRun run;
  std::set<std::string> covered;
  int status = run_library(*files, settings, run, covered);
  const auto& units = scenarios::all_coverage_units();
  if (checker::interrupt_requested()) {
    run.not_run_reason = interruption();
    run.coverage_checked = false;
    status = worse(status, kIncomplete);
    fmt::print(stderr, "dmcheck: {}; {} of {} scenarios not run\n", run.not_run_reason,
               run.not_run.size(), files->size());
  } else {
    for (const auto& unit : units) {
      if (!covered.contains(unit)) {
        run.uncovered_steps.push_back(unit);
      }
    }
    run.covered_steps = units.size() - run.uncovered_steps.size();
  }
  if (!run.uncovered_steps.empty()) {
    std::string list;
    for (const auto& u : run.uncovered_steps) {
      list += (list.empty() ? "" : ", ") + u;
    }
    fmt::print("UNCOVERED steps that never fire across the library: {}\n", list);
    status = worse(status, kVerdictChanged);
  }
  status = worse(status, write_outputs(flags, run));
  const std::size_t ok = run.as_expected();
  fmt::print("ci: {} scenarios, {} as expected, {} not, {} unreadable", files->size(), ok,
             run.reports.size() - ok, run.broken.size());
  if (run.coverage_checked) {
    fmt::print("; {} of {} steps covered\n", run.covered_steps, units.size());
  } else {
    fmt::print(", {} not run ({}); step coverage not judged\n", run.not_run.size(),
               run.not_run_reason);
  }
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
      "3 a limit or a signal (SIGINT, SIGTERM) stopped a run before its verdict, 4 model error.\n"
      "A signal stops the whole library: the scenario in progress reports what it found, the\n"
      "rest are listed as not run, and the JUnit and Markdown files are still written. A second\n"
      "signal kills it at once. Outputs may not overwrite a scenario.\n"
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
