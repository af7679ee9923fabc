// A model may say a state lies past its bounds (checker::HasBounds): the engine stops there and
// reports a model error naming the bound and the trace that reached it, whatever the strategy.

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "checker/check.h"
#include "checker/observed_model.h"

namespace checker = dmcheck::checker;
using dmcheck::ErrorKind;

namespace {

/// Two counters stepping up to 3; the model holds at most `limit` in the first, and says so.
class BoundedCounters {
 public:
  struct State {
    std::array<std::uint8_t, 2> value;
  };
  struct Action {
    std::uint8_t counter;
  };

  explicit BoundedCounters(std::uint8_t limit) : limit_(limit) {}

  [[nodiscard]] std::vector<State> initial_states() const { return {State{}}; }

  void successors(const State& s, checker::SuccessorSink<Action, State> emit) const {
    for (std::uint8_t i = 0; i < 2; ++i) {
      if (s.value[i] < 3) {
        State n = s;
        ++n.value[i];
        emit(Action{i}, n);
      }
    }
  }

  [[nodiscard]] std::vector<checker::Property<State>> properties() const {
    return {checker::sometimes<State>(
        "both-at-two", [](const State& s) { return s.value[0] == 2 && s.value[1] == 2; })};
  }

  [[nodiscard]] std::string describe_action(const Action& a) const {
    return "step " + std::to_string(a.counter);
  }
  [[nodiscard]] std::string describe_state(const State& s) const {
    return std::to_string(s.value[0]) + "," + std::to_string(s.value[1]);
  }

  [[nodiscard]] std::string exceeded_bound(const State& s) const {
    return s.value[0] > limit_
               ? "counter bound exceeded (the model holds at most " + std::to_string(limit_) + ")"
               : "";
  }

 private:
  std::uint8_t limit_;
};

static_assert(checker::HasBounds<BoundedCounters>);

/// Watches nothing: an observed model must keep the inner model's bounds.
struct Unobserved {
  void expanding(const BoundedCounters::State&) {}
  void generated(const BoundedCounters::Action&) {}
};

checker::Options quiet(checker::Strategy strategy) {
  checker::Options options;
  options.strategy = strategy;
  options.progress = checker::ProgressMode::never;
  options.walks = 200;
  options.check_deadlock = false;
  options.seed = 7;
  return options;
}

}  // namespace

TEST_SUITE("checker/bounds") {
  TEST_CASE("a state past a bound stops the run with a model error and its trace") {
    for (const auto strategy :
         {checker::Strategy::bfs, checker::Strategy::dfs, checker::Strategy::random_walk}) {
      CAPTURE(static_cast<int>(strategy));
      const auto result = checker::check(BoundedCounters(2), quiet(strategy));
      REQUIRE_FALSE(result.has_value());
      const dmcheck::Error& e = result.error();
      INFO(e.message);
      CHECK(e.kind == ErrorKind::model);
      CHECK(e.message.rfind("counter bound exceeded (the model holds at most 2); reached by:", 0) ==
            0);
      // The trace reaching it: counter 0 stepped three times.
      std::size_t steps = 0;
      for (std::size_t at = e.message.find("step 0"); at != std::string::npos;
           at = e.message.find("step 0", at + 1)) {
        ++steps;
      }
      CHECK(steps == 3);
    }
  }

  TEST_CASE("an observed model keeps the bounds of the model it wraps") {
    const checker::ObservedModel<BoundedCounters, Unobserved> observed(BoundedCounters(2),
                                                                       Unobserved{});
    const auto result = checker::check(observed, quiet(checker::Strategy::bfs));
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().kind == ErrorKind::model);
    CHECK(result.error().message.find("counter bound exceeded") != std::string::npos);
  }

  TEST_CASE("within its bounds the model runs to its verdict") {
    const auto result = checker::check(BoundedCounters(3), quiet(checker::Strategy::bfs));
    REQUIRE(result.has_value());
    CHECK(result->complete());
    CHECK(result->stats.states == 16);
  }
}
