#include "conformance/predict.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "conformance/probe_plan.h"
#include "conformance/target_reply.h"
#include "model/dm_model.h"
#include "model/sequential.h"

namespace dmcheck::conformance {

using model::Op;
using nlohmann::json;

namespace {

/// The handle an open takes, or a close, read or write uses, and a read's or write's data.
void add_handle_fields(const model::Call& call, const model::Observation& obs, Handles& handles,
                       json& r) {
  if (call.op == Op::open) {
    r["handle"] = handles.open(call.device, obs.err == model::kOk);
    return;
  }
  r["handle"] = handles.newest(call.device, call.op == Op::close);
  if (call.op == Op::write) {
    r["letter"] = std::string(1, call.letter);
  }
  if (call.op != Op::close) {
    r["whole"] = call.whole;
  }
}

}  // namespace

json request_for(const model::Call& call, const model::Observation& obs, const Fixtures& fixtures,
                 Handles& handles) {
  json r = {{"op", std::string(model::to_string(call.op))}, {"name", call.device}};
  switch (call.op) {
    case Op::create:
      if (!call.uuid.empty()) {
        r["uuid"] = call.uuid;
      }
      if (!call.table.empty()) {
        r["targets"] = fixtures.targets(call.table);
        r["readonly"] = call.readonly;
      }
      break;
    case Op::load:
      r["targets"] = fixtures.targets(call.table);
      r["readonly"] = call.readonly;
      break;
    case Op::suspend:
    case Op::resume:
      r["noflush"] = call.noflush;
      r["nolockfs"] = call.nolockfs;
      break;
    case Op::remove:
    case Op::remove_all:
      r["deferred"] = call.deferred;
      break;
    case Op::cancel_deferred:
      r["op"] = "message";
      r["text"] = call.extra_args ? "@cancel_deferred_remove now" : "@cancel_deferred_remove";
      break;
    case Op::crypt_key:
      r["op"] = "message";
      r["text"] = call.key_set ? "key set -" : "key wipe";
      break;
    case Op::thin_message:
      r["op"] = "message";
      r["text"] = model::thin_message_words(call);
      break;
    case Op::rename:
      r["new_name"] = call.new_name;
      break;
    case Op::open:
    case Op::close:
    case Op::read:
    case Op::write:
      add_handle_fields(call, obs, handles, r);
      break;
    case Op::status:
    case Op::table:
      r["inactive"] = call.inactive;
      break;
    case Op::clear:
    case Op::info:
    case Op::set_open_limit:
      break;
  }
  return r;
}

namespace {

/// Why the real kernel cannot perform `call`, or "".
std::string patched_only(const model::Call& call) {
  if (call.no_open) {
    return "--no-open (the no-open-flag patch)";
  }
  if (call.op == Op::set_open_limit) {
    return "set_open_limit (the open-limit-ioctl patch)";
  }
  if (call.open_limit != 0) {
    return "--open-limit (the create-open-limit patch)";
  }
  return "";
}

}  // namespace

std::vector<DeviceView> device_views(const model::DmModel& m, const Fixtures& fixtures,
                                     const model::State& s) {
  std::vector<DeviceView> out;
  for (std::size_t slot = 0; slot < s.devices.size(); ++slot) {
    const model::Device& d = s.devices[slot];
    if (d.life != model::Life::hashed) {
      continue;
    }
    const model::Observation status = m.status(s, slot);
    DeviceView v;
    v.name = m.device_name(s, slot);
    v.flags = status.flags & kComparedFlags;
    v.open_count = status.open_count;
    v.live = d.live == 0
                 ? "none"
                 : fixtures.signature(m.table_name(d.live),
                                      d.live_lower == 0 ? "" : m.device_name(s, d.live_lower - 1));
    out.push_back(v);
  }
  std::sort(out.begin(), out.end(),
            [](const DeviceView& a, const DeviceView& b) { return a.name < b.name; });
  return out;
}

namespace {

/// The trace's calls as the model reads them; an error names the trace and the call.
tl::expected<std::vector<model::Call>, Error> parse_calls(const Trace& trace) {
  std::vector<model::Call> calls;
  for (std::size_t i = 0; i < trace.calls.size(); ++i) {
    auto call = model::parse_call(trace.calls[i]);
    if (!call) {
      return tl::unexpected(Error{ErrorKind::bad_input,
                                  fmt::format("trace {}, call {} ('{}'): {}", trace.name, i + 1,
                                              trace.calls[i], call.error().message),
                                  call.error().where});
    }
    calls.push_back(*call);
  }
  return calls;
}

}  // namespace

std::string needs_patch(const model::Config& config, const std::vector<model::Call>& calls) {
  for (std::size_t i = 0; i < calls.size(); ++i) {
    if (const std::string why = patched_only(calls[i]); !why.empty()) {
      return fmt::format("call {} uses {}, which the real kernel lacks", i + 1, why);
    }
  }
  for (const model::DeviceSpec& spec : config.devices) {
    if (spec.open_limit != 0) {
      return "device " + spec.name +
             " starts with an open limit (the create-open-limit "
             "patch), which the real kernel lacks";
    }
  }
  return "";
}

namespace {

/// `config` with `calls` as the program of its only process, and nothing a real kernel would not
/// do by itself: no prober, no internal suspender, no failure but the integrity hook's when the
/// trace injects one; the deferred-remove worker runs, as the kernel's does. The scenario's own
/// properties go: they may name its processes, which the one process replaces, and a replay
/// predicts observations, it judges no property.
model::Config alone_with(const model::Config& config, const std::vector<model::Call>& calls,
                         const Trace& trace) {
  model::Config alone = config;
  alone.processes = {model::ProcessSpec{"replay", {}, {}}};
  alone.user_properties.clear();
  alone.properties.clear();
  alone.actors.prober = false;
  alone.actors.internal_suspender.clear();
  alone.actors.deferred_remove_worker = true;
  alone.failures = {};  // a real kernel fails only on its own, or where the trace injects it
  alone.failures.integrity_alloc = !trace.injections.empty();
  for (const model::Call& call : calls) {
    model::Step step;
    step.sequences = {{call}};
    alone.processes.front().program.push_back(step);
  }
  return alone;
}

}  // namespace

std::vector<StepPrediction> setup_for(const model::Config& config, const Fixtures& fixtures,
                                      Handles& handles) {
  std::vector<StepPrediction> setup;
  for (const model::DeviceSpec& spec : config.devices) {
    model::Call create;
    create.op = Op::create;
    create.device = spec.name;
    create.uuid = spec.uuid;
    create.table = spec.table;
    create.readonly = spec.readonly;
    create.notable = spec.table.empty();
    StepPrediction made;
    made.call = model::to_string(create);
    made.parsed = create;
    made.request = request_for(create, {}, fixtures, handles);
    setup.push_back(made);
    if (!spec.inactive.empty()) {
      model::Call load;
      load.op = Op::load;
      load.device = spec.name;
      load.table = spec.inactive;
      load.readonly = spec.inactive_readonly;
      StepPrediction staged;
      staged.call = model::to_string(load);
      staged.parsed = load;
      staged.request = request_for(load, {}, fixtures, handles);
      setup.push_back(staged);
    }
    for (std::uint8_t k = 0; k < spec.open_count; ++k) {
      StepPrediction open;
      open.call = "open " + spec.name + " (held outside the trace)";
      open.parsed.op = Op::open;
      open.parsed.device = spec.name;
      open.request = {
          {"op", "open"}, {"name", spec.name}, {"handle", 1000 + 10 * setup.size() + k}};
      setup.push_back(open);
    }
  }
  return setup;
}

std::string unrunnable_alone(const model::SequentialRun& run,
                             const std::vector<std::string>& calls) {
  if (!run.bound.empty()) {
    return fmt::format("call {} ('{}') goes past the model's bounds: {}", run.bound_call + 1,
                       run.bound_call < calls.size() ? calls[run.bound_call] : "?", run.bound);
  }
  if (run.steps.size() < calls.size()) {
    return fmt::format("call {} ('{}') waits forever when run alone", run.steps.size() + 1,
                       calls[run.steps.size()]);
  }
  return "";
}

namespace {

/// What the steps of a trace are predicted from: its model, fixtures, calls and model run.
struct PredictionInput {
  const model::DmModel& model;
  const Fixtures& fixtures;
  const Trace& trace;
  const std::vector<model::Call>& calls;
  const model::SequentialRun& run;
};

/// Each call's request and what the model says it returns and leaves behind; with `probes`,
/// the integrity probe's mounts and what IPE holds.
std::vector<StepPrediction> predicted_steps(const PredictionInput& in, const model::State& initial,
                                            Handles& handles, ProbePlan* probes) {
  std::vector<StepPrediction> steps;
  const model::State* before = &initial;
  for (std::size_t i = 0; i < in.calls.size(); ++i) {
    const model::StepObservation& step = in.run.steps[i];
    StepPrediction p;
    p.call = in.trace.calls[i];
    p.parsed = in.calls[i];
    p.obs = step.obs;
    p.request = request_for(in.calls[i], step.obs, in.fixtures, handles);
    if (const Injection* injected = in.trace.injection(i)) {
      p.request["inject_allocation"] = injected->allocation;
      p.injected = step.failure_taken;
    }
    p.devices = device_views(in.model, in.fixtures, step.after);
    if (probes != nullptr) {
      probes->before_call(p.parsed, *before, p.request);
      probes->after_call(step.after, p.request, p.devices);
    }
    if (p.parsed.op == Op::status || p.parsed.op == Op::table) {
      p.targets = model_targets_text(in.model, in.fixtures, step.after, p.parsed, step.obs);
    }
    p.state_before = in.model.describe_state(*before);
    steps.push_back(std::move(p));
    before = &step.after;
  }
  return steps;
}

}  // namespace

tl::expected<TracePrediction, Error> predict(const model::Config& config, const Fixtures& fixtures,
                                             const Trace& trace, bool integrity) {
  TracePrediction out;
  const auto calls = parse_calls(trace);
  if (!calls) {
    return tl::unexpected(calls.error());
  }
  out.unrunnable = needs_patch(config, *calls);
  if (out.unrunnable.empty() && !integrity && !trace.injections.empty()) {
    out.unrunnable =
        "it injects a failure, which needs a kernel with the integrity probe (the 6.12 kernel "
        "scripts/build-kernel builds)";
  }
  if (!out.unrunnable.empty()) {
    return out;
  }
  const model::Config alone = alone_with(config, *calls, trace);
  auto model = model::DmModel::build(alone);
  if (!model) {
    return tl::unexpected(model.error());
  }
  std::vector<std::size_t> failing;
  for (const Injection& i : trace.injections) {
    failing.push_back(i.call);
  }
  auto run = model::run_sequential(alone, failing);
  if (!run) {
    return tl::unexpected(run.error());
  }
  const model::State initial = model->initial_states().front();
  Handles handles;
  out.setup = setup_for(config, fixtures, handles);
  out.unrunnable = unrunnable_alone(*run, trace.calls);
  if (!out.unrunnable.empty()) {
    return out;
  }
  std::optional<ProbePlan> probes;
  if (integrity) {
    probes.emplace(*model, fixtures);
    std::vector<DeviceView> unused;
    json none = json::object();
    probes->after_call(initial, out.setup.empty() ? none : out.setup.back().request, unused);
  }
  out.steps = predicted_steps({*model, fixtures, trace, *calls, *run}, initial, handles,
                              probes ? &*probes : nullptr);
  return out;
}

}  // namespace dmcheck::conformance
