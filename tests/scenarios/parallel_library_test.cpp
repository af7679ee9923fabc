#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <string>
#include <vector>

#include "reports/json.h"
#include "scenarios/loader.h"
#include "scenarios/run.h"

#ifndef DMCHECK_SOURCE_DIR
#error "DMCHECK_SOURCE_DIR must name the source tree"
#endif

namespace scenarios = dmcheck::scenarios;

// Also built into the ThreadSanitizer test binary: the whole DM model explored on three threads.
TEST_SUITE("scenarios/library") {
  TEST_CASE("every library scenario gives the same report on one thread and on three") {
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(DMCHECK_SOURCE_DIR "/scenarios")) {
      if (entry.path().extension() != ".toml") {
        continue;
      }
      CAPTURE(entry.path().filename().string());
      ++files;
      const auto scenario = scenarios::load_scenario(entry.path().string());
      REQUIRE(scenario);
      std::vector<nlohmann::json> reports;
      for (const unsigned threads : {1u, 3u}) {
        scenarios::RunSettings settings;
        settings.options.threads = threads;
        const auto run = scenarios::run_scenario(*scenario, settings);
        REQUIRE(run);
        nlohmann::json json = dmcheck::reports::to_json(run->report);
        CHECK(json["stats"]["threads"] == threads);
        for (const char* varying : {"seconds", "states_per_second", "peak_rss_bytes", "threads"}) {
          json["stats"].erase(varying);
        }
        reports.push_back(std::move(json));
      }
      CHECK(reports[0] == reports[1]);
    }
    CHECK(files >= 25);
  }

  TEST_CASE("a partial-order reduction gives the same report on one thread and on three") {
    // Two owners of their own devices with the prober: every state asks which owner may move
    // alone, on whichever thread expands it.
    std::string text = "variant = \"6.1\"\n";
    for (int i = 1; i <= 2; ++i) {
      text += fmt::format(
          "[[disks]]\nname = \"disk{0}\"\nsize = 2\n[[tables]]\nname = \"lin{0}\"\n"
          "targets = [{{ type = \"linear\", onto = \"disk{0}\", length = 2 }}]\n"
          "[[processes]]\nname = \"owner{0}\"\nsteps = [\"create d{0} --table lin{0}\", "
          "\"open d{0}\", \"read d{0}\", \"suspend d{0}\", \"resume d{0}\", "
          "\"remove d{0} --deferred\", \"close d{0}\"]\n",
          i);
    }
    text += "[actors]\nprober = true\n";
    const auto scenario =
        scenarios::parse_scenario(text, "owners.toml", scenarios::Expectations::optional);
    REQUIRE(scenario);
    std::vector<nlohmann::json> reports;
    for (const unsigned threads : {1u, 3u}) {
      scenarios::RunSettings settings;
      settings.options.threads = threads;
      settings.options.reduction = dmcheck::checker::Reduction::por;
      const auto run = scenarios::run_scenario(*scenario, settings);
      REQUIRE(run);
      CHECK(run->report.stats.reduction == dmcheck::checker::Reduction::por);
      nlohmann::json json = dmcheck::reports::to_json(run->report);
      for (const char* varying : {"seconds", "states_per_second", "peak_rss_bytes", "threads"}) {
        json["stats"].erase(varying);
      }
      reports.push_back(std::move(json));
    }
    CHECK(reports[0] == reports[1]);
  }
}
