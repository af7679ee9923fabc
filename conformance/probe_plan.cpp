#include "conformance/probe_plan.h"

#include <fmt/format.h>

namespace dmcheck::conformance {

using model::Op;
using nlohmann::json;

namespace {

/// The slot of the hashed device called `name` in `s`, or -1.
int slot_named(const model::DmModel& m, const model::State& s, const std::string& name) {
  for (std::size_t slot = 0; slot < s.devices.size(); ++slot) {
    if (s.devices[slot].life == model::Life::hashed && m.device_name(s, slot) == name) {
      return static_cast<int>(slot);
    }
  }
  return -1;
}

}  // namespace

const model::TableDef* ProbePlan::table(std::uint8_t index) const {
  const std::string name = model_.table_name(index);
  for (const model::TableDef& t : model_.config().tables) {
    if (t.name == name) {
      return &t;
    }
  }
  return nullptr;
}

bool ProbePlan::mountable(const model::State& s, std::size_t slot) const {
  const model::Device& d = s.devices[slot];
  constexpr std::uint16_t kBusy = model::kSuspended | model::kDeferred | model::kBlockIo;
  if (d.life != model::Life::hashed || (d.flags & kBusy) != 0 || d.live == 0) {
    return false;
  }
  for (const model::Device& other : s.devices) {
    if (other.life == model::Life::hashed &&
        (other.live_lower == slot + 1 || other.inactive_lower == slot + 1)) {
      return false;  // held by another device's table
    }
  }
  const model::TableDef* live = table(d.live);
  if (live == nullptr || live->targets.size() != 1) {
    return false;
  }
  const model::Target& t = live->targets.front();
  const int disk = model_.config().disk_index(t.onto);
  return t.kind == model::TargetKind::verity && t.hash_matches && disk >= 0 &&
         fixtures_.has_probe_filesystem(static_cast<std::size_t>(disk)) &&
         s.disk_data[static_cast<std::size_t>(disk) * model::kMaxDiskUnits] == 0;
}

void ProbePlan::before_call(const model::Call& call, const model::State& before, json& request) {
  json release = json::array();
  const auto let_go = [&](const std::string& name) {
    const int slot = slot_named(model_, before, name);
    if (slot >= 0 && mounted_.erase(static_cast<std::size_t>(slot)) != 0) {
      release.push_back(name);
    }
  };
  if (call.op == Op::remove_all && !mounted_.empty()) {
    mounted_.clear();
    release.push_back("*");
  } else if (call.op == Op::remove) {
    let_go(call.device);
  } else if ((call.op == Op::load || call.op == Op::create) && !call.table.empty()) {
    for (const model::TableDef& t : model_.config().tables) {
      if (t.name != call.table) {
        continue;
      }
      for (const model::Target& target : t.targets) {
        if (model_.config().disk_index(target.onto) < 0 && !target.onto.empty()) {
          let_go(target.onto);
        }
      }
    }
  }
  if (!release.empty()) {
    request["release"] = release;
  }
}

void ProbePlan::after_call(const model::State& after, json& request,
                           std::vector<DeviceView>& views) {
  // A device gone since (removed, or never made) has no mount left.
  std::erase_if(mounted_,
                [&](std::size_t slot) { return after.devices[slot].life != model::Life::hashed; });
  json mount = json::array();
  for (std::size_t slot = 0; slot < after.devices.size(); ++slot) {
    if (!mounted_.contains(slot) && mountable(after, slot)) {
      mounted_.insert(slot);
      mount.push_back(model_.device_name(after, slot));
    }
  }
  if (!mount.empty()) {
    request["mount"] = mount;
  }
  for (const std::size_t slot : mounted_) {
    const std::string name = model_.device_name(after, slot);
    const std::uint8_t root = after.devices[slot].root_hash;
    for (DeviceView& v : views) {
      if (v.name == name) {
        v.integrity = root == 0 ? "none" : fmt::format("root hash {}", root);
      }
    }
  }
}

}  // namespace dmcheck::conformance
