#include <doctest/doctest.h>

#include <filesystem>
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
}
