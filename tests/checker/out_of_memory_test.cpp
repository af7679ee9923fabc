#include <doctest/doctest.h>

#include <new>
#include <string>
#include <vector>

#include "checker/check.h"
#include "checker/memory.h"

namespace checker = dmcheck::checker;
using checker::StopReason;
using checker::Verdict;

namespace {

/// A counter that may add 1 or 2, whose successor generation fails to allocate once the counter
/// reaches `exhausted_at`, as a model would on a machine out of memory. Below that it works, so
/// traces to earlier states can still be replayed.
class Exhausting {
 public:
  struct State {
    std::uint32_t value;
  };
  struct Action {
    std::uint32_t step;
  };

  explicit Exhausting(std::uint32_t exhausted_at) : exhausted_at_(exhausted_at) {}

  [[nodiscard]] std::vector<State> initial_states() const { return {State{0}}; }

  void successors(const State& s, checker::SuccessorSink<Action, State> emit) const {
    if (s.value >= exhausted_at_) {
      throw std::bad_alloc();
    }
    emit(Action{1}, State{s.value + 1});
    emit(Action{2}, State{s.value + 2});
  }

  [[nodiscard]] std::vector<checker::Property<State>> properties() const {
    return {
        checker::always<State>("below-five", [](const State& s) { return s.value < 5; }),
        checker::sometimes<State>("far", [](const State& s) { return s.value == 1'000'000; }),
    };
  }

  [[nodiscard]] std::string describe_action(const Action& a) const {
    return "+" + std::to_string(a.step);
  }
  [[nodiscard]] std::string describe_state(const State& s) const { return std::to_string(s.value); }

 private:
  std::uint32_t exhausted_at_;
};

static_assert(checker::Model<Exhausting>);

}  // namespace

TEST_SUITE("checker/out-of-memory") {
  TEST_CASE("an allocation failure ends the run with a partial result, not an exception") {
    for (auto strategy :
         {checker::Strategy::bfs, checker::Strategy::dfs, checker::Strategy::random_walk}) {
      CAPTURE(checker::to_string(strategy));
      checker::Options options;
      options.strategy = strategy;
      options.walks = 1'000'000;
      const auto result = checker::check(Exhausting(100), options);
      REQUIRE(result);
      CHECK(result->stop == StopReason::out_of_memory);
      CHECK_FALSE(result->complete());
      CHECK(result->stats.states > 0);
      CHECK(result->stats.states <= 102);
      CHECK(result->find("far")->verdict == Verdict::unknown);
      CHECK(result->find("no-deadlock")->verdict == Verdict::unknown);
    }
  }

  TEST_CASE("what was found before memory ran out is reported, with its trace") {
    const auto result = checker::check(Exhausting(100));
    REQUIRE(result);
    REQUIRE(result->stop == StopReason::out_of_memory);
    const auto* below_five = result->find("below-five");
    CHECK(below_five->verdict == Verdict::violated);
    REQUIRE(below_five->trace);
    CHECK(below_five->trace->length() == 3);  // breadth-first: shortest, e.g. +1 +2 +2
    CHECK(below_five->trace->states.back().value == 5);
  }

  TEST_CASE("memory exhausted is a stop reason with its own name") {
    CHECK(checker::to_string(StopReason::out_of_memory) == "memory exhausted");
  }
}

TEST_SUITE("checker/memory") {
  TEST_CASE("the default memory limit is half of the memory available") {
    const std::string meminfo =
        "MemTotal:       16307176 kB\n"
        "MemFree:         1234567 kB\n"
        "MemAvailable:    8000000 kB\n"
        "Buffers:          123456 kB\n";
    CHECK(checker::memory_limit_from_meminfo(meminfo) == std::uint64_t{8000000} * 1024 / 2);
  }

  TEST_CASE("a nearly full machine still gets a small limit, not zero") {
    CHECK(checker::memory_limit_from_meminfo("MemAvailable:        0 kB\n") == std::uint64_t{16}
                                                                                   << 20);
  }

  TEST_CASE("no default limit when meminfo does not say what is available") {
    CHECK_FALSE(checker::memory_limit_from_meminfo(""));
    CHECK_FALSE(checker::memory_limit_from_meminfo("MemTotal: 100 kB\n"));
    CHECK_FALSE(checker::memory_limit_from_meminfo("MemAvailable: lots\n"));
    CHECK_FALSE(checker::memory_limit_from_meminfo("MemAvailable: 100 MB\n"));
    CHECK_FALSE(checker::memory_limit_from_meminfo("XMemAvailable: 100 kB\n"));
    CHECK_FALSE(checker::memory_limit_from_meminfo("MemAvailable: 99999999999999999999 kB\n"));
  }

  TEST_CASE("on this machine there is a default limit, below the memory available") {
    const auto limit = checker::default_memory_limit();
    REQUIRE(limit);
    CHECK(*limit >= (std::uint64_t{16} << 20));
  }
}
