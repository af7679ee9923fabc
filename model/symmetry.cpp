/// Symmetry of the copies of a `count = N` process entry: they run one program, and nothing in
/// the model depends on which copy is which, except the references the state keeps to a process
/// (a device's suspend_lock owner). A representative has each group's processes in ascending
/// order of their bytes, ties broken by the locks they hold, with those references renumbered.
/// Two processes equal in both are equal in everything, so the order is total on what matters
/// and every state of an orbit gets the same representative.

#include <algorithm>
#include <array>
#include <cstring>

#include "model/compiled.h"
#include "model/dm_model.h"

namespace dmcheck::model {
namespace {

/// Bit d of held[pid]: process pid holds device d's suspend_lock across steps.
std::array<std::uint32_t, kMaxProcesses> locks_held(const State& s) {
  std::array<std::uint32_t, kMaxProcesses> held{};
  for (std::size_t d = 0; d < kMaxDevices; ++d) {
    if (const std::uint8_t owner = s.devices[d].suspend_owner; owner != 0) {
      held[owner - 1] |= 1U << d;
    }
  }
  return held;
}

void sort_group(State& s, detail::CopyGroup group,
                const std::array<std::uint32_t, kMaxProcesses>& held) {
  const auto before = [&](std::uint8_t a, std::uint8_t b) {
    const int order = std::memcmp(&s.processes[a], &s.processes[b], sizeof(Process));
    return order < 0 || (order == 0 && held[a] < held[b]);
  };
  std::array<std::uint8_t, kMaxProcesses> order{};  // the old pids in their new order
  const auto end = order.begin() + group.count;
  for (std::uint8_t k = 0; k < group.count; ++k) {
    order[k] = static_cast<std::uint8_t>(group.first + k);
  }
  if (std::is_sorted(order.begin(), end, before)) {
    return;
  }
  std::stable_sort(order.begin(), end, before);
  const std::array<Process, kMaxProcesses> old = s.processes;
  std::array<std::uint8_t, kMaxProcesses> renumbered{};
  for (std::uint8_t k = 0; k < group.count; ++k) {
    s.processes[group.first + k] = old[order[k]];
    renumbered[order[k]] = static_cast<std::uint8_t>(group.first + k);
  }
  for (Device& d : s.devices) {
    const int owner = d.suspend_owner - 1;
    if (owner >= group.first && owner < group.first + group.count) {
      d.suspend_owner = static_cast<std::uint8_t>(renumbered[owner] + 1);
    }
  }
}

}  // namespace

bool DmModel::symmetric() const { return !c_->copy_groups.empty(); }

void DmModel::canonicalize(State& state) const {
  if (state.bound != Bound::none) {
    return;  // a state past a bound ends the run as it is, naming its process
  }
  for (const detail::CopyGroup& group : c_->copy_groups) {
    sort_group(state, group, locks_held(state));
  }
}

}  // namespace dmcheck::model
