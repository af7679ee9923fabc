#include "checker/checkpoint.h"

#include <doctest/doctest.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "checker/check.h"
#include "checker/forwarding_model.h"
#include "checker/observed_model.h"
#include "tests/checker/same_result.h"
#include "tests/checker/trace_check.h"
#include "tests/temp_dir.h"
#include "zoo/counter_race.h"
#include "zoo/counters.h"

namespace checker = dmcheck::checker;
namespace zoo = dmcheck::zoo;
namespace fs = std::filesystem;
using checker::StopReason;
using dmcheck::testing::check_same_result;
using dmcheck::testing::TempDir;

namespace {

/// Raises SIGINT itself after a given number of expansions, as a user pressing Ctrl-C would.
template <class M>
struct InterruptAfter {
  std::uint64_t after;
  std::uint64_t calls = 0;
  void expanding(const typename M::State&) {
    if (++calls == after) {
      std::raise(SIGINT);
    }
  }
  void generated(const typename M::Action&) {}
};

template <class M>
checker::ObservedModel<M, InterruptAfter<M>> interrupted_after(const M& model,
                                                               std::uint64_t expansions) {
  return {model, InterruptAfter<M>{expansions}};
}

/// `inner`, whose initial states, when asked for the `at`-th time, come with a SIGINT: a user
/// pressing Ctrl-C while a run reads its checkpoint (which asks for them first).
template <class M>
class InterruptAtInitial : public checker::ForwardingModel<InterruptAtInitial<M>, M> {
 public:
  using State = typename M::State;
  using Action = typename M::Action;
  InterruptAtInitial(const M& inner, int at) : inner_(inner), at_(at) {}
  [[nodiscard]] std::vector<State> initial_states() const {
    if (++calls_ == at_) {
      std::raise(SIGINT);
    }
    return inner_.initial_states();
  }
  void successors(const State& s, checker::SuccessorSink<Action, State> emit) const {
    inner_.successors(s, emit);
  }
  [[nodiscard]] const M& inner() const { return inner_; }

 private:
  const M& inner_;
  int at_;
  mutable int calls_ = 0;
};

checker::Options saving_to(const std::string& file, unsigned threads = 1) {
  checker::Options options;
  options.checkpoint_file = file;
  options.threads = threads;
  return options;
}

checker::Options resuming(const std::string& file, unsigned threads = 2) {
  checker::Options options;
  options.resume_file = file;
  options.threads = threads;
  return options;
}

std::string contents(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void overwrite(const std::string& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

}  // namespace

TEST_SUITE("checker/checkpoint") {
  TEST_CASE("a run stopped by SIGINT and resumed ends exactly as one never stopped") {
    const zoo::Counters model(5, 6);  // 7776 states, the goal at the last level
    const auto whole = checker::check(model);
    REQUIRE(whole);
    REQUIRE(whole->complete());
    for (const std::uint64_t at : {1, 2, 100, 3000, 7000}) {
      CAPTURE(at);
      const TempDir dir;
      const auto stopped = checker::check(interrupted_after(model, at), saving_to(dir.file("c")));
      REQUIRE(stopped);
      CHECK(stopped->stop == StopReason::interrupted);
      CHECK(stopped->stats.states < whole->stats.states);
      REQUIRE(fs::exists(dir.file("c")));
      CHECK_FALSE(fs::exists(dir.file("c.partial")));
      const auto resumed = checker::check(model, resuming(dir.file("c")));
      REQUIRE(resumed);
      check_same_result(*whole, *resumed);
    }
  }

  TEST_CASE("a signal while a checkpoint is read stops before any run, and keeps the file") {
    const zoo::Counters model(5, 6);
    const TempDir dir;
    const auto stopped = checker::check(interrupted_after(model, 3000), saving_to(dir.file("c")));
    REQUIRE(stopped);
    const std::string saved = contents(dir.file("c"));
    checker::Options options = resuming(dir.file("c"));
    options.checkpoint_file = dir.file("c");
    const auto resumed = checker::check(InterruptAtInitial(model, 1), options);
    REQUIRE_FALSE(resumed);
    CHECK(resumed.error().message ==
          "interrupted while reading checkpoint " + dir.file("c") + ": the run did not start");
    CHECK(contents(dir.file("c")) == saved);
    const auto again = checker::check(model, resuming(dir.file("c")));  // the file still works
    REQUIRE(again);
    CHECK(again->complete());
  }

  TEST_CASE("a violation found before the stop keeps its shortest counterexample") {
    const zoo::CounterRace model(7, 400);  // violated at depth 4, the space 400 levels deep
    const auto whole = checker::check(model);
    REQUIRE(whole);
    const TempDir dir;
    const auto stopped = checker::check(interrupted_after(model, 200), saving_to(dir.file("c")));
    REQUIRE(stopped);
    CHECK(stopped->stop == StopReason::interrupted);
    CHECK(stopped->properties[0].verdict == checker::Verdict::violated);
    const auto resumed = checker::check(model, resuming(dir.file("c"), 1));
    REQUIRE(resumed);
    check_same_result(*whole, *resumed);
    CHECK(resumed->properties[0].trace->length() == model.shortest_violation());
  }

  TEST_CASE("stopped again and again, the run still ends as one never stopped") {
    const zoo::Counters model(4, 7);  // 2401 states
    const auto whole = checker::check(model);
    REQUIRE(whole);
    const TempDir dir;
    auto run = checker::check(interrupted_after(model, 300), saving_to(dir.file("c")));
    REQUIRE(run);
    int stops = 1;
    while (run->stop == StopReason::interrupted && stops < 100) {
      checker::Options options = saving_to(dir.file("c"), stops % 2 + 1);
      options.resume_file = dir.file("c");
      run = checker::check(interrupted_after(model, 300), options);
      REQUIRE(run);
      ++stops;
    }
    CHECK(stops > 3);
    check_same_result(*whole, *run);
  }

  TEST_CASE("checkpoints saved as the run goes can each be resumed to the same end") {
    const zoo::Counters model(4, 6);
    const TempDir dir;
    checker::Options options = saving_to(dir.file("c"));
    options.checkpoint_every = std::chrono::milliseconds(0);  // at every level
    const auto whole = checker::check(model, options);
    REQUIRE(whole);
    REQUIRE(fs::exists(dir.file("c")));
    const auto resumed = checker::check(model, resuming(dir.file("c")));
    REQUIRE(resumed);
    check_same_result(*whole, *resumed);
  }

  TEST_CASE("a time limit saves the run too; a state limit and a completed run do not") {
    const TempDir dir;
    checker::Options options = saving_to(dir.file("c"));
    options.max_states = 100;
    const auto limited = checker::check(zoo::Counters(4, 6), options);
    REQUIRE(limited);
    CHECK(limited->stop == StopReason::state_limit);
    CHECK_FALSE(fs::exists(dir.file("c")));
    options.max_states.reset();
    REQUIRE(checker::check(zoo::Counters(3, 3), options));
    CHECK_FALSE(fs::exists(dir.file("c")));
    options.max_time = std::chrono::milliseconds(20);
    const auto timed = checker::check(zoo::Counters(12, 16), options);
    REQUIRE(timed);
    CHECK(timed->stop == StopReason::time_limit);
    CHECK(fs::exists(dir.file("c")));
  }

  TEST_CASE("a checkpoint of another run, or with other options, is refused") {
    const TempDir dir;
    const zoo::Counters model(4, 6);
    REQUIRE(checker::check(interrupted_after(model, 50), saving_to(dir.file("c"))));
    const auto refused = [&](const auto& other, checker::Options options) {
      options.resume_file = dir.file("c");
      const auto result = checker::check(other, options);
      REQUIRE_FALSE(result);
      CHECK(result.error().kind == dmcheck::ErrorKind::bad_input);
      return result.error().message;
    };
    CHECK(refused(zoo::CounterRace(7, 400), {}).find("checkpoint of another run") !=
          std::string::npos);
    checker::Options identified;
    identified.identity = "another scenario";
    CHECK(refused(model, identified).find("another run") != std::string::npos);
    checker::Options bounded;
    bounded.max_depth = 3;
    CHECK(refused(model, bounded).find("depth bound none, this run has 3") != std::string::npos);
    checker::Options no_deadlock;
    no_deadlock.check_deadlock = false;
    CHECK(refused(model, no_deadlock).find("deadlock") != std::string::npos);
    checker::Options unreduced;
    unreduced.reduction = checker::Reduction::none;
    CHECK(refused(model, unreduced).find("--reduction symmetry, this run has --reduction none") !=
          std::string::npos);
    checker::Options dfs;
    dfs.strategy = checker::Strategy::dfs;
    CHECK(refused(model, dfs).find("breadth-first strategy only") != std::string::npos);
  }

  TEST_CASE("a missing, foreign, truncated or altered checkpoint is refused, never half read") {
    const TempDir dir;
    const zoo::Counters model(4, 6);
    REQUIRE(checker::check(interrupted_after(model, 50), saving_to(dir.file("c"))));
    const std::string good = contents(dir.file("c"));
    REQUIRE(good.size() > 100);
    const auto message = [&](const std::string& bytes) {
      overwrite(dir.file("bad"), bytes);
      const auto result = checker::check(model, resuming(dir.file("bad")));
      REQUIRE_FALSE(result);
      return result.error().message;
    };
    CHECK(message("not a checkpoint at all").find("is not a dmcheck checkpoint") !=
          std::string::npos);
    CHECK(message(good.substr(0, good.size() / 2)).find("damaged or truncated") !=
          std::string::npos);
    CHECK(message(good.substr(0, good.size() - 1)).find("damaged or truncated") !=
          std::string::npos);
    std::string flipped = good;
    flipped[good.size() / 2] = static_cast<char>(flipped[good.size() / 2] ^ 1);
    CHECK(message(flipped).find("checksum") != std::string::npos);
    CHECK(message(good + "x").find("damaged or truncated") != std::string::npos);
    const auto missing = checker::check(model, resuming(dir.file("none")));
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("cannot read checkpoint") != std::string::npos);
  }

  TEST_CASE("a checkpoint that cannot be written stops the run with the reason") {
    const TempDir dir;
    checker::Options options = saving_to(dir.file("no-such-dir/c"));
    options.checkpoint_every = std::chrono::milliseconds(0);
    const auto result = checker::check(zoo::Counters(3, 3), options);
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == dmcheck::ErrorKind::system);
    CHECK(result.error().message.find("cannot write checkpoint") != std::string::npos);
  }

  TEST_CASE("symmetry-reduced runs resume too, with concrete traces") {
    const zoo::Counters model(4, 5, true);
    const auto whole = checker::check(model);
    REQUIRE(whole);
    REQUIRE(whole->stats.reduction == checker::Reduction::symmetry);
    const TempDir dir;
    REQUIRE(checker::check(interrupted_after(model, 20), saving_to(dir.file("c"))));
    const auto resumed = checker::check(model, resuming(dir.file("c")));
    REQUIRE(resumed);
    check_same_result(*whole, *resumed);
  }
}
