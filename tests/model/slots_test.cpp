// The model keeps a state packed as its significant bytes (model/slots.h): the kernel actors,
// the configuration's processes and the device slots used. Every reachable state must come back
// byte for byte, and what is left out must be the unused room only.

#include "model/slots.h"

#include <cstring>
#include <string>

#include "tests/model/fixtures.h"

namespace dmcheck::model::testing {

TEST_SUITE("model/slots") {
  TEST_CASE("every reachable state packs into its used slots and unpacks to the same bytes") {
    Config c = base_config();
    c.actors.prober = true;
    c.processes = {process("p0", {"create a --table lin0", "open a", "open a", "open a", "open a",
                                  "close a", "remove a --deferred"}),
                   process("p1", {"create b --table onto_a", "remove b"}),
                   process("p2", {"create c --notable"}),
                   process("p3", {"info a"}),
                   process("p4", {"info b"}),
                   process("p5", {"remove c"})};
    const DmModel model = build(c);
    std::size_t states = 0;
    std::size_t most_devices = 0;
    search_reachable(model, [&](const State& s, bool) {
      ++states;
      unsigned char packed[sizeof(State)];
      const std::size_t size = model.pack(s, packed);
      const std::size_t used = detail::used_device_slots(s);
      most_devices = std::max(most_devices, used);
      // The bound, what it concerns and the spare byte follow the Kernel.
      // No call fills Observation::more, which ends each Process: it is left out.
      // The config's thin-pool tables (pool8, pool4) are on one data disk: one pool.
      CHECK(size == sizeof(Kernel) + 3 + 6 * (sizeof(Process) - sizeof(Observation::more)) +
                        sizeof(PoolMetadata) + used * sizeof(Device));
      for (std::size_t i = used; i < kMaxDevices; ++i) {
        CHECK(s.devices[i].life == Life::unused);
      }
      State back;
      std::memset(static_cast<void*>(&back), 0xA5, sizeof(back));  // unpack writes every byte
      model.unpack(packed, size, back);
      CHECK(std::memcmp(&back, &s, sizeof(State)) == 0);
      CHECK(model.fingerprint(back) == model.fingerprint(s));
      return false;
    });
    CHECK(states > 1000);
    CHECK(most_devices == 3);
  }

  TEST_CASE("states that differ only in how many devices were used differ in their bytes") {
    State one{};
    one.devices[0].life = Life::freed;
    State two = one;
    two.devices[1].life = Life::freed;
    unsigned char a[sizeof(State)];
    unsigned char b[sizeof(State)];
    const std::size_t na = detail::significant_bytes(one, {2, 0}, a);
    const std::size_t nb = detail::significant_bytes(two, {2, 0}, b);
    CHECK(nb == na + sizeof(Device));
    CHECK(checker::fingerprint_bytes(a, na) != checker::fingerprint_bytes(b, nb));
  }
}

}  // namespace dmcheck::model::testing
