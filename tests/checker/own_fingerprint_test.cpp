// A model may fingerprint its states itself (checker::HasOwnFingerprint), hashing only the bytes
// a run can change, or pack them into those bytes (checker::PacksStates): the engine must use
// that fingerprint wherever it identifies a state — when it stores one, and when it replays a
// trace and checks each state against the stored one — and keep packed states alike.

#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "checker/check.h"
#include "checker/observed_model.h"

namespace checker = dmcheck::checker;

namespace {

/// Two counters modulo 3 in a state with room for eight; the other six stay zero, so a run can
/// change the first two bytes only. With `own` set the model hashes just those two.
class RoomyCounters {
 public:
  struct State {
    std::array<std::uint8_t, 8> value;
  };
  struct Action {
    std::uint8_t counter;
  };

  explicit RoomyCounters(bool own) : own_(own) {}

  [[nodiscard]] std::vector<State> initial_states() const { return {State{}}; }

  void successors(const State& s, checker::SuccessorSink<Action, State> emit) const {
    for (std::uint8_t i = 0; i < 2; ++i) {
      State n = s;
      n.value[i] = static_cast<std::uint8_t>((n.value[i] + 1) % 3);
      emit(Action{i}, n);
    }
  }

  /// Violated at (2, 2): four steps from the start, so a trace is replayed.
  [[nodiscard]] std::vector<checker::Property<State>> properties() const {
    return {checker::always<State>(
        "not-both-two", [](const State& s) { return !(s.value[0] == 2 && s.value[1] == 2); })};
  }

  [[nodiscard]] std::string describe_action(const Action& a) const {
    return "step " + std::to_string(a.counter);
  }
  [[nodiscard]] std::string describe_state(const State& s) const {
    return std::to_string(s.value[0]) + "," + std::to_string(s.value[1]);
  }

  [[nodiscard]] checker::Fingerprint fingerprint(const State& s) const {
    ++calls_;
    // Seeded apart from the default, so a replay that checked with the default would fail.
    return own_ ? checker::fingerprint_bytes(s.value.data(), 2, 42) : checker::fingerprint(s);
  }

  [[nodiscard]] std::uint64_t calls() const { return calls_; }

 private:
  bool own_;
  mutable std::uint64_t calls_ = 0;
};

static_assert(checker::HasOwnFingerprint<RoomyCounters>);

/// The same counters, packed into the two bytes a run changes while they wait in a frontier.
class PackedCounters : public RoomyCounters {
 public:
  PackedCounters() : RoomyCounters(false) {}

  [[nodiscard]] std::size_t pack(const State& s, unsigned char* to) const {
    ++packs_;
    to[0] = s.value[0];
    to[1] = s.value[1];
    return 2;
  }
  void unpack(const unsigned char* from, std::size_t size, State& out) const {
    ++unpacks_;
    out = State{};
    out.value[0] = from[0];
    out.value[1] = size == 2 ? from[1] : 0xFF;
  }

  [[nodiscard]] std::uint64_t packs() const { return packs_; }
  [[nodiscard]] std::uint64_t unpacks() const { return unpacks_; }

 private:
  mutable std::uint64_t packs_ = 0;
  mutable std::uint64_t unpacks_ = 0;
};

static_assert(checker::PacksStates<PackedCounters>);

struct Unobserved {
  void expanding(const RoomyCounters::State&) {}
  void generated(const RoomyCounters::Action&) {}
};

checker::Options quiet(checker::Strategy strategy) {
  checker::Options options;
  options.strategy = strategy;
  options.progress = checker::ProgressMode::never;
  options.walks = 50;
  options.max_depth = 12;
  options.seed = 3;
  return options;
}

}  // namespace

TEST_SUITE("checker/own-fingerprint") {
  TEST_CASE("the engine stores and replays with the model's own fingerprint") {
    for (const auto strategy :
         {checker::Strategy::bfs, checker::Strategy::dfs, checker::Strategy::random_walk}) {
      CAPTURE(static_cast<int>(strategy));
      const RoomyCounters own(true);
      const auto result = checker::check(own, quiet(strategy));
      REQUIRE(result.has_value());  // the trace replayed: each state matched its stored print
      CHECK(own.calls() > 0);
      REQUIRE(result->properties.size() == 2);
      CHECK(result->properties[0].verdict == checker::Verdict::violated);
      REQUIRE(result->properties[0].trace.has_value());
      CHECK(result->properties[0].trace->states.back().value[0] == 2);
      if (strategy == checker::Strategy::bfs) {
        CHECK(result->stats.states == 9);
        CHECK(result->properties[0].trace->actions.size() == 4);
      }
    }
  }

  TEST_CASE("hashing only the bytes a run changes finds the same states as hashing all") {
    const RoomyCounters own(true);
    const RoomyCounters all(false);
    auto options = quiet(checker::Strategy::bfs);
    options.stop_at_first_violation = false;
    const auto a = checker::check(own, options);
    const auto b = checker::check(all, options);
    REQUIRE(a.has_value());
    REQUIRE(b.has_value());
    CHECK(a->stats.states == b->stats.states);
    CHECK(a->stats.transitions == b->stats.transitions);
  }

  TEST_CASE("a model that packs its states is explored alike, its states kept packed") {
    for (const auto strategy :
         {checker::Strategy::bfs, checker::Strategy::dfs, checker::Strategy::random_walk}) {
      CAPTURE(static_cast<int>(strategy));
      const PackedCounters packed;
      const RoomyCounters whole(false);
      auto options = quiet(strategy);
      options.stop_at_first_violation = false;
      const auto a = checker::check(packed, options);
      const auto b = checker::check(whole, options);
      REQUIRE(a.has_value());  // traces replayed against the packed bytes' fingerprints
      REQUIRE(b.has_value());
      CHECK(a->stats.states == b->stats.states);
      CHECK(a->stats.transitions == b->stats.transitions);
      CHECK(a->properties[0].verdict == b->properties[0].verdict);
      REQUIRE(a->properties[0].trace.has_value());
      CHECK(a->properties[0].trace->states.back().value[0] == 2);
      CHECK(packed.packs() > 0);
      if (strategy == checker::Strategy::bfs) {
        CHECK(a->stats.states == 9);
        // Each new state is unpacked where it is found and again where its level is expanded.
        CHECK(packed.unpacks() >= 2 * (a->stats.states - 1));
      }
    }
  }

  TEST_CASE("an observed model keeps the inner model's own fingerprint") {
    const checker::ObservedModel observed(RoomyCounters(true), Unobserved{});
    const RoomyCounters::State s{{1, 2, 0, 0, 0, 0, 0, 0}};
    CHECK(checker::state_fingerprint(observed, s) ==
          checker::fingerprint_bytes(s.value.data(), 2, 42));
    CHECK(checker::state_fingerprint(observed, s) != checker::fingerprint(s));
  }
}
