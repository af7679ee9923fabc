// A name declared in several places is one name: the model's bound on distinct names counts it
// once, and its first place is the one kept.

#include "scenarios/declared.h"

#include <doctest/doctest.h>

#include <string>

#include "scenarios/loader.h"

namespace scenarios = dmcheck::scenarios;

TEST_SUITE("scenarios") {
  TEST_CASE("a name declared again is not added again") {
    scenarios::Declared d;
    CHECK(d.add("swap", {"s.toml", 3, 1}));
    CHECK(d.add("root", {"s.toml", 4, 1}));
    CHECK_FALSE(d.add("swap", {"s.toml", 9, 1}));
    CHECK(d.size() == 2);
    CHECK(d.contains("swap"));
    CHECK_FALSE(d.contains("home"));
  }

  TEST_CASE("a device named in many places counts once towards the model's bound") {
    // 'swap' and 30 more names reach the bound of 31 distinct names; creating two of them again
    // (each create declares its name) adds no new name, so the scenario still loads.
    std::string names = "names = [";
    for (int i = 0; i < 30; ++i) {
      names += "\"n" + std::to_string(i) + "\", ";
    }
    const std::string text =
        "variant = \"6.1\"\n" + names +
        "]\n"
        "\n[[tables]]\nname = \"z\"\ntargets = [{ type = \"zero\" }]\n"
        "\n[[devices]]\nname = \"swap\"\ntable = \"z\"\n"
        "\n[[processes]]\nname = \"p\"\n"
        "steps = [\"create n0 --notable\", \"create n1 --notable\", \"remove swap\"]\n"
        "\n[expect]\nreachable = [\"device-freed\"]\n";
    const auto loaded = scenarios::parse_scenario(text, "s.toml");
    CHECK_MESSAGE(loaded.has_value(), (loaded ? "" : loaded.error().describe()));
  }
}
