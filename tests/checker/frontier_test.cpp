// A breadth-first level keeps a packing model's states packed in chunks of memory: states must
// come back in order, byte for byte with their ids, across chunk boundaries, whether they were
// pushed whole or already packed, and after the level is cleared and filled again.

#include "checker/frontier.h"

#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace checker = dmcheck::checker;

namespace {

/// A model whose states pack into a number of bytes that depends on the state (about 1 KiB),
/// so a few thousand of them fill several chunks and end chunks at uneven places.
class VaryingPacks {
 public:
  struct State {
    std::array<std::uint8_t, 1400> bytes;
  };
  struct Action {};

  [[nodiscard]] std::vector<State> initial_states() const { return {State{}}; }
  void successors(const State&, checker::SuccessorSink<Action, State>) const {}
  [[nodiscard]] std::vector<checker::Property<State>> properties() const { return {}; }
  [[nodiscard]] std::string describe_action(const Action&) const { return ""; }
  [[nodiscard]] std::string describe_state(const State&) const { return ""; }

  /// The first byte says how many of the others matter: 1000 + 3 * that byte, at most 1400.
  static std::size_t packed_size(const State& s) { return 1 + 1000 + 3 * (s.bytes[0] % 133); }

  [[nodiscard]] std::size_t pack(const State& s, unsigned char* to) const {
    std::memcpy(to, s.bytes.data(), packed_size(s));
    return packed_size(s);
  }
  void unpack(const unsigned char* from, std::size_t size, State& out) const {
    out = State{};
    std::memcpy(out.bytes.data(), from, size);
  }
};

static_assert(checker::PacksStates<VaryingPacks>);

/// State `i`: its first byte picks its packed size; the bytes it keeps vary with `i`.
VaryingPacks::State state(std::uint32_t i) {
  VaryingPacks::State s{};
  s.bytes[0] = static_cast<std::uint8_t>(i * 7);
  for (std::size_t b = 1; b < VaryingPacks::packed_size(s); ++b) {
    s.bytes[b] = static_cast<std::uint8_t>(i + b);
  }
  return s;
}

/// Pushes states first..first+count-1 as ids first+10..; every third one already packed.
void fill(const VaryingPacks& model, checker::Frontier<VaryingPacks>& level, std::uint32_t count,
          std::uint32_t first = 0) {
  for (std::uint32_t i = first; i < first + count; ++i) {
    const VaryingPacks::State s = state(i);
    if (i % 3 == 0) {
      unsigned char packed[sizeof(VaryingPacks::State)];
      const std::size_t size = model.pack(s, packed);
      level.push(model, checker::PackedState{packed, size}, i + 10);
    } else {
      level.push(model, s, i + 10);
    }
  }
}

/// How many of the level's states, in order, are states first.. with ids first+10..; stops at
/// the first that is not.
std::uint32_t matching(const VaryingPacks& model, const checker::Frontier<VaryingPacks>& level,
                       std::uint32_t first = 0) {
  std::uint32_t i = first;
  level.for_each(model, [&](const VaryingPacks::State& s, checker::StateStore::Id id) {
    const VaryingPacks::State expected = state(i);
    if (id != i + 10 || std::memcmp(&s, &expected, sizeof(s)) != 0) {
      return false;
    }
    ++i;
    return true;
  });
  return i - first;
}

}  // namespace

TEST_SUITE("checker/frontier") {
  TEST_CASE("packed states come back in order across chunks, pushed whole or packed") {
    const VaryingPacks model;
    checker::Frontier<VaryingPacks> level;
    constexpr std::uint32_t kCount = 5000;  // about 6 MiB: several chunks
    fill(model, level, kCount);
    CHECK(level.size() == kCount);
    CHECK(level.bytes() >= 5 * (std::size_t{1} << 20));
    CHECK(matching(model, level) == kCount);

    // Cleared, the level keeps its chunks and fills them again from the start.
    const std::uint64_t held = level.bytes();
    level.clear();
    CHECK(level.empty());
    CHECK(matching(model, level) == 0);
    fill(model, level, kCount, 1);
    CHECK(level.bytes() == held);
    CHECK(matching(model, level, 1) == kCount);
  }

  TEST_CASE("swapped levels keep their own states") {
    const VaryingPacks model;
    checker::Frontier<VaryingPacks> level;
    checker::Frontier<VaryingPacks> next;
    fill(model, level, 2000);
    fill(model, next, 900);
    level.swap(next);
    CHECK(level.size() == 900);
    CHECK(matching(model, level) == 900);
    CHECK(matching(model, next) == 2000);
    next.clear();
    fill(model, next, 10);
    CHECK(matching(model, next) == 10);
    CHECK(matching(model, level) == 900);
  }
}
