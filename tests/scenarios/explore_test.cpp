// A scenario without [expect], or naming properties under `any`, is explored: every property it
// names (every property when it names none) is checked and reported, none compared.

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "model/catalogue.h"
#include "reports/report.h"
#include "reports/text.h"
#include "scenarios/loader.h"
#include "scenarios/run.h"

#ifndef DMCHECK_SOURCE_DIR
#error "DMCHECK_SOURCE_DIR must name the source tree"
#endif

namespace scenarios = dmcheck::scenarios;
namespace reports = dmcheck::reports;
using dmcheck::checker::Verdict;

namespace {

const std::string kViolated = DMCHECK_SOURCE_DIR "/tests/scenarios/explore/violated.toml";
const std::string kAny = DMCHECK_SOURCE_DIR "/tests/scenarios/explore/any.toml";

/// The scenario's text with `extra` appended (an [expect] section, say).
std::string text_with(const std::string& file, const std::string& extra) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), {}) + extra;
}

/// The text report as render_text prints it.
std::string rendered(const reports::Report& report) {
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* out = open_memstream(&buffer, &size);
  REQUIRE(out != nullptr);
  reports::render_text(out, report, {false, false});
  std::fclose(out);
  std::string text(buffer, size);
  std::free(buffer);  // NOLINT: open_memstream's buffer is malloc'd
  return text;
}

const reports::PropertyReport* find(const reports::Report& r, const std::string& name) {
  const auto it = std::find_if(r.properties.begin(), r.properties.end(),
                               [&](const auto& p) { return p.name == name; });
  return it == r.properties.end() ? nullptr : &*it;
}

}  // namespace

TEST_SUITE("scenarios/explore") {
  TEST_CASE("without [expect], check names every property and the deadlock check, no verdict") {
    const auto scenario = scenarios::load_scenario(kViolated, scenarios::Expectations::optional);
    REQUIRE_MESSAGE(scenario, (scenario ? "" : scenario.error().describe()));
    CHECK(scenario->expectations.size() == dmcheck::model::catalogue().size() + 1);
    CHECK(std::none_of(scenario->expectations.begin(), scenario->expectations.end(),
                       [](const auto& e) { return e.verdict.has_value(); }));
    CHECK(scenario->checks_deadlock());
  }

  TEST_CASE("every verdict is reported, a violation too, and the outcome compares nothing") {
    const auto scenario = scenarios::load_scenario(kViolated, scenarios::Expectations::optional);
    REQUIRE(scenario);
    const auto run = scenarios::run_scenario(*scenario, {});
    REQUIRE_MESSAGE(run, (run ? "" : run.error().describe()));
    const reports::Report& r = run->report;
    CHECK(r.outcome() == reports::Outcome::unchecked);
    const std::string text = rendered(r);
    for (const auto& entry : dmcheck::model::catalogue()) {
      const auto* p = find(r, std::string(entry.name));
      REQUIRE_MESSAGE(p != nullptr, entry.name);
      CHECK(!p->expected);
      CHECK(p->verdict != Verdict::unknown);
      CHECK(text.find(std::string(entry.name)) != std::string::npos);
    }
    REQUIRE(find(r, "one-shot-device") != nullptr);
    CHECK(find(r, "one-shot-device")->verdict == Verdict::violated);
    CHECK(find(r, "one-shot-device")->outcome() == reports::Outcome::unchecked);
    REQUIRE(find(r, std::string(dmcheck::checker::kDeadlockProperty)) != nullptr);
    CHECK(text.find("outcome") == std::string::npos);  // render_text leaves that to check
    CHECK(text.find("expected") == std::string::npos);
  }

  TEST_CASE("a run stopped before a verdict nobody stated is undecided, not as expected") {
    const auto scenario = scenarios::load_scenario(kViolated, scenarios::Expectations::optional);
    REQUIRE(scenario);
    scenarios::RunSettings settings;
    settings.options.max_states = 5;
    const auto run = scenarios::run_scenario(*scenario, settings);
    REQUIRE(run);
    CHECK(run->report.outcome() == reports::Outcome::incomplete);
  }

  TEST_CASE("'any' checks only the properties it names; stated verdicts are still compared") {
    const auto scenario = scenarios::load_scenario(kAny, scenarios::Expectations::optional);
    REQUIRE_MESSAGE(scenario, (scenario ? "" : scenario.error().describe()));
    const auto run = scenarios::run_scenario(*scenario, {});
    REQUIRE(run);
    REQUIRE(run->report.properties.size() == 2);
    CHECK(run->report.outcome() == reports::Outcome::unchecked);

    const auto mixed = scenarios::parse_scenario(
        text_with(kViolated,
                  "\n[expect]\nholds = [\"one-shot-device\"]\nany = [\"device-freed\"]\n"),
        "mixed.toml", scenarios::Expectations::optional);
    REQUIRE_MESSAGE(mixed, (mixed ? "" : mixed.error().describe()));
    const auto changed = scenarios::run_scenario(*mixed, {});
    REQUIRE(changed);
    CHECK(changed->report.outcome() == reports::Outcome::changed);
  }

  TEST_CASE("where verdicts are required, a missing [expect] and 'any' are refused") {
    const auto missing = scenarios::load_scenario(kViolated);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("dmcheck ci needs every scenario to state its verdicts") !=
          std::string::npos);
    const auto any = scenarios::load_scenario(kAny);
    REQUIRE_FALSE(any);
    CHECK(any.error().message.find("'any' names properties without a verdict") !=
          std::string::npos);
  }

  TEST_CASE("'any' takes a goal and an invariant alike, but a shortest length needs a verdict") {
    const auto bad = scenarios::parse_scenario(
        text_with(
            kViolated,
            "\n[expect]\nany = [\"one-shot-device\"]\n[expect.shortest]\none-shot-device = 11\n"),
        "shortest.toml", scenarios::Expectations::optional);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("which is not expected violated or reachable") !=
          std::string::npos);
  }
}
