#pragma once
/// Internal: the slots of a State a run actually uses, so that room for more devices and
/// processes than a scenario has costs nothing.
///
/// Device slots are taken in order (a create takes the lowest unused one) and never given back (a
/// removed device's slot stays `freed`), so the slots in use are always a prefix of the array
/// and every slot past it is all zero. Processes past the configuration's are never touched, and
/// stay all zero too.

#include <cstddef>
#include <span>

#include "model/state.h"

namespace dmcheck::model::detail {

/// How many device slots `s` has used: the prefix whose life is not `unused`.
inline std::size_t used_device_slots(const State& s) {
  std::size_t n = 0;
  while (n < kMaxDevices && s.devices[n].life != Life::unused) {
    ++n;
  }
  return n;
}

/// The device slots `s` has used (slot i of the span is slot i of the state).
inline std::span<const Device> used_devices(const State& s) {
  return {s.devices.data(), used_device_slots(s)};
}

/// The same, to change them.
inline std::span<Device> used_devices(State& s) { return {s.devices.data(), used_device_slots(s)}; }

/// What of a State a model can change besides its used device slots: its processes, the
/// first bytes of State::disk_data (none when nothing writes; a prefix, as disks are numbered
/// from 0), and its first pools (as many as the config has).
struct Significant {
  std::size_t processes = 0;
  std::size_t disk_data = 0;
  /// Some call fills Observation::more (a whole-device read), which ends each Process; without
  /// one those bytes are zero and left out.
  bool more = false;
  std::size_t pools = 0;
};

/// The bytes that tell apart two states of a model that changes `what`: the kernel actors and
/// the bound, the processes, the disk data, the pools, and the device slots used so far, one
/// after the other in `out` (which holds a whole State). Returns how many bytes were written.
/// Everything left out is zero in every state the model reaches. The number of devices follows from
/// the size, so states with different numbers of devices used have different bytes.
std::size_t significant_bytes(const State& s, Significant what, unsigned char* out);

/// The state whose significant bytes (`size` of them, for `what`) are at `from`: the inverse
/// of significant_bytes, every byte of `out` written.
void from_significant_bytes(const unsigned char* from, std::size_t size, Significant what,
                            State& out);

}  // namespace dmcheck::model::detail
