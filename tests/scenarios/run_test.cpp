#include "scenarios/run.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "reports/json.h"
#include "scenarios/coverage.h"
#include "scenarios/loader.h"

#ifndef DMCHECK_SOURCE_DIR
#error "DMCHECK_SOURCE_DIR must name the source tree"
#endif

namespace scenarios = dmcheck::scenarios;
using dmcheck::checker::Verdict;

namespace {
const std::string kSeed000 = DMCHECK_SOURCE_DIR "/scenarios/seed000-one-shot-swap-6.1.toml";
}

TEST_SUITE("scenarios/run") {
  TEST_CASE("a scenario runs to its expected verdicts, with the steps that fired") {
    const auto scenario = scenarios::load_scenario(kSeed000);
    REQUIRE_MESSAGE(scenario, (scenario ? "" : scenario.error().describe()));
    const auto run = scenarios::run_scenario(*scenario, {});
    REQUIRE(run);
    CHECK(run->report.outcome() == dmcheck::reports::Outcome::as_expected);
    CHECK(run->report.variant == "6.1");
    CHECK(run->coverage.contains("remove --deferred"));
    CHECK(run->coverage.contains("prober opens"));
    CHECK(run->coverage.contains("create --table"));
    CHECK_FALSE(run->coverage.contains("rename"));
  }

  TEST_CASE("another variant changes the verdicts; a variant lacking a step is bad input") {
    // internal-suspend-6.1 and internal-suspend-6.12 differ only in their variant (and what they
    // expect). On base 6.1 an internal resume calls no target's preresume or resume, so the
    // internal suspender's postsuspend is followed by another postsuspend (the admin's) with no
    // resume between: postsuspend-resume-alternate is violated in 2 steps. Base 6.12 runs them;
    // there it is violated only through dm_destroy, which postsuspends an internally suspended
    // device again (8 steps). Running the 6.1 file under variant 6.12 must therefore give
    // exactly what the 6.12 file gives, and differ from the 6.1 file's run in that property's
    // shortest counterexample; its expectation (2) then no longer matches: a change.
    const auto on_6_1 =
        scenarios::load_scenario(DMCHECK_SOURCE_DIR "/scenarios/internal-suspend-6.1.toml");
    const auto on_6_12 =
        scenarios::load_scenario(DMCHECK_SOURCE_DIR "/scenarios/internal-suspend-6.12.toml");
    REQUIRE(on_6_1);
    REQUIRE(on_6_12);
    const auto as_written = scenarios::run_scenario(*on_6_1, {});
    const auto written_6_12 = scenarios::run_scenario(*on_6_12, {});
    scenarios::RunSettings settings;
    settings.variant = *dmcheck::model::parse_variant("6.12");
    const auto overridden = scenarios::run_scenario(*on_6_1, settings);
    REQUIRE(as_written);
    REQUIRE(written_6_12);
    REQUIRE(overridden);
    CHECK(overridden->report.variant == "6.12");
    const auto verdict_of = [](const dmcheck::reports::Report& report, const std::string& name) {
      const auto& all = report.properties;
      const auto p =
          std::find_if(all.begin(), all.end(), [&](const auto& each) { return each.name == name; });
      REQUIRE_MESSAGE(p != all.end(), name);
      return p->verdict;
    };
    const std::string alternate = "postsuspend-resume-alternate";
    const auto length_of = [](const dmcheck::reports::Report& report, const std::string& name) {
      for (const auto& p : report.properties) {
        if (p.name == name) {
          return p.trace_length();
        }
      }
      return std::size_t{0};
    };
    CHECK(verdict_of(as_written->report, alternate) == Verdict::violated);
    CHECK(verdict_of(overridden->report, alternate) == Verdict::violated);
    CHECK(length_of(as_written->report, alternate) == 2);
    CHECK(length_of(overridden->report, alternate) == 8);
    CHECK(as_written->report.outcome() == dmcheck::reports::Outcome::as_expected);
    CHECK(overridden->report.outcome() == dmcheck::reports::Outcome::changed);
    // Everything else the model decides is the 6.12 file's: same states, same verdicts.
    CHECK(overridden->report.stats.states == written_6_12->report.stats.states);
    CHECK(overridden->report.stats.transitions == written_6_12->report.stats.transitions);
    REQUIRE(overridden->report.properties.size() == written_6_12->report.properties.size());
    for (std::size_t i = 0; i < overridden->report.properties.size(); ++i) {
      CAPTURE(overridden->report.properties[i].name);
      CHECK(overridden->report.properties[i].verdict == written_6_12->report.properties[i].verdict);
    }

    const auto scenario = scenarios::load_scenario(kSeed000);
    REQUIRE(scenario);
    auto broken = *scenario;
    broken.config.processes[0].program.push_back(
        *dmcheck::model::parse_step("set_open_limit swap 1"));
    const auto refused = scenarios::run_scenario(broken, {});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().kind == dmcheck::ErrorKind::bad_input);
    // The same step is accepted once the variant has the open-limit ioctl.
    settings.variant = *dmcheck::model::parse_variant("6.1+open-limit-ioctl");
    CHECK(scenarios::run_scenario(broken, settings));
  }

  TEST_CASE("command-line limits override the scenario's bounds and leave verdicts undecided") {
    const auto scenario = scenarios::load_scenario(kSeed000);
    REQUIRE(scenario);
    scenarios::RunSettings settings;
    settings.options.max_states = 5;
    const auto run = scenarios::run_scenario(*scenario, settings);
    REQUIRE(run);
    CHECK(run->report.stop == dmcheck::checker::StopReason::state_limit);
    CHECK(run->report.outcome() == dmcheck::reports::Outcome::incomplete);
  }

  TEST_CASE("shortest lengths are judged under BFS only: a longer DFS trace is no change") {
    // Depth-first, cancel-semantics reaches device-freed in 12 steps, not the shortest 9.
    const auto scenario =
        scenarios::load_scenario(DMCHECK_SOURCE_DIR "/scenarios/cancel-semantics.toml");
    REQUIRE(scenario);
    scenarios::RunSettings settings;
    settings.options.strategy = dmcheck::checker::Strategy::dfs;
    const auto by_dfs = scenarios::run_scenario(*scenario, settings);
    REQUIRE(by_dfs);
    const auto by_bfs = scenarios::run_scenario(*scenario, {});
    REQUIRE(by_bfs);
    const auto freed = [](const dmcheck::reports::Report& report) {
      const auto& all = report.properties;
      const auto p = std::find_if(all.begin(), all.end(),
                                  [](const auto& each) { return each.name == "device-freed"; });
      REQUIRE(p != all.end());
      return *p;
    };
    CHECK(freed(by_dfs->report).trace_length() == 12);
    CHECK_FALSE(freed(by_dfs->report).expected_shortest);
    CHECK(by_dfs->report.outcome() == dmcheck::reports::Outcome::as_expected);
    CHECK(freed(by_bfs->report).trace_length() == 9);
    CHECK(freed(by_bfs->report).expected_shortest == 9u);
    CHECK(by_bfs->report.outcome() == dmcheck::reports::Outcome::as_expected);
  }

  TEST_CASE("two runs give the same JSON once the fields docs/reports.md says vary are removed") {
    std::ifstream doc(DMCHECK_SOURCE_DIR "/docs/reports.md");
    const std::string text((std::istreambuf_iterator<char>(doc)), std::istreambuf_iterator<char>());
    const std::size_t from = text.find("deterministic");
    REQUIRE(from != std::string::npos);
    const std::size_t to = text.find('.', from);
    std::vector<std::string> varying;  // every `name` in that sentence except `stats` itself
    for (std::size_t at = text.find('`', from); at < to; at = text.find('`', at)) {
      const std::size_t end = text.find('`', at + 1);
      const std::string name = text.substr(at + 1, end - at - 1);
      if (name != "stats") {
        varying.push_back(name);
      }
      at = end + 1;
    }
    REQUIRE_FALSE(varying.empty());
    const auto scenario = scenarios::load_scenario(kSeed000);
    REQUIRE(scenario);
    for (const auto strategy : {dmcheck::checker::Strategy::bfs, dmcheck::checker::Strategy::dfs,
                                dmcheck::checker::Strategy::random_walk}) {
      CAPTURE(dmcheck::checker::to_string(strategy));
      scenarios::RunSettings settings;
      settings.options.strategy = strategy;
      std::vector<nlohmann::json> runs;
      for (int i = 0; i < 2; ++i) {
        const auto run = scenarios::run_scenario(*scenario, settings);
        REQUIRE(run);
        nlohmann::json json = dmcheck::reports::to_json(run->report);
        for (const auto& name : varying) {
          CAPTURE(name);
          CHECK(json["stats"].erase(name) == 1);  // the documented field exists
        }
        runs.push_back(std::move(json));
      }
      CHECK(runs[0] == runs[1]);
    }
  }

  TEST_CASE("a report's trace survives JSON and names each step's successor index") {
    const auto scenario = scenarios::load_scenario(kSeed000);
    REQUIRE(scenario);
    const auto run = scenarios::run_scenario(*scenario, {});
    REQUIRE(run);
    const auto back =
        dmcheck::reports::report_from_json(dmcheck::reports::to_json(run->report), "x");
    REQUIRE(back);
    const auto& p = back->properties.front();
    REQUIRE(p.has_trace());
    CHECK(p.trace_length() == 12);
    CHECK(p.trace.back().action.find("other open swap -> 0") != std::string::npos);
  }
}

TEST_SUITE("scenarios/library") {
  TEST_CASE("every step the library fires is a coverage unit dmcheck ci knows") {
    const auto& all = scenarios::all_coverage_units();
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(DMCHECK_SOURCE_DIR "/scenarios")) {
      if (entry.path().extension() != ".toml") {
        continue;
      }
      ++files;
      const auto scenario = scenarios::load_scenario(entry.path().string());
      REQUIRE(scenario);
      const auto run = scenarios::run_scenario(*scenario, {});
      REQUIRE(run);
      CHECK_MESSAGE(!run->coverage.empty(), entry.path().filename().string() << " fires no step");
      for (const auto& unit : run->coverage) {
        CHECK_MESSAGE(std::find(all.begin(), all.end(), unit) != all.end(),
                      entry.path().filename().string() << ": " << unit);
      }
    }
    CHECK(files >= 25);
  }
}
