#include "conformance/conform.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "conformance/fixtures.h"
#include "conformance/predict.h"
#include "model/step.h"

namespace dmcheck::conformance {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// Removes a temporary folder when the run ends, whichever way.
struct TempDir {
  fs::path path;
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

struct Planned {
  const Trace* trace = nullptr;
  TracePrediction prediction;
  std::size_t first_request = 0;  ///< index of its reset request
};

}  // namespace

std::vector<const TraceRecord*> ConformReport::diverged() const {
  std::vector<const TraceRecord*> out;
  for (const TraceRecord& r : records) {
    if (r.divergence) {
      out.push_back(&r);
    }
  }
  return out;
}

std::string step_kind(const std::string& text) {
  const auto call = model::parse_call(text);
  if (!call) {
    return "unknown";
  }
  std::string kind(model::to_string(call->op));
  switch (call->op) {
    case model::Op::create:
      return kind + (call->table.empty() ? " --notable" : " --table");
    case model::Op::remove:
    case model::Op::remove_all:
      return kind + (call->deferred ? " --deferred" : "");
    case model::Op::cancel_deferred:
      return "message @cancel_deferred_remove";
    case model::Op::crypt_key:
      return call->key_set ? "message key set" : "message key wipe";
    default:
      return kind;
  }
}

tl::expected<ConformReport, Error> conform(const model::Config& config,
                                           const std::vector<Trace>& traces,
                                           const ConformOptions& options) {
  char dir_template[] = "/tmp/dmcheck-fixtures-XXXXXX";
  if (::mkdtemp(dir_template) == nullptr) {
    return tl::unexpected(Error{ErrorKind::system, "cannot make a temporary folder", {}});
  }
  const TempDir dir{dir_template};
  auto fixtures = Fixtures::make(config, dir.path.string());
  if (!fixtures) {
    return tl::unexpected(fixtures.error());
  }
  ConformReport report;
  std::vector<Planned> planned;
  for (const Trace& trace : traces) {
    auto prediction = predict(config, *fixtures, trace);
    if (!prediction) {
      return tl::unexpected(prediction.error());
    }
    if (!prediction->unrunnable.empty()) {
      if (report.unrunnable++ == 0) {
        report.first_left_out = trace.name + ": " + prediction->unrunnable;
      }
      continue;
    }
    planned.push_back({&trace, std::move(*prediction), 0});
  }
  UmlOptions uml = options.uml;
  uml.disks = fixtures->files();
  const json reset = {{"op", "reset"}, {"zero", fixtures->zero_on_reset()}};
  const auto started = std::chrono::steady_clock::now();
  for (std::size_t begin = 0; begin < planned.size(); begin += options.traces_per_boot) {
    const std::size_t end = std::min(planned.size(), begin + options.traces_per_boot);
    std::vector<json> requests;
    for (std::size_t i = begin; i < end; ++i) {
      planned[i].first_request = requests.size();
      requests.push_back(reset);
      for (const auto& s : planned[i].prediction.setup) {
        requests.push_back(s.request);
      }
      for (const auto& s : planned[i].prediction.steps) {
        requests.push_back(s.request);
      }
    }
    // A boot takes a few seconds; each request a few milliseconds at most.
    uml.timeout = options.uml.timeout + std::chrono::milliseconds(50 * requests.size());
    auto observations = run_in_uml(uml, requests);
    ++report.boots;
    if (!observations) {
      Error e = observations.error();
      e.message = fmt::format("while running traces {} to {} ({} .. {}): {}", begin + 1, end,
                              planned[begin].trace->name, planned[end - 1].trace->name, e.message);
      return tl::unexpected(e);
    }
    for (std::size_t i = begin; i < end; ++i) {
      const Planned& p = planned[i];
      TraceRecord record{*p.trace, {}, std::nullopt};
      std::size_t at = p.first_request;
      const json& reset_seen = (*observations)[at++];
      if (reset_seen.value("errno", -1) != 0 || !reset_seen.value("devices", json::array()).empty()) {
        return tl::unexpected(Error{
            ErrorKind::system,
            fmt::format("the kernel could not be reset before trace {}: {}", p.trace->name,
                        reset_seen.value("agent_error", reset_seen.dump())),
            {}});
      }
      for (const auto& s : p.prediction.setup) {
        const json& o = (*observations)[at++];
        if (o.value("errno", -1) != 0 && !record.divergence) {
          record.divergence = Divergence{p.trace->name, 0, s.call, "setup", "0",
                                         describe_outcome(o), ""};
        }
      }
      ++report.traces;
      for (std::size_t k = 0; k < p.prediction.steps.size(); ++k) {
        const StepPrediction& s = p.prediction.steps[k];
        const json& o = (*observations)[at++];
        StepRecord step{s.call, describe_outcome(s.obs), describe_outcome(o),
                        describe_devices(s.devices), describe_devices(kernel_devices(o)), true};
        if (!record.divergence) {
          ++report.steps;
          ++report.per_step[step_kind(s.call)];
          ++report.per_errno[model::errno_name(static_cast<std::uint8_t>(o.value("errno", 0)))];
          if (auto d = compare_step(s, o)) {
            d->trace = p.trace->name;
            d->step = k + 1;
            record.divergence = *d;
            step.matches = false;
          }
        }
        record.steps.push_back(std::move(step));
      }
      report.records.push_back(std::move(record));
    }
  }
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace dmcheck::conformance
