#include "model/slots.h"

#include <cstring>

namespace dmcheck::model::detail {

std::size_t significant_bytes(const State& s, std::size_t processes, unsigned char* out) {
  std::size_t n = 0;
  const auto put = [&](const void* from, std::size_t size) {
    std::memcpy(out + n, from, size);
    n += size;
  };
  put(&s.kernel, sizeof(Kernel));
  put(&s.bound, sizeof(s.bound));
  put(&s.bound_at, sizeof(s.bound_at));
  put(s.processes.data(), processes * sizeof(Process));
  put(s.devices.data(), used_device_slots(s) * sizeof(Device));
  return n;
}

}  // namespace dmcheck::model::detail
