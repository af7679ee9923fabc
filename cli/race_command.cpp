// `dmcheck conform --races`: races run on the real kernel, each judged against every end the
// model allows for the same processes.

#include "cli/race_command.h"

#include <fmt/format.h>

#include <map>
#include <optional>

#include "checker/interrupt.h"
#include "cli/exit_codes.h"
#include "cli/number_options.h"
#include "cli/status.h"
#include "conformance/compare.h"
#include "conformance/race_compare.h"
#include "conformance/temp_dir.h"
#include "scenarios/loader.h"

namespace dmcheck::cli {

namespace {

/// The model's allowed set for every race, computed on fixtures like the kernel's (the live
/// tables' signatures depend on them). Races with the same disks and tables share fixtures.
tl::expected<std::vector<conformance::AllowedSet>, Error> allowed_sets(
    const std::vector<conformance::Race>& races) {
  std::vector<conformance::AllowedSet> sets;
  std::optional<conformance::TempDir> dir;
  std::optional<conformance::Fixtures> fixtures;
  const model::Config* made_for = nullptr;
  checker::Options limits;
  limits.max_states = kRaceModelStates;
  for (const conformance::Race& race : races) {
    if (made_for == nullptr || !conformance::same_fixtures(*made_for, race.config)) {
      fixtures.reset();
      dir.reset();
      auto made_dir = conformance::TempDir::make("dmcheck-race-fixtures");
      if (!made_dir) {
        return tl::unexpected(made_dir.error());
      }
      dir.emplace(std::move(*made_dir));
      auto made = conformance::Fixtures::make(race.config, dir->path().string());
      if (!made) {
        return tl::unexpected(made.error());
      }
      fixtures.emplace(std::move(*made));
      made_for = &race.config;
    }
    auto set = conformance::allowed_outcomes(race, *fixtures, limits);
    if (!set) {
      return tl::unexpected(set.error());
    }
    sets.push_back(std::move(*set));
  }
  return sets;
}

std::string verdict_text(conformance::RaceVerdict v) {
  switch (v) {
    case conformance::RaceVerdict::agrees:
      return "kernel within model";
    case conformance::RaceVerdict::diverges:
      return "DIVERGES";
    case conformance::RaceVerdict::unknown:
      return "unknown";
  }
  return "?";
}

void print_details(const conformance::RaceResult& r, const conformance::AllowedSet& allowed,
                   const conformance::RaceJudgement& j) {
  for (std::size_t k : j.outside) {
    const conformance::KernelOutcome& o = r.outcomes[k];
    fmt::print("    kernel outcome outside the model, {}x: {} | {}\n", o.count,
               conformance::results_text(o.results), conformance::describe_devices(o.devices));
  }
  if (!j.why_unknown.empty()) {
    fmt::print("    unknown: {}\n", j.why_unknown);
  }
  fmt::print("    the model allows {} end{}:\n", allowed.outcomes.size(),
             allowed.outcomes.size() == 1 ? "" : "s");
  for (const conformance::AllowedOutcome& a : allowed.outcomes) {
    fmt::print("      {} | {}{}\n", conformance::results_text(a.results),
               conformance::describe_devices(a.devices),
               a.deadlock ? " (a process never returns)" : "");
  }
}

/// One line per race, and the details of each that is not within the model.
int print_report(const std::vector<conformance::Race>& races,
                 const std::vector<conformance::AllowedSet>& sets,
                 const conformance::RaceReport& report, bool all_outcomes) {
  int status = kAsExpected;
  std::size_t iterations = 0;
  std::size_t diverging = 0;
  for (std::size_t i = 0; i < report.races.size(); ++i) {
    const conformance::RaceResult& r = report.races[i];
    const conformance::RaceJudgement j = conformance::judge(sets[i], r);
    iterations += r.iterations;
    fmt::print("  {:<60} {:>8} it  kernel {:>2}  model {:>2}  unseen {:>2}  {}{}\n", races[i].name,
               r.iterations, r.outcomes.size(), sets[i].outcomes.size(), j.unseen.size(),
               verdict_text(j.verdict), r.stopped.empty() ? "" : " (" + r.stopped + ")");
    if (all_outcomes) {
      for (const conformance::KernelOutcome& o : r.outcomes) {
        fmt::print("    kernel {}x: {} | {}\n", o.count, conformance::results_text(o.results),
                   conformance::describe_devices(o.devices));
      }
    }
    if (j.verdict != conformance::RaceVerdict::agrees) {
      print_details(r, sets[i], j);
      ++diverging;
      status = worse(
          status, j.verdict == conformance::RaceVerdict::diverges ? kVerdictChanged : kIncomplete);
    }
  }
  fmt::print(
      "races {}   iterations {}   boots {}   {:.1f} s   {:.0f} iterations/s   "
      "outside the model {}\n",
      report.races.size(), iterations, report.boots, report.seconds,
      report.seconds > 0 ? iterations / report.seconds : 0.0, diverging);
  return status;
}

}  // namespace

tl::expected<std::vector<conformance::Race>, Error> races_from_files(
    const std::vector<std::string>& files, std::size_t iterations) {
  std::vector<conformance::Race> races;
  for (const std::string& file : files) {
    auto scenario = scenarios::load_scenario(file, scenarios::Expectations::optional);
    if (!scenario) {
      return tl::unexpected(scenario.error());
    }
    races.push_back({scenario->name, scenario->config, iterations});
  }
  return races;
}

int run_race_conformance(const std::vector<conformance::Race>& races,
                         const conformance::RaceOptions& options, bool all_outcomes) {
  const checker::InterruptGuard interrupts;
  for (const conformance::Race& race : races) {
    if (auto ok = conformance::check_race(race); !ok) {
      fmt::print(stderr, "dmcheck: {}\n", ok.error().describe());
      return kBadInput;
    }
  }
  auto sets = allowed_sets(races);
  if (!sets) {
    fmt::print(stderr, "dmcheck: {}\n", sets.error().describe());
    return sets.error().kind == ErrorKind::model ? kModelError : kKernelFailed;
  }
  auto report = conformance::run_races(races, options);
  if (!report) {
    fmt::print(stderr, "dmcheck: {}\n", report.error().describe());
    return report.error().kind == ErrorKind::bad_input ? kBadInput : kKernelFailed;
  }
  fmt::print("races against the real kernel ({}):\n", options.uml.kernel);
  int status = print_report(races, *sets, *report, all_outcomes);
  if (report->interrupted) {
    fmt::print("stopped by {}: {} of {} races not run\n",
               checker::signal_name(checker::interrupt_signal()),
               races.size() - report->races.size(), races.size());
    status = worse(status, kIncomplete);
  }
  return status;
}

}  // namespace dmcheck::cli
