#include "model/slots.h"

#include <cstddef>
#include <cstring>

namespace dmcheck::model::detail {
namespace {

// The kernel actors, the bound and the spare byte end the State: one piece of fixed size.
constexpr std::size_t kTailAt = offsetof(State, kernel);
constexpr std::size_t kTail = sizeof(State) - kTailAt;
static_assert(offsetof(State, bound) == kTailAt + sizeof(Kernel) &&
              offsetof(State, spare) + sizeof(State::spare) == sizeof(State));
// A Process without the Observation::more that ends it.
constexpr std::size_t kProcessCore = sizeof(Process) - sizeof(Observation::more);

}  // namespace

// Pieces are copied a whole Process or Device at a time: copies of a fixed size are inlined,
// which keeps packing cheaper than copying the whole State.
std::size_t significant_bytes(const State& s, Significant what, unsigned char* out) {
  const auto* tail = reinterpret_cast<const unsigned char*>(&s) + kTailAt;
  std::memcpy(out, tail, kTail);
  std::size_t n = kTail;
  for (std::size_t i = 0; i < what.processes; ++i) {
    if (what.more) {
      std::memcpy(out + n, &s.processes[i], sizeof(Process));
      n += sizeof(Process);
    } else {
      std::memcpy(out + n, &s.processes[i], kProcessCore);
      n += kProcessCore;
    }
  }
  if (what.disk_data != 0) {  // most models never write: no call for nothing
    std::memcpy(out + n, s.disk_data.data(), what.disk_data);
    n += what.disk_data;
  }
  for (std::size_t i = 0; i < what.pools; ++i) {
    std::memcpy(out + n, &s.pools[i], sizeof(PoolMetadata));
    n += sizeof(PoolMetadata);
  }
  for (std::size_t i = 0; i < kMaxDevices && s.devices[i].life != Life::unused; ++i) {
    std::memcpy(out + n, &s.devices[i], sizeof(Device));
    n += sizeof(Device);
  }
  return n;
}

void from_significant_bytes(const unsigned char* from, std::size_t size, Significant what,
                            State& out) {
  // Zeroing the whole State at once is cheaper than zeroing each piece left out.
  std::memset(static_cast<void*>(&out), 0, sizeof(State));
  auto* tail = reinterpret_cast<unsigned char*>(&out) + kTailAt;
  std::memcpy(tail, from, kTail);
  std::size_t n = kTail;
  for (std::size_t i = 0; i < what.processes; ++i) {
    if (what.more) {
      std::memcpy(&out.processes[i], from + n, sizeof(Process));
      n += sizeof(Process);
    } else {
      std::memcpy(reinterpret_cast<unsigned char*>(&out.processes[i]), from + n, kProcessCore);
      n += kProcessCore;
    }
  }
  if (what.disk_data != 0) {
    std::memcpy(out.disk_data.data(), from + n, what.disk_data);
    n += what.disk_data;
  }
  for (std::size_t i = 0; i < what.pools; ++i) {
    std::memcpy(&out.pools[i], from + n, sizeof(PoolMetadata));
    n += sizeof(PoolMetadata);
  }
  for (std::size_t i = 0; n < size; ++i) {  // the device slots used, whole devices
    std::memcpy(&out.devices[i], from + n, sizeof(Device));
    n += sizeof(Device);
  }
}

}  // namespace dmcheck::model::detail
