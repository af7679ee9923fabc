#include <fmt/format.h>

#include <fstream>

#include "cli/conformance_commands.h"
#include "cli/exit_codes.h"
#include "conformance/conform.h"
#include "conformance/counterexample.h"
#include "conformance/universe.h"
#include "scenarios/loader.h"

namespace dmcheck::cli {

namespace {

struct ReplayFlags {
  std::string file;
  std::string property;
  std::string kernel = "linux.uml";
  double timeout = 60;
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

int run_replay(const ReplayFlags& flags) {
  std::ifstream in(flags.file);
  if (!in) {
    fmt::print(stderr, "dmcheck: {}: cannot read the file\n", flags.file);
    return kBadInput;
  }
  const nlohmann::json json = nlohmann::json::parse(in, nullptr, false);
  if (json.is_discarded()) {
    fmt::print(stderr, "dmcheck: {}: not JSON\n", flags.file);
    return kBadInput;
  }
  conformance::Trace trace;
  model::Config config;
  if (json.is_object() && json.value("schema", "") == "dmcheck-trace/1") {
    auto read = conformance::trace_from_json(json, flags.file);
    if (!read) {
      fmt::print(stderr, "dmcheck: {}\n", read.error().describe());
      return kBadInput;
    }
    trace = *read;
    if (trace.scenario.empty()) {
      config = conformance::universe();
    } else {
      auto scenario = scenarios::load_scenario(trace.scenario);
      if (!scenario) {
        fmt::print(stderr, "dmcheck: {}\n", scenario.error().describe());
        return kBadInput;
      }
      config = scenario->config;
    }
  } else {
    auto cex = conformance::counterexample_trace(json, flags.file, flags.property);
    if (!cex) {
      fmt::print(stderr, "dmcheck: {}\n", cex.error().describe());
      return cex.error().kind == ErrorKind::model ? kModelError : kBadInput;
    }
    fmt::print("{}: {} of {}, its calls in the order they returned\n", flags.file, cex->property,
               cex->trace.scenario);
    trace = cex->trace;
    config = cex->config;
  }
  if (model::to_string(config.variant) != "6.1") {
    fmt::print("note: the model predicts under {}; the kernel is Debian's 6.1\n",
               model::to_string(config.variant));
  }
  conformance::ConformOptions options;
  options.uml.kernel = flags.kernel;
  options.uml.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(flags.timeout * 1000));
  auto report = conformance::conform(config, {trace}, options);
  if (!report) {
    fmt::print(stderr, "dmcheck: {}\n", report.error().describe());
    return report.error().kind == ErrorKind::bad_input ? kBadInput : kKernelFailed;
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
  return kAsExpected;
}

}  // namespace

void add_replay_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ReplayFlags>();
  CLI::App* cmd = app.add_subcommand(
      "replay",
      "Replay a trace on the real device-mapper (User-Mode Linux), model and kernel side by side");
  cmd->footer(
      "TRACE is a divergence written by `dmcheck conform` (dmcheck-trace/1) or a counterexample\n"
      "or witness written by `dmcheck check --trace-dir` (dmcheck-report/1).\n"
      "Examples:\n"
      "  dmcheck replay divergences/random-1-3.json\n"
      "  dmcheck check scenarios/prober-races-remove.toml --trace-dir traces/\n"
      "  dmcheck replay traces/prober-races-remove.device-freed.json\n"
      "Exit status: 0 the kernel agreed, 1 it diverged, 2 bad input, 5 the kernel could not be run.");
  cmd->add_option("TRACE", flags->file, "The trace file")->required();
  cmd->add_option("--property", flags->property, "With a report: the property whose trace to replay");
  cmd->add_option("--kernel", flags->kernel, "The User-Mode Linux kernel")->capture_default_str();
  cmd->add_option("--boot-timeout", flags->timeout, "Seconds the boot may take beyond its requests")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->callback([flags, &exit_code] { exit_code = run_replay(*flags); });
}

}  // namespace dmcheck::cli
