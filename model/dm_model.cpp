#include "model/dm_model.h"

#include <fmt/format.h>

#include "model/compiled.h"
#include "model/device_ops.h"
#include "model/machine.h"
#include "model/slots.h"
#include "model/thin_pool.h"

namespace dmcheck::model {

DmModel::DmModel(std::shared_ptr<const detail::Compiled> compiled) : c_(std::move(compiled)) {}

tl::expected<DmModel, Error> DmModel::build(const Config& config) {
  if (auto ok = validate(config); !ok) {
    return tl::unexpected(ok.error());
  }
  auto compiled = std::make_shared<detail::Compiled>(detail::compile(config));
  compiled->por = detail::isolate(*compiled);
  detail::watch_properties(*compiled, compiled->por);
  return DmModel(std::move(compiled));
}

const Config& DmModel::config() const { return c_->config; }

namespace {

/// A configured device's hash cell: its name, uuid, opens from outside the model and limit.
void hash_device(const detail::Compiled& c, const DeviceSpec& spec, Device& d) {
  d.life = Life::hashed;
  d.name = c.name_index(spec.name);
  for (std::size_t u = 1; u < c.uuids.size(); ++u) {
    if (c.uuids[u] == spec.uuid) {
      d.uuid = static_cast<std::uint8_t>(u);
    }
  }
  d.open_count = static_cast<std::uint8_t>(d.open_count + spec.open_count);
  d.open_limit = spec.open_limit;
  if (spec.open_limit != 0) {
    // A limit the device starts with is enforced; under create-open-limit it came with the
    // create, so it is fixed.
    d.flags |= kOpenLimitEnforced;
    if (c.config.variant.has(kCreateOpenLimit)) {
      d.flags |= kOpenLimitFixed;
    }
  }
}

/// The effect of one live target resumed before the run: the device below it held open, a
/// crypt key's state, a pool's recorded size, verity's integrity metadata.
void start_target(const detail::Compiled& c, State& base, int slot, const Target& t) {
  Device& d = base.devices[slot];
  if (!t.onto.empty() && c.disk_index(t.onto) < 0) {
    const int below = detail::find_by_name(base, c.name_index(t.onto));
    if (below != detail::kNone) {
      d.live_lower = static_cast<std::uint8_t>(below + 1);
      ++base.devices[below].open_count;
      // A thin live before the run exists in its pool's metadata.
      const int pool = detail::pool_of_device(c, base, below);
      if (t.kind == TargetKind::thin && pool >= 0) {
        base.pools[pool].thins |= static_cast<std::uint8_t>(1U << c.thin_index(t.thin_id));
      }
    }
  }
  if (t.kind == TargetKind::crypt && !t.key_set) {
    d.flags |= kKeyWiped;
  }
  if (t.kind == TargetKind::thin_pool && c.disk_index(t.onto) >= 0) {
    base.pools[c.pool_index(c.disk_index(t.onto))].size = t.length;
  }
  if (t.kind == TargetKind::verity && c.config.variant.has_integrity()) {
    d.root_hash = t.root_hash;
    d.sig_valid = t.signature ? 1 : 0;
  }
}

/// A configured device's live table, resumed before the run.
void start_live_table(const detail::Compiled& c, const DeviceSpec& spec, State& base, int slot) {
  Device& d = base.devices[slot];
  for (std::size_t t = 0; t < c.config.tables.size(); ++t) {
    if (c.config.tables[t].name == spec.table) {
      d.live = static_cast<std::uint8_t>(t + 1);
    }
  }
  d.flags |= kDiskAdded;
  if (spec.readonly) {
    d.flags |= kLiveRo | kDiskRo;
  }
  for (const Target& t : c.table(d.live).targets) {
    start_target(c, base, slot, t);
  }
  if (c.config.actors.prober && c.config.actors.probe_initial_devices) {
    d.flags |= kProbePending;
  }
}

/// `base` with every combination of the processes' starting positions (a program may start
/// with a choice).
std::vector<State> start_positions(const detail::Compiled& c, const State& base) {
  std::vector<State> states{base};
  for (std::size_t pid = 0; pid < c.programs.size(); ++pid) {
    const detail::Positions start = c.enter(pid, 0, kOk);
    std::vector<State> next;
    for (const State& s : states) {
      for (std::uint8_t i = 0; i < start.size; ++i) {
        State n = s;
        n.processes[pid].pc = start.at[i].pc;
        n.processes[pid].branch = start.at[i].branch;
        n.processes[pid].sub = start.at[i].sub;
        n.processes[pid].iter = start.at[i].iter;
        next.push_back(n);
      }
    }
    states = std::move(next);
  }
  return states;
}

}  // namespace

std::vector<State> DmModel::initial_states() const {
  const detail::Compiled& c = *c_;
  const std::vector<DeviceSpec>& devices = c.config.devices;
  State base{};
  for (std::size_t i = 0; i < devices.size(); ++i) {
    hash_device(c, devices[i], base.devices[i]);
  }
  // Live tables are resolved after every device exists, so one may sit on another.
  for (std::size_t i = 0; i < devices.size(); ++i) {
    if (!devices[i].table.empty()) {
      start_live_table(c, devices[i], base, static_cast<int>(i));
    }
  }
  for (std::size_t i = 0; i < devices.size(); ++i) {
    if (!devices[i].inactive.empty()) {
      Device& d = base.devices[i];
      d.inactive = c.table_ref(devices[i].inactive);
      if (devices[i].inactive_readonly) {
        d.flags |= kInactiveRo;
      }
    }
  }
  return start_positions(c, base);
}

void DmModel::successors(const State& state, checker::SuccessorSink<Action, State> emit) const {
  if (state.bound != Bound::none) {
    return;  // past a bound the model no longer says what happens
  }
  detail::Machine machine(*c_, emit);
  for (std::size_t pid = 0; pid < c_->programs.size(); ++pid) {
    machine.process(state, pid);
  }
  machine.worker(state);
  machine.prober(state);
  machine.internal(state);
}

checker::Fingerprint DmModel::fingerprint(const State& state) const {
  unsigned char bytes[sizeof(State)];
  return checker::fingerprint_bytes(bytes, pack(state, bytes));
}

std::size_t DmModel::pack(const State& state, unsigned char* to) const {
  return detail::significant_bytes(state, c_->significant, to);
}

void DmModel::unpack(const unsigned char* from, std::size_t size, State& out) const {
  detail::from_significant_bytes(from, size, c_->significant, out);
}

std::string DmModel::exceeded_bound(const State& state) const {
  switch (state.bound) {
    case Bound::none:
      return {};
    case Bound::devices:
      return fmt::format(
          "device bound exceeded (the model holds at most {} devices created in "
          "one run; slots are not reused)",
          kMaxDevices);
    case Bound::handles:
      return fmt::format(
          "handle bound exceeded by process '{}' (the model holds at most {} open "
          "handles per process)",
          c_->config.processes.at(state.bound_at - 1).name, kMaxHandles);
    case Bound::open_count:
      return fmt::format(
          "open-count bound exceeded on device dm{} (the model counts at most {} "
          "opens of a device)",
          state.bound_at - 1, kCounterMax);
    case Bound::disk_units:
      return fmt::format(
          "disk-unit bound exceeded by I/O through device dm{} (the model tracks the data of "
          "the first {} units of each disk)",
          state.bound_at - 1, kMaxDiskUnits);
    case Bound::read_units:
      return fmt::format(
          "read-length bound exceeded by a whole-device read of dm{} (the model reports at "
          "most {} units per read)",
          state.bound_at - 1, kMaxReadUnits);
    case Bound::pool_replaced:
      return fmt::format(
          "thin-pool bound: dm{}'s thin-pool table would be replaced by one without a "
          "thin-pool while thin devices use the pool; the pool object that outlives the table "
          "is not modelled",
          state.bound_at - 1);
    case Bound::pool_commit:
      return fmt::format(
          "thin-pool bound: a write through dm{} needs a new block while a block freed since "
          "the pool's last commit is lower than every free one; which block it gets depends on "
          "when the pool's periodic commit runs, which the model does not time",
          state.bound_at - 1);
  }
  return "unknown bound exceeded";
}

bool DmModel::is_final(const State& state) const {
  for (std::size_t pid = 0; pid < c_->programs.size(); ++pid) {
    if (c_->call_at(pid, state.processes[pid]) != nullptr) {
      return false;
    }
  }
  // Without the worker, queued removal work is never done: an end, not a stuck state.
  const bool worker_owes = c_->config.actors.deferred_remove_worker &&
                           (state.kernel.deferred_pending != 0 || state.kernel.worker_mode != 0);
  if (worker_owes || state.kernel.prober_md != 0 || state.kernel.internal_md != 0) {
    return false;
  }
  for (const Device& d : detail::used_devices(state)) {
    if ((d.flags & kProbePending) != 0) {
      return false;
    }
  }
  return true;
}

std::optional<std::size_t> DmModel::find_device(const State& state, std::string_view name) const {
  const std::uint8_t index = c_->name_index(name);
  const int slot = detail::find_by_name(state, index);
  if (slot == detail::kNone) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(slot);
}

std::string DmModel::device_name(const State& state, std::size_t slot) const {
  return c_->names.at(state.devices.at(slot).name);
}

Observation DmModel::status(const State& state, std::size_t slot) const {
  return detail::status_of(state.devices.at(slot));
}

std::string DmModel::table_name(std::uint8_t table) const {
  return table == 0 ? std::string() : c_->table(table).name;
}

}  // namespace dmcheck::model
