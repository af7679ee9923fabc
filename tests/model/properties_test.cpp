// The properties that judge one device at a time, each checked on hand-made states: a device in
// the state the property is about, in any slot, decides it; an empty state does not.

#include <functional>
#include <string>

#include "tests/model/fixtures.h"

namespace dmcheck::model::testing {
namespace {

/// A property and a device state that decides it: violates an invariant, reaches a goal.
struct Case {
  const char* property;
  std::function<void(Device&)> make;
};

const Case kCases[] = {
    {"no-open-after-no-open-mark", [](Device& d) { d.ghost = kGhostOpenAfterMark; }},
    {"one-shot-device", [](Device& d) { d.ghost = kGhostOpenedTwice; }},
    {"live-table-changes-only-while-suspended",
     [](Device& d) { d.ghost = kGhostLiveChangedActive; }},
    {"failed-implicit-suspend-keeps-table", [](Device& d) { d.ghost = kGhostInactiveLost; }},
    {"holder-can-reopen", [](Device& d) { d.ghost = kGhostHolderReopened; }},
    {"no-open-flag-implies-deferred", [](Device& d) { d.flags = kNoOpen; }},
    {"deleting-implies-closed",
     [](Device& d) {
       d.flags = kDeleting;
       d.open_count = 1;
     }},
    {"hashed-not-deleting", [](Device& d) { d.flags = kFreeing; }},
    {"failed-resume-leaves-suspended", [](Device& d) { d.ghost = kGhostFailedResume; }},
    {"postsuspend-resume-alternate", [](Device& d) { d.ghost = kGhostDoublePostsuspend; }},
    {"deferred-remove-queued",
     [](Device& d) { d.flags = kDeferred; }},  // closed, and the worker neither queued nor running
    {"deferred-remove-pending", [](Device& d) { d.flags = kDeferred; }},
    {"device-freed", [](Device& d) { d.life = Life::freed; }},
    // The block device shows lin0's size (4) while no table is live (0).
    {"size-matches-live-table", [](Device& d) { d.capacity_table = 1; }},
};

/// The model's property called `name`.
checker::Property<State> property(const DmModel& model, const std::string& name) {
  for (auto& p : model.properties()) {
    if (p.name == name) {
      return p;
    }
  }
  FAIL("no property " << name);
  return {};
}

}  // namespace

TEST_SUITE("model/properties") {
  TEST_CASE("a device-wise property is decided by a device in any slot, not by an empty state") {
    Config c = base_config();
    c.actors.deferred_remove_worker = true;
    c.processes = {process("p0", {"info a"})};
    const DmModel model = build(c);
    for (const Case& k : kCases) {
      CAPTURE(k.property);
      const auto p = property(model, k.property);
      const bool invariant = p.kind == checker::PropertyKind::always;
      // An empty state satisfies every invariant and reaches no goal.
      CHECK(p.condition(State{}) == invariant);
      for (std::size_t slot = 0; slot < kMaxDevices; ++slot) {
        CAPTURE(slot);
        State s{};
        // Slots are taken in order: the ones below hold devices, here ones with nothing to say.
        for (std::size_t below = 0; below <= slot; ++below) {
          s.devices[below].life = Life::hashed;
        }
        k.make(s.devices[slot]);
        CHECK(p.condition(s) != invariant);
      }
    }
  }
}

}  // namespace dmcheck::model::testing
