#include "checker/state_store.h"

#include <doctest/doctest.h>

using dmcheck::checker::StateStore;

TEST_SUITE("checker/state_store") {
  TEST_CASE("insert keeps the first parent and reports duplicates") {
    StateStore store;
    const auto a = store.insert(100, StateStore::kNoParent, 0);
    CHECK(a.inserted);
    CHECK(a.id == 0);
    const auto b = store.insert(200, a.id, 3);
    CHECK(b.inserted);
    CHECK(b.id == 1);
    const auto again = store.insert(200, StateStore::kNoParent, 7);
    CHECK_FALSE(again.inserted);
    CHECK(again.id == 1);
    CHECK(store.parent(1) == 0);
    CHECK(store.action(1) == 3);
    CHECK(store.size() == 2);
    CHECK(store.contains(100));
    CHECK_FALSE(store.contains(300));
  }

  TEST_CASE("growth keeps every entry findable") {
    StateStore store;
    constexpr std::uint32_t kCount = 100'000;
    for (std::uint32_t i = 0; i < kCount; ++i) {
      // Consecutive values collide in the low bits the table indexes by: the worst case.
      REQUIRE(store.insert(std::uint64_t{i} << 20, StateStore::kNoParent, i).inserted);
    }
    CHECK(store.size() == kCount);
    for (std::uint32_t i = 0; i < kCount; i += 997) {
      const auto found = store.insert(std::uint64_t{i} << 20, StateStore::kNoParent, 0);
      CHECK_FALSE(found.inserted);
      CHECK(found.id == i);
      CHECK(store.fingerprint(i) == std::uint64_t{i} << 20);
    }
    CHECK(store.bytes() >= kCount * (8 + 4 + 4));
  }

  TEST_CASE("relink points a state at a new parent") {
    StateStore store;
    store.insert(1, StateStore::kNoParent, 0);
    store.insert(2, 0, 0);
    store.insert(3, 1, 1);
    store.relink(2, 0, 5);
    CHECK(store.parent(2) == 0);
    CHECK(store.action(2) == 5);
  }
}
