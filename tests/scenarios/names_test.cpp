// A step may only name devices, tables and handles the scenario declares; a misspelt name is a
// load error with a suggestion, and an absent device stays testable by declaring its name.

#include <doctest/doctest.h>

#include <string>

#include "scenarios/declared.h"
#include "scenarios/loader.h"

namespace scenarios = dmcheck::scenarios;

namespace {

/// A scenario with a device 'swap' (zero table 'z'), a process running `steps`, and `extra`
/// top-level lines before the sections.
std::string scenario(const std::string& steps, const std::string& extra = "") {
  return "variant = \"6.1\"\n" + extra +
         "\n[[tables]]\nname = \"z\"\ntargets = [{ type = \"zero\" }]\n"
         "\n[[devices]]\nname = \"swap\"\ntable = \"z\"\n"
         "\n[[processes]]\nname = \"p\"\nsteps = [" +
         steps + "]\n\n[expect]\nreachable = [\"device-freed\"]\n";
}

/// The loader's message ("line:column: message" without the file) for a scenario that must fail.
std::string refused(const std::string& text) {
  auto loaded = scenarios::parse_scenario(text, "s.toml");
  REQUIRE_FALSE(loaded.has_value());
  const std::string described = loaded.error().describe();
  return described.substr(described.find(':') + 1);
}

bool loads(const std::string& text) {
  auto loaded = scenarios::parse_scenario(text, "s.toml");
  INFO((loaded ? "" : loaded.error().describe()));
  return loaded.has_value();
}

}  // namespace

TEST_SUITE("scenarios/names") {
  TEST_CASE("a step naming an undeclared device is refused with a suggestion") {
    CHECK(refused(scenario(R"("open swap", "open sawp")")) ==
          "13:23: unknown device 'sawp'; a step names only devices the scenario declares "
          "([[devices]], a create, a rename's new name, or 'names' for one that never exists); "
          "did you mean 'swap'?");
    // Nothing close: no suggestion.
    CHECK(refused(scenario(R"("remove zzzzzz")")).find("unknown device 'zzzzzz'; a step names") !=
          std::string::npos);
    CHECK(refused(scenario(R"("remove zzzzzz")")).find("did you mean") == std::string::npos);
  }

  TEST_CASE("an absent device is declared in 'names'; create and rename declare theirs") {
    CHECK(loads(scenario(R"("info gone", "remove swap")", "names = [\"gone\"]")));
    CHECK(loads(scenario(R"("create new --table z", "rename new newer", "remove newer")")));
  }

  TEST_CASE("an undeclared table is refused with a suggestion") {
    CHECK(refused(scenario(R"("load swap y", "create b --table zz")")).find("unknown table 'y'") !=
          std::string::npos);
    CHECK(refused(scenario(R"("create b --table zz")")).find("did you mean 'z'?") !=
          std::string::npos);
  }

  TEST_CASE("close and read need an open of that name in the same process") {
    CHECK(refused(scenario(R"("close swap")")) ==
          "13:10: process 'p' closes 'swap' but never opens it; a close, read or write needs an "
          "'open "
          "swap' in the same process");
    CHECK(refused(scenario(R"("read swap")")).find("reads 'swap' but never opens it") !=
          std::string::npos);
    // Anywhere in the program counts: a close before the open is a run-time EBADF.
    CHECK(loads(scenario(R"("close swap", "choose { open swap | info swap }")")));
  }

  TEST_CASE("device names and uuids follow the kernel's rules, where they are written") {
    CHECK(refused(scenario(R"("create a/b --notable")"))
              .find("13:10: device name 'a/b' contains "
                    "'/'") == 0);
    CHECK(refused(scenario(R"("create a --notable", "rename a control")"))
              .find("13:32: device name 'control' is refused by the kernel") == 0);
    CHECK(refused(scenario(R"("info swap")", "names = [\"" + std::string(128, 'n') + "\"]"))
              .find("2:10: device name 'nnnnnnnnnnnnnnnnnnnnnnnn...' is 128 bytes") == 0);
    CHECK(loads(scenario(R"("info swap")", "names = [\"" + std::string(127, 'n') + "\"]")));
    CHECK(refused(scenario(R"("info swap")", "names = [\"a\\u0000b\"]")).find("NUL") !=
          std::string::npos);
  }

  TEST_CASE("more distinct names than the model holds are refused at the first one past it") {
    std::string names = "names = [";
    for (int i = 0; i < 30; ++i) {
      names += "\"n" + std::to_string(i) + "\", ";
    }
    CHECK(loads(scenario(R"("info swap")", names + "]")));  // swap + 30
    CHECK(refused(scenario(R"("info swap")", names + "\"last\"]"))
              .find("too many distinct device names: the model holds at most 31") !=
          std::string::npos);
  }

  TEST_CASE("edit distance and the closest declared name") {
    CHECK(scenarios::edit_distance("swap", "sawp") == 1);
    CHECK(scenarios::edit_distance("swap", "swap") == 0);
    CHECK(scenarios::edit_distance("", "abc") == 3);
    CHECK(scenarios::edit_distance("kitten", "sitting") == 3);
    scenarios::Declared d;
    d.add("swap", {});
    d.add("root", {});
    CHECK(d.closest("swp") == "swap");
    CHECK(d.closest("rot") == "root");
    CHECK_FALSE(d.closest("home").has_value());
  }
}
