// checker::WithCallHistory: end states that look alike in the model's own state stay apart when
// the calls that led there returned different results, and a history past its bound is refused.

#include "checker/call_history.h"

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "checker/check.h"

namespace checker = dmcheck::checker;
using dmcheck::ErrorKind;

namespace {

/// Two actors each make `calls` calls; a call returns the shared ticket number and increments
/// it. The model's state keeps only the ticket and each actor's progress.
class Tickets {
 public:
  struct State {
    std::uint8_t ticket;
    std::array<std::uint8_t, 2> done;
  };
  struct Action {
    std::uint8_t actor;
    std::uint8_t value;
  };
  using CallResult = std::uint8_t;

  explicit Tickets(std::uint8_t calls) : calls_(calls) {}

  [[nodiscard]] std::vector<State> initial_states() const { return {State{}}; }
  void successors(const State& s, checker::SuccessorSink<Action, State> emit) const {
    for (std::uint8_t a = 0; a < 2; ++a) {
      if (s.done[a] < calls_) {
        State n = s;
        ++n.ticket;
        ++n.done[a];
        emit(Action{a, s.ticket}, n);
      }
    }
  }
  [[nodiscard]] std::optional<checker::ActorResult<CallResult>> call_result(const Action& a) const {
    return checker::ActorResult<CallResult>{a.actor, a.value};
  }
  [[nodiscard]] std::vector<checker::Property<State>> properties() const { return {}; }
  [[nodiscard]] std::string describe_action(const Action& a) const {
    return "actor " + std::to_string(a.actor);
  }
  [[nodiscard]] std::string describe_state(const State& s) const {
    return std::to_string(s.ticket);
  }
  [[nodiscard]] bool is_final(const State& s) const {
    return s.done[0] == calls_ && s.done[1] == calls_;
  }

 private:
  std::uint8_t calls_;
};

}  // namespace

TEST_SUITE("checker/call_history") {
  TEST_CASE("one model end state, two histories: both are ends") {
    const Tickets model(1);
    const checker::WithCallHistory<Tickets, 2, 4> history(model);
    const auto result = checker::check(history);
    REQUIRE(result);
    CHECK(result->complete());
    std::set<std::pair<int, int>> seen;
    for (const auto& end : history.ends()) {
      CHECK(end.inner.ticket == 2);
      CHECK(end.history.counts == std::array<std::uint8_t, 2>{1, 1});
      seen.insert({end.history.results[0][0], end.history.results[1][0]});
    }
    CHECK(seen == std::set<std::pair<int, int>>{{0, 1}, {1, 0}});
  }

  TEST_CASE("results are kept in call order per actor") {
    const Tickets model(2);
    const checker::WithCallHistory<Tickets, 2, 4> history(model);
    REQUIRE(checker::check(history));
    // Six interleavings of two calls each, each with its own results: 6 ends.
    CHECK(history.ends().size() == 6);
    for (const auto& end : history.ends()) {
      CHECK(end.history.results[0][0] < end.history.results[0][1]);
      CHECK(end.history.results[1][0] < end.history.results[1][1]);
    }
  }

  TEST_CASE("a call past the bound is refused as a model error naming it") {
    const Tickets model(3);
    const checker::WithCallHistory<Tickets, 2, 2> history(model);
    const auto result = checker::check(history);
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == ErrorKind::model);
    CHECK(result.error().message.find("completed more than 2 calls") != std::string::npos);
  }
}
