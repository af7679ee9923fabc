// The deferred-remove worker and remove_all, directly: the order in which they take devices and
// the worker's re-queue, each checked on every reachable state where it matters.

#include <cstddef>

#include "tests/model/fixtures.h"

namespace dmcheck::model::testing {
namespace {

/// Devices "b" (slot 0) and "a" (slot 1): the slot order is the reverse of the name order.
Config b_then_a(std::vector<ProcessSpec> processes) {
  Config c = base_config();
  c.devices = {{"b", "", "lin0", false, 0, 0, "", false},
               {"a", "", "lin1", false, 0, 0, "", false}};
  c.processes = std::move(processes);
  return c;
}

constexpr int kSlotB = 0;
constexpr int kSlotA = 1;

bool hashed(const State& s, int slot) { return s.devices[slot].life == Life::hashed; }

/// Counts the steps from a state with both devices hashed that unhash one of them, and checks
/// that each unhashes "a" first. `eligible` says when the step is the choice under test.
template <class Eligible>
std::size_t check_first_unhashed_is_a(const DmModel& model, Eligible eligible) {
  std::size_t choices = 0;
  search_reachable(model, [&](const State& s, bool) {
    if (!hashed(s, kSlotA) || !hashed(s, kSlotB) || !eligible(s)) {
      return false;
    }
    model.successors(s, [&](const Action&, const State& n) {
      if (!hashed(n, kSlotA) || !hashed(n, kSlotB)) {
        ++choices;
        CHECK_MESSAGE(!hashed(n, kSlotA), model.describe_state(s));
        CHECK(hashed(n, kSlotB));
      }
    });
    return false;
  });
  return choices;
}

}  // namespace

TEST_SUITE("model/worker") {
  TEST_CASE("the worker takes the closed, marked devices in name order, not slot order") {
    const auto model =
        build(b_then_a({process("p0", {"open b", "open a", "remove b --deferred",
                                       "remove a --deferred", "close b", "close a"})}));
    // Both marked and closed when the worker scans: it must unhash "a" before "b".
    const auto both_ready = [](const State& s) {
      const bool ready = s.devices[kSlotA].open_count == 0 && s.devices[kSlotB].open_count == 0 &&
                         (s.devices[kSlotA].flags & kDeferred) != 0 &&
                         (s.devices[kSlotB].flags & kDeferred) != 0;
      return ready && s.processes[0].pc == 6;  // p0 is done: only the worker can move
    };
    CHECK(check_first_unhashed_is_a(model, both_ready) > 0);
  }

  TEST_CASE("remove_all takes the devices in name order, not slot order") {
    const auto model = build(b_then_a({process("p0", {"remove_all"})}));
    CHECK(check_first_unhashed_is_a(model, [](const State&) { return true; }) > 0);
    for (const State& s : end_states(model)) {
      CHECK(s.devices[kSlotA].life == Life::freed);
      CHECK(s.devices[kSlotB].life == Life::freed);
    }
  }

  TEST_CASE("a last close while the worker runs queues it again: it makes one more pass") {
    // p1's close can come while the worker destroys "b"; the work item is then queued again,
    // so after finding nothing more the worker is still pending once everything is freed.
    Config c = b_then_a({process("p0", {"open b", "remove b --deferred", "close b"}),
                         process("p1", {"open a", "remove a --deferred", "close a"})});
    const auto model = build(c);
    const auto all_freed = [](const State& s) {
      return s.devices[kSlotA].life == Life::freed && s.devices[kSlotB].life == Life::freed;
    };
    CHECK(reachable(model, [&](const State& s) {
      return all_freed(s) && s.kernel.worker_mode == 0 && s.kernel.deferred_pending != 0;
    }));
    for (const State& s : end_states(model)) {
      CHECK(all_freed(s));
      CHECK(s.kernel.worker_mode == 0);
      CHECK(s.kernel.deferred_pending == 0);
    }
  }
}

}  // namespace dmcheck::model::testing
