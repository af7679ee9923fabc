#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "cli/conformance_commands.h"
#include "cli/exit_codes.h"
#include "conformance/conform.h"
#include "conformance/generate.h"
#include "conformance/universe.h"

namespace dmcheck::cli {

namespace {

struct ConformFlags {
  std::uint32_t depth = 2;
  std::uint32_t walks = 40;
  std::uint32_t walk_length = 12;
  std::uint64_t seed = 1;
  bool no_directed = false;
  std::size_t traces_per_boot = 5000;
  std::string divergence_dir = "divergences";
  std::size_t show = 5;
  double timeout = 60;
  std::string kernel = "linux.uml";
};

void print_report(const conformance::ConformReport& r, const ConformFlags& flags) {
  fmt::print("conformance against the real kernel ({}):\n", flags.kernel);
  fmt::print("  traces {}   steps {}   boots {}   {:.1f} s   {:.0f} steps/s   left out {}\n",
             r.traces, r.steps, r.boots, r.seconds, r.seconds > 0 ? r.steps / r.seconds : 0.0,
             r.unrunnable);
  fmt::print("  steps by kind:");
  for (const auto& [kind, count] : r.per_step) {
    fmt::print("\n    {:<34} {:>7}", kind, count);
  }
  fmt::print("\n  steps by errno:");
  for (const auto& [err, count] : r.per_errno) {
    fmt::print(" {} {}", err, count);
  }
  const auto diverged = r.diverged();
  fmt::print("\n  divergences: {}\n", diverged.size());
  for (std::size_t i = 0; i < diverged.size() && i < flags.show; ++i) {
    const conformance::Divergence& d = *diverged[i]->divergence;
    fmt::print("\n{} step {} ({}): {}\n  model:  {}\n  kernel: {}\n  model state before: {}\n",
               d.trace, d.step, d.call, d.field, d.model, d.kernel, d.state_before);
  }
  if (diverged.size() > flags.show) {
    fmt::print("\n... and {} more (all written to {}/)\n", diverged.size() - flags.show,
               flags.divergence_dir);
  }
}

/// Each divergence as a replayable trace file, with what diverged.
bool write_divergences(const conformance::ConformReport& r, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  for (const auto* record : r.diverged()) {
    const conformance::Divergence& d = *record->divergence;
    nlohmann::json out = conformance::to_json(record->trace);
    out["divergence"] = {{"step", d.step},   {"call", d.call},     {"field", d.field},
                         {"model", d.model}, {"kernel", d.kernel}, {"state_before", d.state_before}};
    const auto path = std::filesystem::path(dir) / (record->trace.name + ".json");
    std::ofstream file(path);
    file << out.dump(2) << "\n";
    if (!file) {
      fmt::print(stderr, "dmcheck: cannot write {}\n", path.string());
      return false;
    }
  }
  return true;
}

int run_conform(const ConformFlags& flags) {
  const model::Config config = conformance::universe();
  const auto calls = conformance::alphabet();
  std::vector<conformance::Trace> traces;
  if (!flags.no_directed) {
    traces = conformance::directed_traces();
  }
  std::size_t dropped = 0;
  for (auto generated : {conformance::generate_exhaustive(config, calls, flags.depth),
                         conformance::generate_random(config, calls, flags.walks,
                                                      flags.walk_length, flags.seed)}) {
    if (!generated) {
      fmt::print(stderr, "dmcheck: {}\n", generated.error().describe());
      return kModelError;
    }
    dropped += generated->dropped;
    traces.insert(traces.end(), generated->traces.begin(), generated->traces.end());
  }
  fmt::print("generated {} traces (depth {}, {} random walks of {} calls, seed {}; {} drawn "
             "calls left out as not runnable alone)\n",
             traces.size(), flags.depth, flags.walks, flags.walk_length, flags.seed, dropped);
  std::fflush(stdout);
  conformance::ConformOptions options;
  options.uml.kernel = flags.kernel;
  options.uml.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(flags.timeout * 1000));
  options.traces_per_boot = flags.traces_per_boot;
  auto report = conformance::conform(config, traces, options);
  if (!report) {
    fmt::print(stderr, "dmcheck: {}\n", report.error().describe());
    return report.error().kind == ErrorKind::bad_input ? kBadInput : kKernelFailed;
  }
  print_report(*report, flags);
  if (report->diverged().empty()) {
    return kAsExpected;
  }
  if (!write_divergences(*report, flags.divergence_dir)) {
    return kBadInput;
  }
  return kVerdictChanged;
}

}  // namespace

void add_conform_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ConformFlags>();
  CLI::App* cmd = app.add_subcommand(
      "conform",
      "Generate sequential traces from the model, run them on the real device-mapper (Debian's "
      "User-Mode Linux kernel) and compare every step with the model's prediction");
  cmd->footer(
      "Examples:\n"
      "  dmcheck conform                         # depth 2, 40 random walks, directed traces\n"
      "  dmcheck conform --depth 3 --walks 500   # a larger run\n"
      "Exit status: 0 no divergence, 1 divergences (each written to --divergence-dir as a trace\n"
      "for `dmcheck replay`), 2 bad input, 5 the kernel could not be run.");
  cmd->add_option("--depth", flags->depth, "Exhaustive traces: every call from every model state within this many calls")
      ->check(CLI::Range(0, 4))
      ->capture_default_str();
  cmd->add_option("--walks", flags->walks, "Seeded random walks")->capture_default_str();
  cmd->add_option("--walk-length", flags->walk_length, "Calls per random walk")
      ->check(CLI::Range(1, 150))
      ->capture_default_str();
  cmd->add_option("--seed", flags->seed, "Random walk seed")->capture_default_str();
  cmd->add_flag("--no-directed", flags->no_directed, "Leave out the directed traces");
  cmd->add_option("--traces-per-boot", flags->traces_per_boot, "Traces run in one boot of the kernel")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--divergence-dir", flags->divergence_dir, "Where divergent traces are written")
      ->capture_default_str();
  cmd->add_option("--show", flags->show, "Divergences printed in full")->capture_default_str();
  cmd->add_option("--boot-timeout", flags->timeout, "Seconds a boot may take beyond its requests")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--kernel", flags->kernel, "The User-Mode Linux kernel")->capture_default_str();
  cmd->callback([flags, &exit_code] { exit_code = run_conform(*flags); });
}

}  // namespace dmcheck::cli
