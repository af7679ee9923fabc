#include <fmt/format.h>

#include <memory>

#include "checker/input_file.h"
#include "checker/interrupt.h"
#include "cli/checkpoint_flags.h"
#include "cli/exploration_options.h"
#include "cli/output_files.h"
#include "cli/scenario_commands.h"
#include "cli/status.h"
#include "cli/summary_files.h"
#include "cli/trace_files.h"
#include "model/variant.h"
#include "reports/json.h"
#include "reports/text.h"
#include "scenarios/expectations.h"
#include "scenarios/loader.h"
#include "scenarios/run.h"

namespace dmcheck::cli {

namespace {

struct CheckFlags {
  std::vector<std::string> files;
  ExplorationFlags exploration;
  CheckpointFlags checkpoint;
  std::string variant;
  std::string format = "text";
  std::string trace_dir;
  SummaryFiles summaries;
  bool witnesses = false;
  bool no_stats = false;
  bool all_properties = false;
};

/// Runs one file; its report goes to `library` when it ran, even partly, and the reason to its
/// broken list when it could not run.
int check_one(const CheckFlags& flags, const scenarios::RunSettings& settings,
              const std::string& file, const std::string& trace_prefix,
              reports::LibraryRun& library) {
  auto scenario = scenarios::load_scenario(file, scenarios::Expectations::optional);
  if (scenario && flags.all_properties) {
    scenarios::name_applicable_catalogue(*scenario,
                                         settings.variant.value_or(scenario->config.variant));
  }
  auto run = scenario ? scenarios::run_scenario(*scenario, settings)
                      : tl::expected<scenarios::ScenarioRun, Error>(tl::unexpect, scenario.error());
  if (!run) {
    fmt::print(stderr, "dmcheck: {}\n", run.error().describe());
    library.broken.push_back({file, run.error().describe()});
    return scenario ? status_of(run.error()) : kBadInput;
  }
  int status = status_of(run->report.outcome());
  if (!flags.trace_dir.empty()) {
    if (auto written = write_traces(run->report, flags.trace_dir, trace_prefix); !written) {
      fmt::print(stderr, "dmcheck: {}\n", written.error());
      status = worse(status, kBadInput);
    }
  }
  if (flags.format == "text") {
    reports::render_text(stdout, run->report, {!flags.no_stats, flags.witnesses});
    fmt::print("  outcome: {}\n\n", reports::to_string(run->report.outcome()));
  }
  library.reports.push_back(std::move(run->report));
  return status;
}

/// The JSON document of every report, or the text lines for the files a signal kept from
/// running (the text reports were printed as each file ran).
void print_reports(const CheckFlags& flags, const reports::LibraryRun& library) {
  if (flags.format == "json") {
    nlohmann::json json = reports::to_json(library.reports);
    if (!library.not_run.empty()) {
      json["not_run"] = {{"reason", library.not_run_reason}, {"files", library.not_run}};
    }
    fmt::print("{}", reports::json_text(json));
    return;
  }
  for (const auto& file : library.not_run) {
    fmt::print("NOT RUN  {} ({})\n", file, library.not_run_reason);
  }
}

/// What a checkpointed run is of: the scenario's text and the flags that change its result.
std::string run_identity(const CheckFlags& flags) {
  if (flags.files.size() != 1) {
    return {};
  }
  constexpr std::uint64_t kMaxScenarioBytes = std::uint64_t{16} << 20;
  auto text = checker::read_regular_file(flags.files[0], kMaxScenarioBytes);
  return fmt::format("{}\nvariant={}\nall-properties={}", text.value_or(std::string()),
                     flags.variant, flags.all_properties);
}

int run_check(const CheckFlags& flags) {
  checker::InterruptGuard interrupts;  // one for the whole command: a signal stops every file
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
  if (auto applied = flags.checkpoint.apply(flags.files, run_identity(flags), settings.options);
      !applied) {
    fmt::print(stderr, "dmcheck: {}\n", applied.error());
    return kBadInput;
  }
  const std::vector<std::string> prefixes = trace_prefixes(flags.files);
  if (!flags.trace_dir.empty()) {
    if (auto ready = prepare_trace_dir(flags.trace_dir, prefixes, RunInputs(flags.files)); !ready) {
      fmt::print(stderr, "dmcheck: {}\n", ready.error());
      return kBadInput;
    }
  }
  if (auto ok = flags.summaries.check(flags.files); !ok) {
    fmt::print(stderr, "dmcheck: {}\n", ok.error());
    return kBadInput;
  }
  int status = kAsExpected;
  reports::LibraryRun library;
  library.coverage_checked = false;
  library.coverage_not_judged = "dmcheck check does not judge it (dmcheck ci does)";
  for (std::size_t i = 0; i < flags.files.size(); ++i) {
    if (checker::interrupt_requested()) {
      library.not_run.push_back(flags.files[i]);
      continue;
    }
    status = worse(status, check_one(flags, settings, flags.files[i], prefixes[i], library));
  }
  if (checker::interrupt_requested()) {
    library.not_run_reason = interruption();
    status = worse(status, kIncomplete);
  }
  print_reports(flags, library);
  status = worse(status, flags.summaries.write(library));
  if (checker::interrupt_requested()) {
    fmt::print(stderr, "dmcheck: {}; {} of {} files not run\n", interruption(),
               library.not_run.size(), flags.files.size());
  }
  return status;
}

}  // namespace

void add_check_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<CheckFlags>();
  CLI::App* cmd = app.add_subcommand(
      "check", "Explore scenarios and print verdicts, statistics and counterexamples");
  cmd->footer(
      "A file needs no [expect]: without one, every catalogue property and the deadlock check\n"
      "are checked; [expect] any = [...] names properties to check without a verdict. Such\n"
      "verdicts are reported (outcome: no expectation), never compared.\n"
      "Exit status: 0 every stated verdict as expected (or none stated), 1 a verdict changed,\n"
      "2 bad input, 3 a limit or a signal (SIGINT, SIGTERM) stopped a run before a verdict,\n"
      "4 model error.\n"
      "A signal stops the whole command: the file in progress reports what it found, the\n"
      "rest are listed as not run. A second signal kills it at once.\n"
      "Examples:\n"
      "  dmcheck check scenarios/seed000-one-shot-swap-6.1.toml\n"
      "  dmcheck check scenarios/*.toml --format json > results.json\n"
      "  dmcheck check my.toml --junit results.xml --markdown summary.md\n"
      "  dmcheck check my.toml --variant 6.1+no-open-flag --trace-dir traces/\n"
      "  dmcheck check my.toml --strategy random --walks 500 --seed 7\n"
      "  dmcheck check my.toml --all-properties --variant 6.12   # every applicable verdict\n"
      "  dmcheck check big.toml --checkpoint big.ckpt --checkpoint-every 600\n"
      "  dmcheck check big.toml --resume big.ckpt --checkpoint big.ckpt   # after a stop\n"
      "  dmcheck check scenarios/races/open-remove.toml      # no [expect]: every verdict");
  cmd->add_option("files", flags->files, "Scenario files (TOML)")
      ->required()
      ->check(CLI::ExistingFile);
  flags->exploration.declare(*cmd);
  flags->checkpoint.declare(*cmd);
  cmd->add_option("--variant", flags->variant,
                  "Run under this variant instead of the file's (e.g. 6.12+finalize-hook)");
  cmd->add_option("--format", flags->format, "Output format: text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--trace-dir", flags->trace_dir,
                  "Write each counterexample and witness as a JSON trace file here, named "
                  "SCENARIO.PROPERTY.json (docs/reports.md)");
  flags->summaries.declare(*cmd);
  cmd->add_flag("--witnesses", flags->witnesses, "Also print the witness of each reached goal");
  cmd->add_flag("--no-stats", flags->no_stats, "Leave out the statistics line (stable output)");
  cmd->add_flag("--all-properties", flags->all_properties,
                "Also check every catalogue property that applies to the variant run (dmcheck "
                "list), reporting each verdict; the file's own are always checked");
  cmd->callback([flags, &exit_code] { exit_code = run_check(*flags); });
}

}  // namespace dmcheck::cli
