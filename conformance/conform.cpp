#include "conformance/conform.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "checker/interrupt.h"
#include "conformance/dm_names.h"
#include "conformance/fixtures.h"
#include "conformance/guest_protocol.h"
#include "conformance/parallel_boots.h"
#include "conformance/predict.h"
#include "conformance/temp_dir.h"
#include "model/step.h"

namespace dmcheck::conformance {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

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
    case model::Op::thin_message:
      return "message " + std::string(model::to_string(call->thin_verb));
    case model::Op::status:
    case model::Op::table:
      return kind + (call->inactive ? " --inactive" : "");
    default:
      return kind;
  }
}

namespace {

/// Refuses a request whose names the kernel's fields cannot hold, before anything runs.
tl::expected<void, Error> check_names(const Trace& trace, std::size_t call, const json& request) {
  std::string why;
  for (const char* key : {"name", "new_name"}) {
    if (const auto it = request.find(key); it != request.end() && it->is_string() && why.empty()) {
      why = invalid_dm_name(it->get<std::string>());
    }
  }
  if (const auto it = request.find("uuid"); it != request.end() && it->is_string() && why.empty()) {
    why = invalid_dm_uuid(it->get<std::string>());
  }
  if (why.empty()) {
    return {};
  }
  return tl::unexpected(
      Error{ErrorKind::bad_input,
            fmt::format("trace {}, {} ('{}'): {}", trace.name,
                        call == 0 ? std::string("an initial device") : fmt::format("call {}", call),
                        request.value("call", std::string()), why),
            {}});
}

/// Predicts every trace; leaves out (and counts) those that cannot run alone.
tl::expected<std::vector<Planned>, Error> plan(const model::Config& config,
                                               const Fixtures& fixtures,
                                               const std::vector<Trace>& traces, bool integrity,
                                               ConformReport& report) {
  std::vector<Planned> planned;
  for (const Trace& trace : traces) {
    if (checker::interrupt_requested()) {
      break;  // the caller reports every trace as not run
    }
    auto prediction = predict(config, fixtures, trace, integrity);
    if (!prediction) {
      return tl::unexpected(prediction.error());
    }
    if (!prediction->unrunnable.empty()) {
      if (report.unrunnable++ == 0) {
        report.first_left_out = trace.name + ": " + prediction->unrunnable;
      }
      continue;
    }
    for (auto& s : prediction->setup) {
      s.request["call"] = s.call;
      if (auto ok = check_names(trace, 0, s.request); !ok) {
        return tl::unexpected(ok.error());
      }
    }
    for (std::size_t k = 0; k < prediction->steps.size(); ++k) {
      auto& s = prediction->steps[k];
      s.request["call"] = s.call;
      if (auto ok = check_names(trace, k + 1, s.request); !ok) {
        return tl::unexpected(ok.error());
      }
    }
    planned.push_back({&trace, std::move(*prediction), 0});
  }
  return planned;
}

/// Whether a device of `after` has a verity table live other than its live table in `before`.
bool verity_reloaded(const std::vector<DeviceView>& before, const std::vector<DeviceView>& after) {
  for (const DeviceView& a : after) {
    for (const DeviceView& b : before) {
      if (a.name == b.name && b.live != "none" && a.live != b.live &&
          a.live.starts_with("verity")) {
        return true;
      }
    }
  }
  return false;
}

/// Compares one trace's observations, from `observations[p.first_request]` on.
tl::expected<TraceRecord, Error> compare_trace(const Planned& p,
                                               const std::vector<json>& observations,
                                               ConformReport& report) {
  TraceRecord record{*p.trace, {}, std::nullopt};
  std::size_t at = p.first_request;
  const json& reset_seen = observations[at++];
  if (reset_seen.value("errno", -1) != 0 || !reset_seen.at("devices").empty()) {
    return tl::unexpected(
        Error{ErrorKind::system,
              fmt::format("the kernel could not be reset before trace {}: {}", p.trace->name,
                          reset_seen.value("agent_error", reset_seen.dump())),
              {}});
  }
  for (const auto& s : p.prediction.setup) {
    const json& o = observations[at++];
    if (o.value("errno", -1) != 0 && !record.divergence) {
      record.divergence =
          Divergence{p.trace->name, 0, s.call, "setup", "0", describe_outcome(o, s.parsed.op), ""};
    }
  }
  ++report.traces;
  for (std::size_t k = 0; k < p.prediction.steps.size(); ++k) {
    const StepPrediction& s = p.prediction.steps[k];
    const json& o = observations[at++];
    StepRecord step{call_label(*p.trace, k),
                    describe_outcome(s),
                    describe_outcome(o, s.parsed.op),
                    describe_devices(s.devices),
                    describe_devices(kernel_devices(o)),
                    true};
    if (!record.divergence) {
      ++report.steps;
      const bool injected = o.value("injected", false);
      ++report.per_step[step_kind(s.call) + (injected ? " [integrity_alloc fails]" : "")];
      ++report.per_errno[o.contains("errno") ? kernel_errno_name(o["errno"].get<int>()) : "none"];
      report.injected += injected ? 1 : 0;
      report.verity_reloads +=
          k > 0 && verity_reloaded(p.prediction.steps[k - 1].devices, s.devices) ? 1 : 0;
      report.integrity_compared += static_cast<std::size_t>(
          std::count_if(s.devices.begin(), s.devices.end(),
                        [](const DeviceView& v) { return !v.integrity.empty(); }));
      if (auto d = compare_step(s, o)) {
        d->trace = p.trace->name;
        d->step = k + 1;
        record.divergence = *d;
        step.matches = false;
      }
    }
    record.steps.push_back(std::move(step));
  }
  return record;
}

/// The requests of traces [begin, end) for one boot, each trace after a reset, after the
/// integrity probe's setup when there is one.
std::vector<json> boot_requests(std::vector<Planned>& planned, std::size_t begin, std::size_t end,
                                const json& reset, const json& setup) {
  std::vector<json> requests;
  if (!setup.is_null()) {
    requests.push_back(setup);
  }
  for (std::size_t i = begin; i < end; ++i) {
    Planned& p = planned[i];
    p.first_request = requests.size();
    requests.push_back(reset);
    for (const auto& s : p.prediction.setup) {
      requests.push_back(s.request);
    }
    for (const auto& s : p.prediction.steps) {
      requests.push_back(s.request);
    }
  }
  return requests;
}

std::size_t request_count(const Planned& p) {
  return 1 + p.prediction.setup.size() + p.prediction.steps.size();
}

/// One boot's traces: [begin, end) of the planned traces.
struct Boot {
  std::size_t begin = 0;
  std::size_t end = 0;
};

/// Boots of at most `per_boot` traces, and at least `jobs` boots when there are enough traces,
/// so that every job has work.
std::vector<Boot> split_boots(std::size_t traces, std::size_t per_boot, std::size_t jobs) {
  const std::size_t share = (traces + jobs - 1) / std::max<std::size_t>(1, jobs);
  const std::size_t size = std::max<std::size_t>(1, std::min(per_boot, share));
  std::vector<Boot> boots;
  for (std::size_t begin = 0; begin < traces; begin += size) {
    boots.push_back({begin, std::min(traces, begin + size)});
  }
  return boots;
}

/// Runs one boot's traces on a guest whose options (kernel, fixtures) are `uml`.
tl::expected<GuestRun, Error> run_boot(std::vector<Planned>& planned, const Boot& boot,
                                       UmlOptions uml, const json& reset, const json& setup) {
  const std::vector<json> requests = boot_requests(planned, boot.begin, boot.end, reset, setup);
  // A boot takes a few seconds; each request a few milliseconds at most, so a request that
  // takes the whole base timeout is stuck.
  uml.stall = uml.timeout;
  uml.timeout += std::chrono::milliseconds(50 * requests.size());
  auto run = run_in_uml(uml, requests);
  if (!run) {
    Error e = run.error();
    e.message =
        fmt::format("while running traces {} to {} ({} .. {}): {}", boot.begin + 1, boot.end,
                    planned[boot.begin].trace->name, planned[boot.end - 1].trace->name, e.message);
    return tl::unexpected(e);
  }
  return run;
}

/// Records every trace of `boot` that finished. Returns how many traces of `planned` were not
/// run when a signal stopped the boot, or nothing.
tl::expected<std::optional<std::size_t>, Error> take_boot(const std::vector<Planned>& planned,
                                                          const Boot& boot, const GuestRun& run,
                                                          ConformReport& report) {
  if (planned[boot.begin].first_request > 0 && !run.observations.empty()) {
    const json& setup = run.observations.front();  // the integrity probe's
    if (setup.value("errno", -1) != 0) {
      return tl::unexpected(Error{ErrorKind::system,
                                  "the guest could not set up the integrity probe: " +
                                      setup.value("agent_error", setup.dump()),
                                  {}});
    }
  }
  for (std::size_t i = boot.begin; i < boot.end; ++i) {
    const Planned& p = planned[i];
    if (p.first_request + request_count(p) > run.observations.size()) {
      return planned.size() - i;  // interrupted: this trace did not finish
    }
    auto record = compare_trace(p, run.observations, report);
    if (!record) {
      Error e = record.error();
      if (i > boot.begin) {  // what the trace before left behind is what the reset met
        e.message += fmt::format("; the trace before it, {}, ran: {}", planned[i - 1].trace->name,
                                 fmt::join(planned[i - 1].trace->calls, ", "));
      }
      return tl::unexpected(e);
    }
    report.records.push_back(std::move(*record));
  }
  if (run.interrupted) {
    return planned.size() - boot.end;
  }
  return std::nullopt;
}

/// The fixtures of one guest, in a folder of their own, and its integrity probe's setup request
/// (null without the probe).
struct GuestFixtures {
  TempDir dir;
  Fixtures fixtures;
  json setup;
};

/// One set of fixtures per job: guests running at once must not share disk images.
tl::expected<std::vector<GuestFixtures>, Error> make_fixtures(
    const model::Config& config, std::size_t jobs, const std::optional<ProbeKernel>& integrity) {
  std::vector<GuestFixtures> out;
  for (std::size_t j = 0; j < std::max<std::size_t>(1, jobs); ++j) {
    auto dir = TempDir::make("dmcheck-fixtures");
    if (!dir) {
      return tl::unexpected(dir.error());
    }
    auto fixtures = Fixtures::make(config, dir->path().string());
    if (!fixtures) {
      return tl::unexpected(fixtures.error());
    }
    json setup;
    if (integrity) {
      auto request = integrity_request(*fixtures, *integrity, dir->path().string());
      if (!request) {
        return tl::unexpected(request.error());
      }
      setup = std::move(*request);
    }
    out.push_back({std::move(*dir), std::move(*fixtures), std::move(setup)});
    if (checker::interrupt_requested()) {
      break;  // the caller stops the run before any boot
    }
  }
  return out;
}

/// Runs every planned trace, `options.jobs` guests at once, and records each in order. Returns
/// the error that stopped the run, if one did; an interrupt is recorded in `report`.
std::optional<Error> run_planned(std::vector<Planned>& planned,
                                 const std::vector<GuestFixtures>& guests,
                                 const ConformOptions& options, ConformReport& report) {
  const std::vector<Boot> boots =
      split_boots(planned.size(), options.traces_per_boot, options.jobs);
  std::optional<Error> failure;
  run_boots(
      boots.size(), options.jobs,
      [&](std::size_t boot, std::size_t guest) -> tl::expected<GuestRun, Error> {
        if (checker::interrupt_requested()) {
          return GuestRun{{}, true};
        }
        const Fixtures& fixtures = guests[guest].fixtures;
        UmlOptions uml = options.uml;
        uml.disks = fixtures.files();
        const json reset = {{"op", "reset"},
                            {"call", "reset"},
                            {"zero", fixtures.zero_on_reset()},
                            {"fill", fixtures.fill_on_reset()},
                            {"known_units", fixtures.known_units()}};
        return run_boot(planned, boots[boot], uml, reset, guests[guest].setup);
      },
      [&](std::size_t boot, tl::expected<GuestRun, Error> run) {
        ++report.boots;
        if (!run) {
          failure = run.error();
          return false;
        }
        auto not_run = take_boot(planned, boots[boot], *run, report);
        if (!not_run) {
          failure = not_run.error();
          return false;
        }
        if (*not_run) {
          report.interrupted = true;
          report.not_run = **not_run;
          return false;
        }
        return true;
      });
  return failure;
}

}  // namespace

tl::expected<ConformReport, Error> conform(const model::Config& config,
                                           const std::vector<Trace>& traces,
                                           const ConformOptions& options) {
  const checker::InterruptGuard interrupts;
  if (auto ready = check_uml(options.uml); !ready) {
    return tl::unexpected(ready.error());
  }
  ConformReport report;
  const auto stop_now = [&](std::size_t not_run) {
    report.interrupted = true;
    report.not_run = not_run;
    return report;
  };
  auto guests = make_fixtures(config, options.jobs, options.integrity);
  // A SIGINT from a terminal also reaches the tools that build the fixtures (veritysetup).
  if (checker::interrupt_requested()) {
    return stop_now(traces.size());
  }
  if (!guests) {
    return tl::unexpected(guests.error());
  }
  auto planned =
      plan(config, guests->front().fixtures, traces, options.integrity.has_value(), report);
  if (!planned) {
    return tl::unexpected(planned.error());
  }
  if (checker::interrupt_requested()) {
    return stop_now(traces.size() - report.unrunnable);
  }
  const auto started = std::chrono::steady_clock::now();
  if (const auto failure = run_planned(*planned, *guests, options, report)) {
    return tl::unexpected(*failure);
  }
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace dmcheck::conformance
