// Scenario files are bounded before the TOML parser sees them: only a regular file, at most
// 1 MiB, nested at most 32 levels. Nothing hangs, nothing is read without end, nothing crashes.

#include "scenarios/input.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "scenarios/loader.h"
#include "tests/temp_dir.h"

namespace scenarios = dmcheck::scenarios;
using dmcheck::ErrorKind;
using dmcheck::testing::TempDir;

namespace {

/// The loader's error for `path` (the test fails if the file loads).
dmcheck::Error refusal(const std::string& path) {
  auto loaded = scenarios::load_scenario(path);
  REQUIRE_FALSE(loaded.has_value());
  return loaded.error();
}

/// The nesting error for `text`, or "" when the scan lets it through.
std::string nesting(const std::string& text) {
  auto checked = scenarios::check_nesting(text, "deep.toml");
  return checked ? std::string() : checked.error().describe();
}

constexpr const char* kValid = R"(variant = "6.1"
[[processes]]
name = "p"
steps = ["create a --notable", "remove a"]
[expect]
reachable = ["device-freed"]
)";

}  // namespace

TEST_SUITE("scenarios/input") {
  TEST_CASE("a FIFO is refused at once, without waiting for a writer") {
    TempDir dir;
    const std::string fifo = (dir.path / "pipe.toml").string();
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const dmcheck::Error e = refusal(fifo);
    CHECK(e.kind == ErrorKind::bad_input);
    CHECK(e.message == "the scenario is a FIFO; it must be a regular file");
    REQUIRE(e.where.has_value());
    CHECK(e.where->file == fifo);
  }

  TEST_CASE("a device such as /dev/zero is refused without being read") {
    CHECK(refusal("/dev/zero").message == "the scenario is a device; it must be a regular file");
  }

  TEST_CASE("a directory is refused") {
    TempDir dir;
    CHECK(refusal(dir.path.string()).message ==
          "the scenario is a directory; it must be a regular file");
  }

  TEST_CASE("a file over 1 MiB is refused; one at the limit is read") {
    TempDir dir;
    const std::string big = (dir.path / "big.toml").string();
    std::string text = kValid;
    text += "#" + std::string(scenarios::kMaxScenarioBytes - text.size() - 2, 'x') + "\n";
    REQUIRE(text.size() == scenarios::kMaxScenarioBytes);
    std::ofstream(big, std::ios::binary) << text;
    CHECK(scenarios::load_scenario(big).has_value());
    std::ofstream(big, std::ios::binary | std::ios::app) << "\n";
    CHECK(refusal(big).message.find("larger than 1048576 bytes (1 MiB)") != std::string::npos);
  }

  TEST_CASE("arrays nested past the limit are refused where they go past it") {
    const std::string deep = "a = " + std::string(100000, '[') + std::string(100000, ']') + "\n";
    CHECK(nesting(deep) ==
          "deep.toml:1:37: nesting deeper than 32 levels (arrays, inline tables, table headers "
          "and dotted keys count together); the loader refuses it");
    const std::string ok = "a = " + std::string(32, '[') + std::string(32, ']') + "\n";
    CHECK(nesting(ok).empty());
  }

  TEST_CASE("dotted keys, headers and inline tables count toward the depth") {
    std::string keys = "x";
    for (int i = 0; i < 100000; ++i) {
      keys += ".a";
    }
    CHECK(nesting("\n" + keys + " = 1\n").find("deep.toml:2:66: nesting deeper") == 0);
    CHECK(nesting("[" + keys + "]\n").find("deep.toml:1:65: nesting deeper") == 0);
    std::string tables;
    for (int i = 0; i < 1000; ++i) {
      tables += "{a=";
    }
    CHECK(nesting("x = " + tables + "1").find("deep.toml:1:101: nesting deeper") == 0);
  }

  TEST_CASE("dots and brackets in strings, comments and values do not count") {
    const std::string many(1000, '.');
    CHECK(nesting("a = \"" + std::string(1000, '[') + "\"\n").empty());
    CHECK(nesting("a = '''" + std::string(1000, '{') + "\n" + many + "'''\n").empty());
    CHECK(nesting("# " + std::string(1000, '[') + "\n").empty());
    CHECK(nesting("\"" + many + "\" = 1.5\n").empty());
    CHECK(nesting("a = [1.5, 2.5, \"x\\\"]]]\"]\n").empty());
  }

  TEST_CASE("deep nesting through the loader is a bad-input error, not a crash") {
    std::string keys = "a";
    for (int i = 0; i < 200000; ++i) {
      keys += ".a";
    }
    auto loaded = scenarios::parse_scenario(keys + " = 1\n", "deep.toml");
    REQUIRE_FALSE(loaded.has_value());
    CHECK(loaded.error().kind == ErrorKind::bad_input);
    CHECK(loaded.error().message.find("nesting deeper than 32") == 0);
  }
}
