#include "conformance/counterexample.h"

#include <fmt/format.h>

#include "checker/replay.h"
#include "model/dm_model.h"
#include "model/sequential.h"
#include "reports/json.h"
#include "reports/json_in.h"
#include "scenarios/loader.h"

namespace dmcheck::conformance {

namespace {

/// What a real kernel shows of `s`: each device's name, status bits, tables, open count and
/// integrity metadata.
std::string shown_devices(const model::DmModel& m, const model::State& s) {
  constexpr std::uint16_t kShown = model::kSuspended | model::kDeferred | model::kLiveRo;
  std::string out;
  for (std::size_t slot = 0; slot < s.devices.size(); ++slot) {
    const model::Device& d = s.devices[slot];
    if (d.life == model::Life::hashed) {
      out += fmt::format("{}{} flags {:#x} live '{}' inactive '{}' open {} root hash {}",
                         out.empty() ? "" : "; ", m.device_name(s, slot), d.flags & kShown,
                         m.table_name(d.live), m.table_name(d.inactive), d.open_count, d.root_hash);
    }
  }
  return out.empty() ? "no devices" : out;
}

/// Why `out.trace` run alone (its injections taken) does not end where the counterexample's
/// path ends (`last`, after calls that returned `returned`), or "".
std::string unreproducible(const Counterexample& out, const model::DmModel& model,
                           const model::State& last,
                           const std::vector<model::Observation>& returned) {
  model::Config alone = out.config;
  alone.actors.deferred_remove_worker = true;  // as the kernel's
  alone.failures = {};
  alone.failures.integrity_alloc = !out.trace.injections.empty();
  std::vector<std::size_t> failing;
  for (const Injection& i : out.trace.injections) {
    failing.push_back(i.call);
  }
  auto run = model::run_sequential(alone, out.trace.calls, failing);
  if (!run) {
    return run.error().message;
  }
  for (std::size_t i = 0; i < run->steps.size() && i < returned.size(); ++i) {
    if (run->steps[i].obs.err != returned[i].err) {
      return fmt::format(
          "call {} ({}) returned {} in the counterexample but returns {} when run alone: the "
          "failure or interleaving that made it so cannot be forced on a real kernel",
          i + 1, out.trace.calls[i], model::errno_name(returned[i].err),
          model::errno_name(run->steps[i].obs.err));
    }
  }
  auto alone_model = model::DmModel::build(alone);
  if (!alone_model) {
    return alone_model.error().message;
  }
  const std::string want = shown_devices(model, last);
  const std::string got = shown_devices(*alone_model, run->final_state);
  return want == got ? "" : fmt::format("run alone, the devices end as {}, not as {}", got, want);
}

const reports::PropertyReport* chosen_property(const reports::Report& report,
                                               const std::string& property) {
  for (const auto& p : report.properties) {
    if (p.has_trace() && (property.empty() || p.name == property)) {
      return &p;
    }
  }
  return nullptr;
}

tl::expected<Counterexample, Error> from_report(const reports::Report& report,
                                                const std::string& file,
                                                const std::string& property) {
  auto bad = [&](const std::string& what) {
    return tl::unexpected(Error{ErrorKind::bad_input, what, SourceLocation{file, 0, 0}});
  };
  const reports::PropertyReport* chosen = chosen_property(report, property);
  if (chosen == nullptr) {
    return bad(property.empty() ? "the report holds no trace"
                                : "the report holds no trace for property '" + property + "'");
  }
  auto scenario = scenarios::load_scenario(report.file);
  if (!scenario) {
    return tl::unexpected(scenario.error());
  }
  Counterexample out;
  out.config = scenario->config;
  if (auto variant = model::parse_variant(report.variant); variant) {
    out.config.variant = *variant;
  } else {
    return tl::unexpected(variant.error());
  }
  out.property = chosen->name;
  auto model = model::DmModel::build(out.config);
  if (!model) {
    return tl::unexpected(model.error());
  }
  checker::Path path;
  path.initial = chosen->trace_initial;
  for (std::size_t i = 1; i < chosen->trace.size(); ++i) {
    path.actions.push_back(chosen->trace[i].successor);
  }
  auto replayed = checker::replay(*model, path);
  if (!replayed) {
    return bad("the trace does not replay on " + report.file +
               " (was the scenario changed?): " + replayed.error().message);
  }
  out.trace.name = fmt::format("{}.{}", report.name, chosen->name);
  out.trace.scenario = report.file;
  std::vector<model::Observation> returned;
  for (const model::Action& a : replayed->actions) {
    if (a.actor >= out.config.processes.size() || a.event != model::Event::call_done) {
      continue;  // kernel actors act on their own on a real kernel
    }
    returned.push_back(a.obs);
    const auto& program = out.config.processes[a.actor].program;
    // ENOMEM is the model's integrity allocation failure, the one failure a real kernel can be
    // made to give (failslab): the replay injects it into the same call.
    if (out.config.failures.integrity_alloc && a.obs.err == model::kENOMEM) {
      out.trace.injections.push_back({out.trace.calls.size(), kIntegrityAllocFailure, 1});
    }
    out.trace.calls.push_back(model::to_string(program.at(a.pc).sequences.at(a.branch).at(a.sub)));
  }
  out.unreproducible = unreproducible(out, *model, replayed->states.back(), returned);
  return out;
}

}  // namespace

tl::expected<Counterexample, Error> counterexample_trace(const nlohmann::json& json,
                                                         const std::string& file,
                                                         const std::string& property) {
  auto bad = [&](const std::string& what) {
    return tl::unexpected(Error{ErrorKind::bad_input, what, SourceLocation{file, 0, 0}});
  };
  if (json.is_object() && json.contains("runs")) {
    // `dmcheck check --format json`: the first run with the trace asked for.
    auto runs = reports::read_checked(file, [&] {
      const reports::JsonIn root(json);
      root["schema"].one_of({std::string(reports::kSchema), std::string(reports::kSchemaV1)});
      return root["runs"].items();
    });
    if (!runs) {
      return tl::unexpected(runs.error());
    }
    for (const reports::JsonIn& run : *runs) {
      auto report = reports::report_from_json(run.raw(), file, run.path());
      if (!report) {
        return tl::unexpected(report.error());
      }
      if (chosen_property(*report, property) != nullptr) {
        return from_report(*report, file, property);
      }
    }
    return bad("no run of the report holds " + (property.empty()
                                                    ? std::string("a trace")
                                                    : "a trace for property '" + property + "'"));
  }
  auto report = reports::report_from_json(json, file);
  if (!report) {
    return tl::unexpected(report.error());
  }
  return from_report(*report, file, property);
}

}  // namespace dmcheck::conformance
