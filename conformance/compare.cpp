#include "conformance/compare.h"

#include <fmt/format.h>
#include <linux/dm-ioctl.h>

#include <algorithm>

#include "conformance/fixtures.h"
#include "conformance/guest_protocol.h"
#include "conformance/target_reply.h"
#include "model/target_status.h"

namespace dmcheck::conformance {

using nlohmann::json;

namespace {

std::uint8_t model_flags(std::uint32_t dm_flags) {
  std::uint8_t f = 0;
  f |= (dm_flags & DM_SUSPEND_FLAG) != 0 ? model::kReplySuspended : 0;
  f |= (dm_flags & DM_READONLY_FLAG) != 0 ? model::kReplyReadOnly : 0;
  f |= (dm_flags & DM_ACTIVE_PRESENT_FLAG) != 0 ? model::kReplyLive : 0;
  f |= (dm_flags & DM_INACTIVE_PRESENT_FLAG) != 0 ? model::kReplyInactive : 0;
  f |= (dm_flags & DM_DEFERRED_REMOVE) != 0 ? model::kReplyDeferred : 0;
  return f;
}

std::string flags_text(std::uint8_t flags) {
  const std::string text = model::reply_flags_text(flags);
  return text.empty() ? "[]" : text;
}

/// One unit a read returned, in the agent's words ("pattern A", "zeros", "EIO", "empty").
std::string unit_text(std::uint8_t data) {
  switch (data) {
    case model::kReadZeros:
      return "zeros";
    case model::kReadEio:
      return "EIO";
    case model::kReadEmpty:
      return "empty";
    case model::kReadNothing:
      return "nothing";
    default:
      break;
  }
  if (data >= model::kReadWritten) {
    return std::string("pattern ") + static_cast<char>('a' + data - model::kReadWritten);
  }
  const unsigned unit = data - model::kReadDisk;
  return std::string("pattern ") +
         Fixtures::pattern(unit / model::kMaxDiskUnits, unit % model::kMaxDiskUnits);
}

/// What a read returned, unit by unit, in the agent's words: "pattern A, zeros".
std::string read_text(const model::Observation& obs) {
  if (obs.data == model::kReadNothing) {
    return model::errno_name(obs.err);  // refused before any unit was read
  }
  std::string text = unit_text(obs.data);
  for (const std::uint8_t more : obs.more) {
    if (more != model::kReadNothing) {
      text += ", " + unit_text(more);
    }
  }
  return text;
}

std::string unit_text(const json& o) {
  const int err = o.value("errno", 0);
  return err != 0 ? kernel_errno_name(err) : o.value("data", std::string("nothing"));
}

std::string read_text(const json& o) {
  const auto units = o.find("units");
  if (units == o.end() || !units->is_array()) {
    return unit_text(o);
  }
  std::string text;
  for (const json& unit : *units) {
    text += (text.empty() ? "" : ", ") + unit_text(unit);
  }
  return text;
}

/// What the agent's integrity probe saw, in the model's words ("root hash 1", "none").
std::string integrity_text(const json& device) {
  const auto probe = device.find("integrity");
  if (probe == device.end() || !probe->is_object()) {
    return "";
  }
  if (const auto id = probe->find("root_hash"); id != probe->end() && id->is_number_integer()) {
    return *id == 0 ? "none" : fmt::format("root hash {}", id->get<int>());
  }
  if (const auto hex = probe->find("root_hash_hex"); hex != probe->end() && hex->is_string()) {
    return "root hash sha256:" + hex->get<std::string>() + " (not one of the fixtures')";
  }
  return "probe failed: " + probe->value("probe_error", std::string("no answer"));
}

}  // namespace

std::vector<DeviceView> kernel_devices(const json& observation) {
  std::vector<DeviceView> out;
  for (const json& d : observation.value("devices", json::array())) {
    DeviceView v;
    v.name = d.value("name", "");
    v.flags = model_flags(d.value("flags", 0U));
    v.open_count = d.value("open_count", 0U);
    v.live = Fixtures::signature_of(d.value("live", json::array()));
    v.integrity = integrity_text(d);
    out.push_back(v);
  }
  std::sort(out.begin(), out.end(),
            [](const DeviceView& a, const DeviceView& b) { return a.name < b.name; });
  return out;
}

namespace {

/// Where two device listings differ first: the field, the model's and the kernel's side.
struct Difference {
  std::string field;
  std::string model;
  std::string kernel;
};

std::optional<Difference> devices_difference(const std::vector<DeviceView>& want,
                                             const std::vector<DeviceView>& seen) {
  for (std::size_t i = 0; i < std::max(seen.size(), want.size()); ++i) {
    if (i >= seen.size() || i >= want.size() || seen[i].name != want[i].name) {
      return Difference{"devices", describe_devices(want), describe_devices(seen)};
    }
    const std::string prefix = "device " + want[i].name + ": ";
    if (seen[i].flags != want[i].flags) {
      return Difference{prefix + "flags", flags_text(want[i].flags), flags_text(seen[i].flags)};
    }
    if (seen[i].open_count != want[i].open_count) {
      return Difference{prefix + "open count", std::to_string(want[i].open_count),
                        std::to_string(seen[i].open_count)};
    }
    if (seen[i].live != want[i].live) {
      return Difference{prefix + "live table", want[i].live, seen[i].live};
    }
    if (seen[i].integrity != want[i].integrity) {
      const auto shown = [](const std::string& text) {
        return text.empty() ? std::string("not probed") : text;
      };
      return Difference{prefix + "integrity", shown(want[i].integrity), shown(seen[i].integrity)};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Divergence> compare_step(const StepPrediction& predicted, const json& o) {
  Divergence d;
  d.call = predicted.call;
  d.state_before = predicted.state_before;
  auto differ = [&](std::string field, std::string model, std::string kernel) {
    d.field = std::move(field);
    d.model = std::move(model);
    d.kernel = std::move(kernel);
    return d;
  };
  if (o.contains("agent_error")) {
    return differ("agent", "the request performed", o["agent_error"].get<std::string>());
  }
  if (predicted.injected) {
    const bool injected = o.value("injected", false);
    if (injected != *predicted.injected) {
      const auto shown = [](bool failed) { return failed ? "injected" : "not reached"; };
      return differ("injected failure", shown(*predicted.injected), shown(injected));
    }
  }
  const model::Observation& obs = predicted.obs;
  const int err = o.value("errno", -1);
  if (err != obs.err) {
    return differ("errno", model::errno_name(obs.err), err < 0 ? "none" : kernel_errno_name(err));
  }
  const auto reply = model_flags(o.value("flags", 0U));
  if (err == 0 && (obs.flags & model::kReplyStatus) != 0) {
    if ((obs.flags & kComparedFlags) != reply) {
      return differ("reply flags", flags_text(obs.flags & kComparedFlags), flags_text(reply));
    }
    if (obs.open_count != o.value("open_count", -1)) {
      return differ("reply open count", std::to_string(obs.open_count),
                    std::to_string(o.value("open_count", -1)));
    }
  }
  if (err == 0 && predicted.parsed.op == model::Op::remove &&
      (obs.flags & model::kReplyDeferred) != (reply & model::kReplyDeferred)) {
    return differ("reply flags", flags_text(obs.flags & model::kReplyDeferred),
                  flags_text(reply & model::kReplyDeferred));
  }
  if (predicted.parsed.op == model::Op::read && read_text(obs) != read_text(o)) {
    return differ("read", read_text(obs), read_text(o));
  }
  if (err == 0 &&
      (predicted.parsed.op == model::Op::status || predicted.parsed.op == model::Op::table)) {
    const std::string seen_targets = kernel_targets_text(o, predicted.parsed.op);
    if (seen_targets != predicted.targets) {
      return differ("targets", predicted.targets, seen_targets);
    }
  }
  if (auto found = devices_difference(predicted.devices, kernel_devices(o))) {
    return differ(std::move(found->field), std::move(found->model), std::move(found->kernel));
  }
  return std::nullopt;
}

std::string describe_outcome(const model::Observation& obs) {
  const bool read = obs.data != model::kReadNothing && (obs.flags & model::kReplyStatus) == 0;
  std::string text = read ? read_text(obs) : model::errno_name(obs.err);
  if ((obs.flags & model::kReplyStatus) != 0 && obs.err == model::kOk) {
    text += fmt::format(" {} open={}", flags_text(obs.flags & kComparedFlags), obs.open_count);
  } else if ((obs.flags & model::kReplyDeferred) != 0) {
    text += fmt::format(" {}", flags_text(model::kReplyDeferred));
  }
  if (model::reports_targets(obs)) {
    text += " targets " + model::target_reply_text(obs);
  }
  return text;
}

std::string describe_outcome(const StepPrediction& predicted) {
  const std::string text = describe_outcome(predicted.obs);
  if (predicted.targets.empty() || predicted.obs.err != model::kOk) {
    return text;
  }
  return text.substr(0, text.find(" targets ")) + " targets " + predicted.targets;
}

std::string describe_outcome(const json& o, model::Op op) {
  if (o.contains("agent_error")) {
    return "agent error: " + o["agent_error"].get<std::string>();
  }
  const int err = o.value("errno", 0);
  std::string text = op == model::Op::read ? read_text(o) : kernel_errno_name(err);
  const std::uint8_t flags = model_flags(o.value("flags", 0U));
  // The model's rule says which replies carry the device's status; a remove's says whether it
  // was deferred.
  if (err == 0 && model::replies_with_status(op)) {
    text += fmt::format(" {} open={}", flags_text(flags), o.value("open_count", 0));
  } else if (err == 0 && op == model::Op::remove && (flags & model::kReplyDeferred) != 0) {
    text += fmt::format(" {}", flags_text(model::kReplyDeferred));
  }
  if (err == 0 && (op == model::Op::status || op == model::Op::table)) {
    text += " targets " + kernel_targets_text(o, op);
  }
  return text;
}

std::string describe_devices(const std::vector<DeviceView>& devices) {
  if (devices.empty()) {
    return "no devices";
  }
  std::string out;
  for (const DeviceView& v : devices) {
    out += fmt::format("{}{} {} open={} live=({})", out.empty() ? "" : "; ", v.name,
                       flags_text(v.flags), v.open_count, v.live);
    if (!v.integrity.empty()) {
      out += " integrity=(" + v.integrity + ")";
    }
  }
  return out;
}

}  // namespace dmcheck::conformance
