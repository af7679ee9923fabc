#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>

#include "checker/interrupt.h"
#include "cli/conformance_commands.h"
#include "cli/exit_codes.h"
#include "cli/number_options.h"
#include "cli/race_command.h"
#include "conformance/conform.h"
#include "conformance/generate.h"
#include "conformance/kernels.h"
#include "conformance/race_universe.h"
#include "conformance/universe.h"

namespace dmcheck::cli {

namespace fs = std::filesystem;

namespace {

/// The numeric options as given; checked by read_numbers.
struct ConformFlags {
  std::string depth = "2";
  std::string walks = "40";
  std::string walk_length = "12";
  std::string seed = "1";
  bool no_directed = false;
  bool no_integrity = false;
  std::string traces_per_boot = "5000";
  std::string divergence_dir = "divergences";
  std::string show = "5";
  std::string timeout = "60";
  std::string kernel_version = "6.1";
  std::string kernel;  ///< empty: the version's own kernel
  std::string jobs = "1";
  bool races = false;
  std::vector<std::string> race_files;
  std::uint64_t iterations = 2000;
  std::string race_seconds = "60";
  bool all_outcomes = false;
};

/// The options once checked.
struct ConformNumbers {
  std::uint32_t depth = 0;
  std::uint32_t walks = 0;
  std::uint32_t walk_length = 0;
  std::uint64_t seed = 0;
  std::size_t traces_per_boot = 0;
  std::size_t show = 0;
  std::size_t jobs = 1;
  double timeout = 0;
};

constexpr std::uint64_t kMaxWalks = 1'000'000;
constexpr double kMaxBootSeconds = 86'400;

tl::expected<ConformNumbers, std::string> read_numbers(const ConformFlags& f) {
  ConformNumbers n;
  const auto whole = [](const char* name, const std::string& text, std::uint64_t min,
                        std::uint64_t max, auto& out) -> tl::expected<void, std::string> {
    auto v = parse_whole_number(name, text, min, max);
    if (!v) {
      return tl::unexpected(v.error());
    }
    out = static_cast<std::remove_reference_t<decltype(out)>>(*v);
    return {};
  };
  for (auto r :
       {whole("--depth", f.depth, 0, 4, n.depth), whole("--walks", f.walks, 0, kMaxWalks, n.walks),
        whole("--walk-length", f.walk_length, 1, 150, n.walk_length),
        whole("--seed", f.seed, 0, std::numeric_limits<std::uint64_t>::max(), n.seed),
        whole("--traces-per-boot", f.traces_per_boot, 1, kMaxWalks, n.traces_per_boot),
        whole("--show", f.show, 0, kMaxWalks, n.show), whole("--jobs", f.jobs, 1, 64, n.jobs)}) {
    if (!r) {
      return tl::unexpected(r.error());
    }
  }
  auto timeout = parse_seconds("--boot-timeout", f.timeout, kMaxBootSeconds);
  if (!timeout) {
    return tl::unexpected(timeout.error());
  }
  n.timeout = *timeout;
  return n;
}

/// Why divergences could not be written to `dir`, or empty: it must be (or be creatable in) a
/// folder where a file can be made, which is tried. Checked before the run so no work is lost.
std::string divergence_dir_problem(const std::string& dir) {
  std::error_code ec;
  fs::path at = fs::absolute(dir, ec);
  while (!fs::exists(at, ec) && at.has_relative_path()) {
    at = at.parent_path();
  }
  if (!fs::is_directory(at, ec)) {
    return fmt::format("{} is not a folder", at.string());
  }
  std::string probe = (at / ".dmcheck-probe-XXXXXX").string();
  if (::mkdtemp(probe.data()) == nullptr) {
    return fmt::format("cannot create anything in {}: {}", at.string(), std::strerror(errno));
  }
  ::rmdir(probe.c_str());
  return "";
}

void print_report(const conformance::ConformReport& r, const conformance::KernelChoice& kernel,
                  std::size_t show, bool integrity) {
  fmt::print("conformance against the real kernel {} ({}):\n", kernel.version, kernel.uml.kernel);
  fmt::print("  traces {}   steps {}   boots {}   {:.1f} s   {:.0f} steps/s   left out {}{}\n",
             r.traces, r.steps, r.boots, r.seconds, r.seconds > 0 ? r.steps / r.seconds : 0.0,
             r.unrunnable, r.unrunnable > 0 ? " (the first: " + r.first_left_out + ")" : "");
  if (integrity) {
    fmt::print(
        "  integrity: probed through IPE; {} device statuses compared, {} failures injected, {} "
        "verity reloads\n",
        r.integrity_compared, r.injected, r.verity_reloads);
  } else {
    fmt::print("  integrity: not probed ({})\n",
               kernel.integrity ? "--no-integrity" : "the kernel has no probe key");
  }
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
  for (std::size_t i = 0; i < diverged.size() && i < show; ++i) {
    const conformance::Divergence& d = *diverged[i]->divergence;
    fmt::print("\n{} step {} ({}): {}\n  model:  {}\n  kernel: {}\n  model state before: {}\n",
               d.trace, d.step, d.call, d.field, d.model, d.kernel, d.state_before);
  }
  if (diverged.size() > show) {
    fmt::print("\n... and {} more\n", diverged.size() - show);
  }
}

/// The step kinds of the alphabet of which no step was compared, sorted.
std::vector<std::string> kinds_never_run(const conformance::ConformReport& r) {
  std::set<std::string> kinds;
  for (const std::string& call : conformance::alphabet()) {
    kinds.insert(conformance::step_kind(call));
  }
  std::vector<std::string> out;
  for (const std::string& kind : kinds) {
    if (!r.per_step.contains(kind)) {
      out.push_back(kind);
    }
  }
  return out;
}

/// Each divergence as a replayable trace file, with what diverged. Errors name the file and the
/// system's reason.
tl::expected<void, std::string> write_divergences(const conformance::ConformReport& r,
                                                  const std::string& dir,
                                                  const std::string& kernel_version) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return tl::unexpected(fmt::format("cannot create {}: {}", dir, ec.message()));
  }
  for (const auto* record : r.diverged()) {
    const conformance::Divergence& d = *record->divergence;
    conformance::Trace trace = record->trace;
    trace.kernel_version = kernel_version;
    nlohmann::json out = conformance::to_json(trace);
    out["divergence"] = {{"step", d.step},     {"call", d.call},
                         {"field", d.field},   {"model", d.model},
                         {"kernel", d.kernel}, {"state_before", d.state_before}};
    const auto path = fs::path(dir) / (record->trace.name + ".json");
    std::ofstream file(path);
    if (file) {
      file << out.dump(2) << "\n";
      file.flush();
    }
    if (!file) {
      return tl::unexpected(
          fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
    }
  }
  return {};
}

/// The directed traces and the generated ones; with `integrity`, also the integrity traces and
/// as many random walks again over the integrity alphabet, with injected failures.
tl::expected<std::vector<conformance::Trace>, Error> make_traces(const model::Config& config,
                                                                 const ConformNumbers& n,
                                                                 bool no_directed, bool integrity) {
  const auto calls = conformance::alphabet();
  std::vector<conformance::Trace> traces;
  if (!no_directed) {
    traces = conformance::directed_traces();
    if (integrity) {
      for (conformance::Trace& t : conformance::integrity_traces()) {
        traces.push_back(std::move(t));
      }
    }
  }
  std::size_t dropped = 0;
  std::vector<tl::expected<conformance::Generated, Error>> parts;
  parts.push_back(conformance::generate_exhaustive(config, calls, n.depth));
  parts.push_back(conformance::generate_random(config, calls, n.walks, n.walk_length, n.seed));
  if (integrity) {
    parts.push_back(conformance::generate_random(config, conformance::integrity_alphabet(), n.walks,
                                                 n.walk_length, n.seed, true));
  }
  for (auto& generated : parts) {
    if (!generated) {
      return tl::unexpected(generated.error());
    }
    dropped += generated->dropped;
    traces.insert(traces.end(), generated->traces.begin(), generated->traces.end());
  }
  fmt::print(
      "generated {} traces (depth {}, {} random walks of {} calls{}, seed {}; {} drawn "
      "calls left out as not runnable alone)\n",
      traces.size(), n.depth, n.walks, n.walk_length,
      integrity ? fmt::format(" and {} more about integrity", n.walks) : "", n.seed, dropped);
  std::fflush(stdout);
  return traces;
}

int run_races(const ConformFlags& flags, const ConformNumbers& n,
              const conformance::KernelChoice& kernel) {
  auto budget = parse_seconds("--race-seconds", flags.race_seconds, 86'400);
  if (!budget) {
    fmt::print(stderr, "dmcheck: {}\n", budget.error());
    return kBadInput;
  }
  conformance::RaceOptions options;
  options.uml = kernel.uml;
  options.uml.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(n.timeout * 1000));
  options.budget = std::chrono::milliseconds(std::max<std::int64_t>(1, *budget * 1000));
  options.seed = n.seed;
  if (auto ready = conformance::check_uml(options.uml); !ready) {
    fmt::print(stderr, "dmcheck: {}\n", ready.error().describe());
    return kKernelFailed;
  }
  if (flags.race_files.empty()) {
    const auto races = conformance::generated_races(flags.iterations, kernel.base);
    fmt::print("generated {} races from the conformance universe, {} iterations each\n",
               races.size(), flags.iterations);
    std::fflush(stdout);
    return run_race_conformance(races, options, flags.all_outcomes);
  }
  auto races = races_from_files(flags.race_files, flags.iterations);
  if (!races) {
    fmt::print(stderr, "dmcheck: {}\n", races.error().describe());
    return kBadInput;
  }
  return run_race_conformance(*races, options, flags.all_outcomes);
}

/// Prints the report, writes the divergences, and gives the exit status.
int finish_run(const conformance::ConformReport& report, const ConformFlags& flags,
               const ConformNumbers& n, const conformance::KernelChoice& kernel) {
  print_report(report, kernel, n.show, kernel.integrity && !flags.no_integrity);
  const auto never_run = kinds_never_run(report);
  if (!never_run.empty()) {
    fmt::print("step kinds of the alphabet never run: {}\n", fmt::join(never_run, ", "));
  }
  if (report.interrupted) {
    fmt::print("\nstopped by {}: {} traces not run\n",
               checker::signal_name(checker::interrupt_signal()), report.not_run);
  }
  if (!report.diverged().empty()) {
    if (auto written = write_divergences(report, flags.divergence_dir, kernel.version); !written) {
      fmt::print(stderr, "dmcheck: {}\n", written.error());
      return kBadInput;
    }
    fmt::print("every divergence written to {}/\n", flags.divergence_dir);
    return kVerdictChanged;
  }
  // Exhaustive traces try every call of the alphabet: a kind that never ran was not proved.
  if (!never_run.empty() && n.depth > 0 && !report.interrupted) {
    return kVerdictChanged;
  }
  return report.interrupted ? kIncomplete : kAsExpected;
}

int run_conform(const ConformFlags& flags) {
  const checker::InterruptGuard interrupts;
  const auto n = read_numbers(flags);
  if (!n) {
    fmt::print(stderr, "dmcheck: {}\n", n.error());
    return kBadInput;
  }
  if (!flags.race_files.empty() && !flags.races) {
    fmt::print(stderr, "dmcheck: conform: race files are read only with --races\n");
    return kBadInput;
  }
  const auto kernel = conformance::choose_kernel(
      flags.kernel_version,
      flags.kernel.empty() ? std::nullopt : std::optional<std::string>(flags.kernel));
  if (!kernel) {
    fmt::print(stderr, "dmcheck: {}\n", kernel.error().describe());
    return kBadInput;
  }
  if (flags.races) {
    return run_races(flags, *n, *kernel);
  }
  conformance::ConformOptions options;
  options.uml = kernel->uml;
  options.jobs = n->jobs;
  options.uml.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(n->timeout * 1000));
  options.traces_per_boot = n->traces_per_boot;
  if (!flags.no_integrity) {
    options.integrity = kernel->integrity;
  }
  if (auto ready = conformance::check_uml(options.uml); !ready) {
    fmt::print(stderr, "dmcheck: {}\n", ready.error().describe());
    return kKernelFailed;
  }
  if (const std::string why = divergence_dir_problem(flags.divergence_dir); !why.empty()) {
    fmt::print(stderr, "dmcheck: --divergence-dir {}: divergences could not be written: {}\n",
               flags.divergence_dir, why);
    return kBadInput;
  }
  const model::Config config = conformance::universe(kernel->base);
  const auto traces = make_traces(config, *n, flags.no_directed, options.integrity.has_value());
  if (!traces) {
    fmt::print(stderr, "dmcheck: {}\n", traces.error().describe());
    return kModelError;
  }
  auto report = conformance::conform(config, *traces, options);
  if (!report) {
    fmt::print(stderr, "dmcheck: {}\n", report.error().describe());
    return report.error().kind == ErrorKind::bad_input ? kBadInput : kKernelFailed;
  }
  return finish_run(*report, flags, *n, *kernel);
}

/// The options of `conform --races`.
void add_race_options(CLI::App& cmd, ConformFlags& flags) {
  cmd.add_flag("--races", flags.races,
               "Run races instead of traces: the race files given, or without files the races "
               "generated from the universe; each judged against every end the model allows "
               "(docs/conformance.md)");
  cmd.add_option("race-files", flags.race_files,
                 "With --races: scenario files whose processes race (2 or 3, plain calls)")
      ->check(CLI::ExistingFile);
  add_whole_number_option(cmd, "--iterations", flags.iterations, 1, 100'000'000,
                          "With --races: iterations of each race");
  cmd.add_option("--race-seconds", flags.race_seconds,
                 "With --races: no iteration of a race starts after this many seconds")
      ->type_name("SECONDS")
      ->capture_default_str();
  cmd.add_flag("--all-outcomes", flags.all_outcomes,
               "With --races: print every kernel outcome with its count");
}

/// The options that choose the traces of a run.
void add_trace_options(CLI::App& cmd, ConformFlags& flags) {
  cmd.add_option("--depth", flags.depth,
                 "Exhaustive traces: every call from every model state within this many calls "
                 "(0 to 4)")
      ->type_name("N")
      ->capture_default_str();
  cmd.add_option("--walks", flags.walks, "Seeded random walks")
      ->type_name("N")
      ->capture_default_str();
  cmd.add_option("--walk-length", flags.walk_length, "Calls per random walk (1 to 150)")
      ->type_name("N")
      ->capture_default_str();
  cmd.add_option("--seed", flags.seed, "Random walk seed")->type_name("N")->capture_default_str();
  cmd.add_flag("--no-directed", flags.no_directed, "Leave out the directed traces");
  cmd.add_flag("--no-integrity", flags.no_integrity,
               "Do not probe IPE's integrity metadata, even on a kernel built for it (traces "
               "that inject a failure are then left out)");
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
      "  dmcheck conform --races                 # generated races, 2000 iterations each\n"
      "  dmcheck conform --races scenarios/races/*.toml --iterations 10000\n"
      "Exit status: 0 no divergence, 1 divergences (each written to --divergence-dir as a trace\n"
      "for `dmcheck replay`) or, with --depth 1 or more, a step kind of the alphabet that never\n"
      "ran, 2 bad input, 3 stopped by SIGINT or SIGTERM before any divergence,\n"
      "5 the kernel could not be run. With --races: 1 a kernel outcome the model does not allow,\n"
      "3 also when the model's exploration of a race was cut short (judged unknown), 4 model\n"
      "error.");
  add_trace_options(*cmd, *flags);
  cmd->add_option("--traces-per-boot", flags->traces_per_boot,
                  "Traces run in one boot of the kernel")
      ->type_name("N")
      ->capture_default_str();
  cmd->add_option("--divergence-dir", flags->divergence_dir, "Where divergent traces are written")
      ->capture_default_str();
  cmd->add_option("--show", flags->show, "Divergences printed in full")
      ->type_name("N")
      ->capture_default_str();
  cmd->add_option("--boot-timeout", flags->timeout, "Seconds a boot may take beyond its requests")
      ->type_name("SECONDS")
      ->capture_default_str();
  cmd->add_option("--kernel-version", flags->kernel_version,
                  "The real kernel, and the model's base kernel that predicts it: 6.1 (Debian's "
                  "user-mode-linux) or 6.12 (built by scripts/build-kernel)")
      ->type_name("VERSION")
      ->capture_default_str();
  cmd->add_option("--kernel", flags->kernel,
                  "The User-Mode Linux kernel to boot instead of the version's own")
      ->type_name("PATH");
  cmd->add_option("--jobs", flags->jobs,
                  "Guests run in parallel (1 to 64), each on its own copy of the fixtures; the "
                  "results are the same for any number")
      ->type_name("N")
      ->capture_default_str();
  add_race_options(*cmd, *flags);
  cmd->callback([flags, &exit_code] { exit_code = run_conform(*flags); });
}

}  // namespace dmcheck::cli
