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

}  // namespace

// Pieces are copied a whole Process or Device at a time: copies of a fixed size are inlined,
// which keeps packing cheaper than copying the whole State.
std::size_t significant_bytes(const State& s, std::size_t processes, unsigned char* out) {
  const auto* tail = reinterpret_cast<const unsigned char*>(&s) + kTailAt;
  std::memcpy(out, tail, kTail);
  std::size_t n = kTail;
  for (std::size_t i = 0; i < processes; ++i, n += sizeof(Process)) {
    std::memcpy(out + n, &s.processes[i], sizeof(Process));
  }
  for (std::size_t i = 0; i < kMaxDevices && s.devices[i].life != Life::unused; ++i) {
    std::memcpy(out + n, &s.devices[i], sizeof(Device));
    n += sizeof(Device);
  }
  return n;
}

void from_significant_bytes(const unsigned char* from, std::size_t size, std::size_t processes,
                            State& out) {
  auto* tail = reinterpret_cast<unsigned char*>(&out) + kTailAt;
  std::memcpy(tail, from, kTail);
  std::size_t n = kTail;
  for (std::size_t i = 0; i < kMaxProcesses; ++i) {
    if (i < processes) {
      std::memcpy(&out.processes[i], from + n, sizeof(Process));
      n += sizeof(Process);
    } else {
      out.processes[i] = Process{};
    }
  }
  for (std::size_t i = 0; i < kMaxDevices; ++i) {
    if (n < size) {  // the device slots used, whole devices
      std::memcpy(&out.devices[i], from + n, sizeof(Device));
      n += sizeof(Device);
    } else {
      out.devices[i] = Device{};
    }
  }
}

}  // namespace dmcheck::model::detail
