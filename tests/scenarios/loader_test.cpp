#include "scenarios/loader.h"

#include <doctest/doctest.h>

namespace scenarios = dmcheck::scenarios;
using dmcheck::checker::Verdict;

namespace {

constexpr const char* kFull = R"(
description = "every section"
variant = "6.12+finalize-hook"
names = ["spare"]

[[disks]]
name = "disk0"
size = 8

[[tables]]
name = "ver"
targets = [{ type = "verity", onto = "disk0", length = 8, root_hash = 2, signature = true }]

[[tables]]
name = "c"
targets = [{ type = "crypt", onto = "disk0", key = "wiped" }]

[[devices]]
name = "v"
uuid = "U-1"
table = "ver"
readonly = true
open_count = 1

[[processes]]
name = "owner"
steps = ["info v", "choose { open v ; close v | read v }", "repeat 2 { info v }"]

[actors]
worker = false
prober = true
probe_initial_devices = true

[failures]
preresume = true
integrity_alloc = true
integrity_refused = true
swap_size = true

[bounds]
max_states = 1000
max_depth = 50
max_seconds = 10

[expect]
holds = ["unique-names", "no-deadlock"]
violated = ["one-shot-device"]
reachable = ["holder-can-reopen"]

[expect.shortest]
one-shot-device = 4
)";

}  // namespace

TEST_SUITE("scenarios/loader") {
  TEST_CASE("every section maps onto the model's configuration") {
    const auto s = scenarios::parse_scenario(kFull, "full.toml");
    REQUIRE_MESSAGE(s, (s ? "" : s.error().describe()));
    CHECK(s->name == "full");
    CHECK(s->description == "every section");
    CHECK(dmcheck::model::to_string(s->config.variant) == "6.12+finalize-hook");
    CHECK(s->config.extra_names == std::vector<std::string>{"spare"});
    REQUIRE(s->config.disks.size() == 1);
    CHECK(s->config.disks[0].size == 8);
    REQUIRE(s->config.tables.size() == 2);
    const auto& verity = s->config.tables[0].targets.at(0);
    CHECK(verity.kind == dmcheck::model::TargetKind::verity);
    CHECK(verity.root_hash == 2);
    CHECK(verity.signature);
    CHECK(verity.length == 8);
    CHECK_FALSE(s->config.tables[1].targets.at(0).key_set);
    REQUIRE(s->config.devices.size() == 1);
    CHECK(s->config.devices[0].uuid == "U-1");
    CHECK(s->config.devices[0].readonly);
    CHECK(s->config.devices[0].open_count == 1);
    REQUIRE(s->config.processes.size() == 1);
    CHECK(s->config.processes[0].program.size() == 3);
    CHECK_FALSE(s->config.actors.deferred_remove_worker);
    CHECK(s->config.actors.prober);
    CHECK(s->config.actors.probe_initial_devices);
    CHECK(s->config.failures.preresume);
    CHECK(s->config.failures.swap_size);
    CHECK(s->bounds.max_states == 1000u);
    CHECK(s->bounds.max_depth == 50u);
    CHECK(s->bounds.max_seconds == 10.0);
    REQUIRE(s->expectations.size() == 4);
    CHECK(s->expectations[0].property == "unique-names");
    CHECK(s->expectations[2].verdict == Verdict::violated);
    CHECK(s->expectations[2].shortest == 4u);
    CHECK(s->expectations[2].where.line == 47);
    CHECK(s->expectations[2].where.column == 13);
    CHECK(s->checks_deadlock());
    // Only expected properties are checked; the deadlock check is the engine's own.
    CHECK(s->config.properties ==
          std::vector<std::string>{"unique-names", "one-shot-device", "holder-can-reopen"});
  }

  TEST_CASE("without a no-deadlock expectation deadlocks are not checked") {
    const auto s = scenarios::parse_scenario(R"(
variant = "6.1"
[expect]
reachable = ["device-freed"]
)",
                                             "x.toml");
    REQUIRE(s);
    CHECK_FALSE(s->checks_deadlock());
  }

  TEST_CASE("a missing file is named") {
    const auto s = scenarios::load_scenario("/nonexistent/dir/s.toml");
    REQUIRE_FALSE(s);
    CHECK(s.error().describe() ==
          "/nonexistent/dir/s.toml: cannot read the scenario file: No such file or directory");
  }

  TEST_CASE("a step the variant lacks points at the step") {
    const auto s = scenarios::parse_scenario(R"(variant = "6.1"
names = ["a"]
[[processes]]
steps = ["info a",
  "remove a --deferred --no-open"]
name = "p"
[expect]
reachable = ["device-freed"]
)",
                                             "v.toml");
    REQUIRE_FALSE(s);
    CHECK(s.error().where->line == 5);
    CHECK(s.error().where->column == 3);
    CHECK(s.error().message.find("no-open-flag") != std::string::npos);
  }

  TEST_CASE("with [actors] naming a suspender, a step the variant lacks still points at the step") {
    const auto s = scenarios::parse_scenario(R"(variant = "6.1"
[[disks]]
name = "disk0"
[[tables]]
name = "z"
targets = [{ type = "zero" }]
[[devices]]
name = "a"
table = "z"
[[processes]]
name = "p"
steps = ["info a",
  "remove a --deferred --no-open"]
[actors]
internal_suspender = "a"
[expect]
reachable = ["device-freed"]
)",
                                             "v.toml");
    REQUIRE_FALSE(s);
    INFO(s.error().describe());
    REQUIRE(s.error().where.has_value());
    CHECK(s.error().where->line == 13);
    CHECK(s.error().where->column == 3);
    CHECK(s.error().message.find("no-open-flag") != std::string::npos);
  }
}
