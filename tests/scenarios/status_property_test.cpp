// A property about a status reply: `P.last.corrupt`, the verity C a reader's failed read leaves
// for a later status query to see.

#include <doctest/doctest.h>

#include <map>
#include <string>

#include "scenarios/loader.h"
#include "scenarios/run.h"

namespace scenarios = dmcheck::scenarios;
using dmcheck::checker::Verdict;

namespace {

constexpr const char* kScenario = R"(description = "a reader hits corruption while a watcher asks"
variant = "6.1"

[[disks]]
name = "disk0"
size = 4

[[tables]]
name = "bad"
targets = [{ type = "verity", onto = "disk0", length = 4, root_hash = 1, hash_matches = false }]

[[devices]]
name = "v"
table = "bad"
readonly = true

[[processes]]
name = "reader"
steps = ["open v", "read v", "close v"]

[[processes]]
name = "watcher"
steps = ["status v"]

[[properties]]
name = "watcher-sees-corruption"
sometimes = "watcher.last.corrupt"

[[properties]]
name = "never-corrupt"
always = "not watcher.last.corrupt"

[[properties]]
name = "corrupt-only-after-read"
always = "watcher.last.corrupt implies reader.last is 'read v' or reader.last is 'close v'"

[expect]
reachable = ["watcher-sees-corruption"]
violated = ["never-corrupt"]
holds = ["corrupt-only-after-read"]
)";

}  // namespace

TEST_SUITE("scenarios/status property") {
  TEST_CASE("last.corrupt is reached only when the status follows the failed read") {
    const auto s = scenarios::parse_scenario(kScenario, "t.toml");
    REQUIRE_MESSAGE(s, (s ? std::string() : s.error().describe()));
    const auto run = scenarios::run_scenario(*s, {});
    REQUIRE(run);
    CHECK(run->report.outcome() == dmcheck::reports::Outcome::as_expected);
    std::map<std::string, Verdict> verdicts;
    for (const auto& p : run->report.properties) {
      verdicts[p.name] = p.verdict;
    }
    CHECK(verdicts["watcher-sees-corruption"] == Verdict::reached);
    CHECK(verdicts["never-corrupt"] == Verdict::violated);
    CHECK(verdicts["corrupt-only-after-read"] == Verdict::holds);
  }
}
