#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "checker/check.h"
#include "checker/replay.h"
#include "model/dm_model.h"
#include "scenarios/loader.h"
#include "scenarios/run.h"

#ifndef DMCHECK_SOURCE_DIR
#error "DMCHECK_SOURCE_DIR must name the source tree"
#endif

namespace checker = dmcheck::checker;
namespace model = dmcheck::model;
namespace scenarios = dmcheck::scenarios;

namespace {

std::string readers(int count, const std::string& extra = "") {
  return fmt::format(R"(variant = "6.1"
[[disks]]
name = "disk0"
size = 4
[[tables]]
name = "lin"
targets = [{{ type = "linear", onto = "disk0", length = 4 }}]
[[devices]]
name = "s"
table = "lin"
[[processes]]
name = "reader"
count = {}
steps = ["open s", "read s", "close s"]
{})",
                     count, extra);
}

/// `s` with the processes of `first .. first + order.size()` permuted: slot first + k takes the
/// process at first + order[k], and a device's suspend_lock owner follows its process.
model::State permuted(const model::State& s, std::size_t first, const std::vector<int>& order) {
  model::State out = s;
  for (std::size_t k = 0; k < order.size(); ++k) {
    out.processes[first + k] = s.processes[first + order[k]];
    for (std::size_t d = 0; d < model::kMaxDevices; ++d) {
      if (s.devices[d].suspend_owner == first + order[k] + 1) {
        out.devices[d].suspend_owner = static_cast<std::uint8_t>(first + k + 1);
      }
    }
  }
  return out;
}

/// The orbits of the states `m` reaches, counted by brute force: every reachable state, and
/// as its orbit the least bytes of all its permutations of the copies in [first, first + n).
std::size_t orbits(const model::DmModel& m, std::size_t first, int n) {
  const auto bytes = [](const model::State& s) {
    return std::string(reinterpret_cast<const char*>(&s), sizeof s);
  };
  std::set<std::string> seen;
  std::set<std::string> orbit_keys;
  std::vector<model::State> waiting = m.initial_states();
  while (!waiting.empty()) {
    const model::State s = waiting.back();
    waiting.pop_back();
    if (!seen.insert(bytes(s)).second) {
      continue;
    }
    std::vector<int> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::string least = bytes(s);
    while (std::next_permutation(order.begin(), order.end())) {
      least = std::min(least, bytes(permuted(s, first, order)));
    }
    orbit_keys.insert(least);
    m.successors(s,
                 [&](const model::Action&, const model::State& next) { waiting.push_back(next); });
  }
  return orbit_keys.size();
}

scenarios::ScenarioRun run(const scenarios::Scenario& scenario, checker::Reduction reduction) {
  scenarios::RunSettings settings;
  settings.options.reduction = reduction;
  auto done = scenarios::run_scenario(scenario, settings);
  REQUIRE(done);
  return std::move(*done);
}

}  // namespace

TEST_SUITE("scenarios/symmetry") {
  TEST_CASE("interchangeable readers: one state per multiset of their places") {
    const std::uint64_t reduced[] = {5, 15, 35, 70};
    const std::uint64_t full[] = {5, 25, 125, 625};
    for (int n = 1; n <= 4; ++n) {
      CAPTURE(n);
      const auto scenario =
          scenarios::parse_scenario(readers(n), "readers.toml", scenarios::Expectations::optional);
      REQUIRE(scenario);
      const auto all = run(*scenario, checker::Reduction::all);
      const auto none = run(*scenario, checker::Reduction::none);
      CHECK(all.report.stats.states == reduced[n - 1]);
      CHECK(none.report.stats.states == full[n - 1]);
      CHECK(all.report.stats.reduction ==
            (n == 1 ? checker::Reduction::por : checker::Reduction::symmetry));
      REQUIRE(all.report.properties.size() == none.report.properties.size());
      for (std::size_t i = 0; i < all.report.properties.size(); ++i) {
        CHECK(all.report.properties[i].verdict == none.report.properties[i].verdict);
      }
    }
  }

  TEST_CASE("every library scenario: the same verdicts and trace lengths with and without it") {
    std::size_t symmetric = 0;
    for (const auto& entry : std::filesystem::directory_iterator(DMCHECK_SOURCE_DIR "/scenarios")) {
      if (entry.path().extension() != ".toml") {
        continue;
      }
      CAPTURE(entry.path().filename().string());
      const auto scenario = scenarios::load_scenario(entry.path().string());
      REQUIRE(scenario);
      const auto reduced = run(*scenario, checker::Reduction::symmetry);
      const auto full = run(*scenario, checker::Reduction::none);
      CHECK(reduced.report.outcome() == full.report.outcome());
      CHECK(reduced.coverage == full.coverage);
      REQUIRE(reduced.report.properties.size() == full.report.properties.size());
      for (std::size_t i = 0; i < full.report.properties.size(); ++i) {
        const auto& a = reduced.report.properties[i];
        const auto& b = full.report.properties[i];
        CAPTURE(b.name);
        CHECK(a.verdict == b.verdict);
        CHECK(a.trace_length() == b.trace_length());
      }
      if (reduced.report.stats.reduction == checker::Reduction::symmetry) {
        ++symmetric;
        CHECK(reduced.report.stats.states < full.report.stats.states);
        CHECK(reduced.report.stats.max_depth == full.report.stats.max_depth);
      } else {
        CHECK(reduced.report.stats.states == full.report.stats.states);
      }
    }
    CHECK(symmetric >= 2);
  }

  TEST_CASE("one representative per orbit: as many states as brute force finds orbits") {
    // The cyclers hold suspend_lock across steps while a read is in flight: the lock's owner
    // must follow its process when the copies are sorted.
    for (const char* file : {"suspend-cyclers-race.toml", "readers-race-deferred-remove.toml"}) {
      CAPTURE(file);
      const auto scenario =
          scenarios::load_scenario(std::string(DMCHECK_SOURCE_DIR "/scenarios/") + file);
      REQUIRE(scenario);
      const auto built = model::DmModel::build(scenario->config);
      REQUIRE(built);
      const auto& processes = scenario->config.processes;
      const auto first = static_cast<std::size_t>(
          std::find_if(processes.begin(), processes.end(),
                       [](const model::ProcessSpec& p) { return !p.copy_of.empty(); }) -
          processes.begin());
      const auto copies = static_cast<int>(
          std::count_if(processes.begin(), processes.end(),
                        [](const model::ProcessSpec& p) { return !p.copy_of.empty(); }));
      REQUIRE(copies >= 2);
      checker::Options options;
      options.check_deadlock = false;
      const auto reduced = checker::check(*built, options);
      REQUIRE(reduced);
      CHECK(reduced->stats.states == orbits(*built, first, copies));
    }
  }

  TEST_CASE("a trace among copies is concrete: every step the model's own, replayable") {
    const auto scenario =
        scenarios::parse_scenario(readers(3, R"([[properties]]
name = "two-read"
sometimes = "count(p in processes: p.last is 'read s') == 2"
)"),
                                  "readers.toml", scenarios::Expectations::optional);
    REQUIRE(scenario);
    const auto model = model::DmModel::build(scenario->config);
    REQUIRE(model);
    const auto found = checker::check(*model);
    REQUIRE(found);
    CHECK(found->stats.reduction == checker::Reduction::symmetry);
    const auto* goal = found->find("two-read");
    REQUIRE(goal != nullptr);
    REQUIRE(goal->trace);
    CHECK(goal->trace->length() == 6);  // two opens, two submits, two completions
    checker::Path path;
    path.initial = goal->trace->initial;
    path.actions = goal->trace->successors;
    const auto again = checker::replay(*model, path);
    REQUIRE(again);
    REQUIRE(again->states.size() == goal->trace->states.size());
    for (std::size_t i = 0; i < again->states.size(); ++i) {
      CHECK(std::memcmp(&again->states[i], &goal->trace->states[i], sizeof(model::State)) == 0);
    }
  }

  TEST_CASE("a property cannot single out one copy, nor name the entry") {
    for (const char* name : {"reader2", "reader"}) {
      CAPTURE(name);
      const auto scenario = scenarios::parse_scenario(
          readers(3, fmt::format("[[properties]]\nname = \"one\"\nalways = \"not {}.holds(s)\"\n",
                                 name)),
          "readers.toml", scenarios::Expectations::optional);
      REQUIRE_FALSE(scenario);
      CHECK(scenario.error().message.find("count = 3") != std::string::npos);
      CHECK(scenario.error().message.find("forall, exists or count p in processes") !=
            std::string::npos);
      CHECK(scenario.error().where->line == 17);
    }
  }

  TEST_CASE("a count out of range, and copies whose names clash, are refused where written") {
    auto scenario =
        scenarios::parse_scenario(readers(7), "readers.toml", scenarios::Expectations::optional);
    REQUIRE_FALSE(scenario);
    CHECK(scenario.error().message.find("'count' is 7, out of range; expected 1 to 6") !=
          std::string::npos);
    CHECK(scenario.error().where->line == 13);
    scenario = scenarios::parse_scenario(
        readers(2, "[[processes]]\nname = \"reader2\"\nsteps = [\"open s\"]\n"), "readers.toml",
        scenarios::Expectations::optional);
    REQUIRE_FALSE(scenario);
    CHECK(scenario.error().message.find("process 'reader2' is defined twice") != std::string::npos);
  }
}
