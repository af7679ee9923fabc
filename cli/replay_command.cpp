#include <fmt/format.h>

#include "checker/interrupt.h"
#include "cli/conformance_commands.h"
#include "cli/exit_codes.h"
#include "cli/number_options.h"
#include "conformance/conform.h"
#include "conformance/counterexample.h"
#include "conformance/kernels.h"
#include "conformance/universe.h"
#include "reports/json_file.h"
#include "reports/json_in.h"
#include "reports/report.h"
#include "scenarios/loader.h"

namespace dmcheck::cli {

namespace {

struct ReplayFlags {
  std::string file;
  std::string property;
  std::string kernel_version;  ///< empty: the trace's own, else its model's base kernel
  std::string kernel;          ///< empty: the version's own kernel
  std::string timeout = "60";
  bool no_integrity = false;
};

void print_side_by_side(const conformance::TraceRecord& record) {
  fmt::print("{:>4}  {:<40} {:<28} {:<28}\n", "step", "call", "model", "kernel");
  for (std::size_t i = 0; i < record.steps.size(); ++i) {
    const conformance::StepRecord& s = record.steps[i];
    const bool diverged = record.divergence && record.divergence->step == i + 1;
    fmt::print("{:>4}  {:<40} {:<28} {:<28}{}\n", i + 1, s.call, s.model, s.kernel,
               diverged ? "  <-- " + record.divergence->field : "");
    if (diverged || s.devices_model != s.devices_kernel) {
      fmt::print("      devices, model:  {}\n      devices, kernel: {}\n", s.devices_model,
                 s.devices_kernel);
    }
  }
}

/// The trace to run and the configuration it runs on, from a trace file or a report.
struct ReplayInput {
  conformance::Trace trace;
  model::Config config;
  std::string property;        ///< a counterexample's or witness's property; empty for a trace file
  std::string unreproducible;  ///< Counterexample::unreproducible
};

tl::expected<ReplayInput, Error> read_input(const ReplayFlags& flags) {
  const auto json = reports::read_json_file(flags.file);
  if (!json) {
    return tl::unexpected(json.error());
  }
  const auto schema = reports::read_checked(flags.file, [&] {
    return reports::JsonIn(*json)["schema"].one_of({conformance::kTraceSchema,
                                                    std::string(reports::kSchema),
                                                    std::string(reports::kSchemaV1)});
  });
  if (!schema) {
    return tl::unexpected(schema.error());
  }
  ReplayInput input;
  if (*schema == conformance::kTraceSchema) {
    auto read = conformance::trace_from_json(*json, flags.file);
    if (!read) {
      return tl::unexpected(read.error());
    }
    input.trace = *read;
    if (input.trace.scenario.empty()) {
      input.config = conformance::universe();
      return input;
    }
    auto scenario = scenarios::load_scenario(input.trace.scenario);
    if (!scenario) {
      return tl::unexpected(scenario.error());
    }
    input.config = scenario->config;
    return input;
  }
  auto cex = conformance::counterexample_trace(*json, flags.file, flags.property);
  if (!cex) {
    return tl::unexpected(cex.error());
  }
  fmt::print("{}: {} of {}, its calls in the order they returned\n", flags.file, cex->property,
             cex->trace.scenario);
  input.trace = cex->trace;
  input.config = cex->config;
  input.property = cex->property;
  input.unreproducible = cex->unreproducible;
  return input;
}

/// The kernel a replay boots: --kernel-version, else the one the trace ran on, else its model's
/// base kernel. The built-in universe follows the kernel; a scenario keeps its own variant.
tl::expected<conformance::KernelChoice, Error> replay_kernel(const ReplayFlags& flags,
                                                             const conformance::Trace& trace,
                                                             model::Config& config) {
  const std::string version = !flags.kernel_version.empty()               ? flags.kernel_version
                              : !trace.kernel_version.empty()             ? trace.kernel_version
                              : config.variant.base == model::Base::v6_12 ? "6.12"
                                                                          : "6.1";
  auto kernel = conformance::choose_kernel(
      version, flags.kernel.empty() ? std::nullopt : std::optional<std::string>(flags.kernel));
  if (!kernel) {
    return kernel;
  }
  if (trace.scenario.empty()) {
    config.variant.base = kernel->base;
  }
  if (model::to_string(config.variant) != kernel->version) {
    fmt::print("note: the model predicts under {}; the kernel is {}\n",
               model::to_string(config.variant), kernel->version);
  }
  return kernel;
}

/// After a counterexample's or witness's trace agreed at every step: whether the kernel showed
/// the state the property is about. Every field the model owns was compared, so it did, unless
/// the trace alone cannot reach that state (`unreproducible` says why), or the property is about
/// IPE's integrity metadata and the last step did not observe it.
int judge_reproduction(const conformance::TraceRecord& record, const std::string& property,
                       const std::string& unreproducible, bool integrity_off) {
  if (!unreproducible.empty()) {
    fmt::print("but that does not reproduce the state of {}: {}\n", property, unreproducible);
    return kIncomplete;
  }
  const conformance::StepRecord& last = record.steps.back();
  const bool observed = last.devices_kernel.find("integrity=") != std::string::npos;
  if (property.find("integrity") != std::string::npos && !observed) {
    fmt::print(
        "but the violation of {} is not confirmed: the kernel's integrity metadata was not "
        "observed ({})\n",
        property,
        integrity_off ? "the kernel has no integrity probe, or --no-integrity"
                      : "no device of the last step could be probed");
    return kIncomplete;
  }
  fmt::print(
      "the kernel reproduced the state of {} after step {} ({}):\n  model:  {}\n  kernel: {}\n",
      property, record.steps.size(), last.call, last.devices_model, last.devices_kernel);
  return kAsExpected;
}

int run_replay(const ReplayFlags& flags) {
  const checker::InterruptGuard interrupts;
  const auto timeout = parse_seconds("--boot-timeout", flags.timeout, 86'400);
  if (!timeout) {
    fmt::print(stderr, "dmcheck: {}\n", timeout.error());
    return kBadInput;
  }
  auto input = read_input(flags);
  if (!input) {
    fmt::print(stderr, "dmcheck: {}\n", input.error().describe());
    return input.error().kind == ErrorKind::model ? kModelError : kBadInput;
  }
  const conformance::Trace& trace = input->trace;
  model::Config& config = input->config;
  const auto kernel = replay_kernel(flags, trace, config);
  if (!kernel) {
    fmt::print(stderr, "dmcheck: {}\n", kernel.error().describe());
    return kBadInput;
  }
  conformance::ConformOptions options;
  options.uml = kernel->uml;
  options.uml.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(*timeout * 1000));
  if (!flags.no_integrity) {
    options.integrity = kernel->integrity;
  }
  if (auto ready = conformance::check_uml(options.uml); !ready) {
    fmt::print(stderr, "dmcheck: {}\n", ready.error().describe());
    return kKernelFailed;
  }
  auto report = conformance::conform(config, {trace}, options);
  if (!report) {
    fmt::print(stderr, "dmcheck: {}\n", report.error().describe());
    return report.error().kind == ErrorKind::bad_input ? kBadInput : kKernelFailed;
  }
  if (report->interrupted) {
    fmt::print("stopped by {} before the trace finished: not run\n",
               checker::signal_name(checker::interrupt_signal()));
    return kIncomplete;
  }
  if (report->records.empty()) {
    fmt::print(stderr, "dmcheck: {}: the trace cannot run on a real kernel: {}\n", flags.file,
               report->first_left_out);
    return kBadInput;
  }
  const conformance::TraceRecord& record = report->records.front();
  fmt::print("trace {} ({} calls)\n", record.trace.name, record.trace.calls.size());
  print_side_by_side(record);
  if (record.divergence) {
    const conformance::Divergence& d = *record.divergence;
    fmt::print("\ndiverged at step {} ({}): {}: model {}, kernel {}\nmodel state before: {}\n",
               d.step, d.call, d.field, d.model, d.kernel, d.state_before);
    return kVerdictChanged;
  }
  fmt::print("\nthe kernel agreed with the model at every step\n");
  if (input->property.empty() || record.steps.empty()) {
    return kAsExpected;
  }
  return judge_reproduction(record, input->property, input->unreproducible,
                            !options.integrity.has_value());
}

}  // namespace

void add_replay_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ReplayFlags>();
  CLI::App* cmd = app.add_subcommand(
      "replay",
      "Replay a trace on the real device-mapper (User-Mode Linux), model and kernel side by side");
  cmd->footer(
      "TRACE is a divergence written by `dmcheck conform` (dmcheck-trace/1) or a counterexample\n"
      "or witness written by `dmcheck check --trace-dir` (dmcheck-report/2).\n"
      "Examples:\n"
      "  dmcheck replay divergences/random-1-3.json\n"
      "  dmcheck check scenarios/prober-races-remove.toml --trace-dir traces/\n"
      "  dmcheck replay traces/prober-races-remove.device-freed.json\n"
      "A failure the counterexample took (an integrity allocation failing) is injected into the\n"
      "same call on a kernel with the integrity probe (docs/conformance.md).\n"
      "Exit status: 0 the kernel agreed (and, for a counterexample or witness, showed its state),\n"
      "1 it diverged, 2 bad input, 3 stopped by SIGINT or SIGTERM, or the kernel agreed but could\n"
      "not show the property's state (a failure that cannot be injected, an interleaving that\n"
      "cannot be forced, integrity metadata not observed), 5 the kernel could not be run.");
  cmd->add_option("TRACE", flags->file, "The trace file")->required();
  cmd->add_option("--property", flags->property,
                  "With a report: the property whose trace to replay");
  cmd->add_option("--kernel-version", flags->kernel_version,
                  "The real kernel (6.1 or 6.12); default: the one the trace ran on, else its "
                  "model's base kernel")
      ->type_name("VERSION");
  cmd->add_option("--kernel", flags->kernel,
                  "The User-Mode Linux kernel to boot instead of the version's own")
      ->type_name("PATH");
  cmd->add_option("--boot-timeout", flags->timeout, "Seconds the boot may take beyond its requests")
      ->type_name("SECONDS")
      ->capture_default_str();
  cmd->add_flag("--no-integrity", flags->no_integrity,
                "Do not probe IPE's integrity metadata, even on a kernel built for it");
  cmd->callback([flags, &exit_code] { exit_code = run_replay(*flags); });
}

}  // namespace dmcheck::cli
