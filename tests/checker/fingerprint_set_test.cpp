#include "checker/fingerprint_set.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <thread>
#include <unordered_set>
#include <vector>

#include "checker/parent_links.h"
#include "checker/random.h"

namespace checker = dmcheck::checker;
using Claim = checker::FingerprintSet::Claim;

TEST_SUITE("checker/fingerprint_set") {
  TEST_CASE("holds exactly the fingerprints inserted, through many growths") {
    checker::FingerprintSet set;
    checker::SplitMix64 random(7);
    std::vector<checker::Fingerprint> in;
    for (int i = 0; i < 200000; ++i) {
      in.push_back(random.next());
    }
    // Edge values: the partition bits alone, all ones, zero, and neighbours differing in one bit.
    in.insert(in.end(), {0, 1, 0xFF00000000000000ULL, ~0ULL, 0x0100000000000000ULL, 2});
    std::unordered_set<checker::Fingerprint> reference;
    for (const auto fp : in) {
      CHECK(set.insert(fp) == reference.insert(fp).second);
    }
    CHECK(set.size() == reference.size());
    for (const auto fp : in) {
      CHECK(set.contains(fp));
    }
    std::size_t false_hits = 0;
    for (int i = 0; i < 200000; ++i) {
      const auto fp = random.next();
      false_hits += set.contains(fp) != reference.contains(fp);
    }
    CHECK(false_hits == 0);
    // Ordered probing keeps the table near 92% full: about 9-11 bytes per fingerprint at scale.
    CHECK(set.bytes() < reference.size() * 14 + (1u << 20));
  }

  TEST_CASE("reserved room takes a checkpoint's fingerprints, in its ascending order, unmoved") {
    checker::SplitMix64 random(11);
    std::vector<checker::Fingerprint> in;
    for (int i = 0; i < 300000; ++i) {
      in.push_back(random.next());
    }
    std::sort(in.begin(), in.end());
    checker::FingerprintSet set;
    set.reserve(in.size());
    const std::uint64_t reserved = set.bytes();
    CHECK(reserved >= in.size() * sizeof(checker::Fingerprint));
    CHECK(reserved < in.size() * sizeof(checker::Fingerprint) * 3 / 2);
    for (const auto fp : in) {
      REQUIRE(set.insert(fp));
    }
    CHECK(set.bytes() == reserved);  // no partition grew
    CHECK(set.size() == in.size());
    for (const auto fp : in) {
      CHECK(set.contains(fp));
    }
  }

  TEST_CASE("the earliest chunk keeps a state, whatever the order the chunks claim it in") {
    checker::FingerprintSet set;
    set.insert(100);  // settled at an earlier level
    CHECK(set.claim(100, 0) == Claim::seen);
    CHECK(set.claim(200, 5) == Claim::claimed);
    CHECK(set.claim(200, 5) == Claim::seen);     // the chunk's own second way there
    CHECK(set.claim(200, 9) == Claim::seen);     // a later chunk
    CHECK(set.claim(200, 2) == Claim::claimed);  // an earlier chunk takes it
    CHECK(set.claim(200, 3) == Claim::seen);
    CHECK_FALSE(set.settle(200, 5));  // chunk 5 lost it
    CHECK(set.settle(200, 2));
    CHECK_FALSE(set.settle(200, 2));          // settled once
    CHECK(set.claim(200, 0) == Claim::seen);  // settled states belong to no chunk
    CHECK(set.contains(200));
  }

  TEST_CASE("claims from several threads end as a one-threaded run's") {
    constexpr std::size_t kChunks = 16;
    constexpr int kPerChunk = 20000;
    // Each chunk reaches fingerprints drawn from a shared pool, so many are reached by several.
    std::vector<std::vector<checker::Fingerprint>> reach(kChunks);
    checker::SplitMix64 random(11);
    for (auto& list : reach) {
      for (int i = 0; i < kPerChunk; ++i) {
        list.push_back(random.below(30000) * 0x9E3779B97F4A7C15ULL);
      }
    }
    const auto run = [&](bool concurrent) {
      checker::FingerprintSet set;
      set.set_concurrent(concurrent);
      std::vector<std::vector<checker::Fingerprint>> kept(kChunks);
      const auto claim_chunk = [&](std::size_t c) {
        for (const auto fp : reach[c]) {
          if (set.claim(fp, c) == Claim::claimed) {
            kept[c].push_back(fp);
          }
        }
      };
      if (concurrent) {  // the later chunks first, so earlier ones must take states back
        std::vector<std::thread> threads;
        for (std::size_t t = 0; t < 4; ++t) {
          threads.emplace_back([&, t] {
            for (std::size_t c = kChunks - 1 - t; c < kChunks; c -= 4) {
              claim_chunk(c);
            }
          });
        }
        for (auto& t : threads) {
          t.join();
        }
      } else {
        for (std::size_t c = 0; c < kChunks; ++c) {
          claim_chunk(c);
        }
      }
      set.release_retired();
      std::vector<checker::Fingerprint> order;
      for (std::size_t c = 0; c < kChunks; ++c) {
        for (const auto fp : kept[c]) {
          if (set.settle(fp, c)) {
            order.push_back(fp);
          }
        }
      }
      return order;
    };
    const auto sequential = run(false);
    CHECK(sequential.size() ==
          std::unordered_set<checker::Fingerprint>(sequential.begin(), sequential.end()).size());
    CHECK(run(true) == sequential);
  }
}

TEST_SUITE("checker/parent_links") {
  TEST_CASE("links keep parents and actions, large action indices too, across chunks") {
    checker::ParentLinks links;
    const std::uint64_t count = (std::uint64_t{1} << 20) + 5;
    links.resize(count);
    for (std::uint64_t id = 0; id < count; id += 1021) {
      links.set(static_cast<checker::ParentLinks::Id>(id),
                id == 0 ? checker::ParentLinks::kNoParent : static_cast<std::uint32_t>(id / 3),
                static_cast<std::uint32_t>(id % 700));
    }
    for (std::uint64_t id = 0; id < count; id += 1021) {
      const auto i = static_cast<checker::ParentLinks::Id>(id);
      CHECK(links.parent(i) ==
            (id == 0 ? checker::ParentLinks::kNoParent : static_cast<std::uint32_t>(id / 3)));
      CHECK(links.action(i) == id % 700);
    }
    CHECK(links.size() == count);
  }
}
