// Judging a race: a kernel outcome outside the model's allowed ends is a divergence; when the
// model's exploration was cut short it is unknown; an allowed end the kernel never showed is
// listed, not counted; a hang the model allows is never expected from the kernel.

#include "conformance/race_compare.h"

#include <doctest/doctest.h>

#include "conformance/temp_dir.h"
#include "model/step.h"

namespace dmcheck::conformance {
namespace {

model::Config open_remove() {
  model::Config c;
  c.variant = *model::parse_variant("6.1");
  c.disks = {{"disk0", 4}};
  model::Target lin;
  lin.kind = model::TargetKind::linear;
  lin.onto = "disk0";
  lin.length = 4;
  c.tables = {{"lin", {lin}}};
  c.devices = {{"a", "", "lin", false, 0, 0, "", false}};
  model::ProcessSpec opener{"opener", {*model::parse_step("open a")}, {}};
  model::ProcessSpec remover{"remover", {*model::parse_step("remove a")}, {}};
  c.processes = {opener, remover};
  return c;
}

KernelOutcome outcome(std::vector<std::vector<std::string>> results,
                      std::vector<DeviceView> devices, std::size_t count) {
  return {std::move(results), std::move(devices), count};
}

TEST_SUITE("conformance/race_compare") {
  TEST_CASE("the model's allowed ends of open || remove, in the kernel's terms") {
    const Race race{"open-remove", open_remove(), 10};
    auto dir = TempDir::make("dmcheck-race-compare-test");
    REQUIRE(dir);
    auto fixtures = Fixtures::make(race.config, dir->path().string());
    REQUIRE(fixtures);
    const auto allowed = allowed_outcomes(race, *fixtures, {});
    REQUIRE(allowed);
    CHECK(allowed->complete);
    REQUIRE(allowed->outcomes.size() == 2);
    const std::string live = fixtures->signature("lin", "");
    const DeviceView held{"a", model::kReplyLive, 1, live};
    CHECK(allowed->outcomes[0].results == std::vector<std::vector<std::string>>{{"0"}, {"EBUSY"}});
    CHECK(allowed->outcomes[0].devices == std::vector<DeviceView>{held});
    CHECK(allowed->outcomes[1].results == std::vector<std::vector<std::string>>{{"ENXIO"}, {"0"}});
    CHECK(allowed->outcomes[1].devices.empty());

    RaceResult kernel;
    kernel.iterations = 10;
    kernel.outcomes = {outcome({{"0"}, {"EBUSY"}}, {held}, 10)};
    RaceJudgement j = judge(*allowed, kernel);
    CHECK(j.verdict == RaceVerdict::agrees);
    CHECK(j.outside.empty());
    CHECK(j.unseen == std::vector<std::size_t>{1});

    // Both calls succeeding, with the device still there, is no end the model allows.
    kernel.outcomes.push_back(outcome({{"0"}, {"0"}}, {held}, 1));
    j = judge(*allowed, kernel);
    CHECK(j.verdict == RaceVerdict::diverges);
    CHECK(j.outside == std::vector<std::size_t>{1});

    // The same, when the model's exploration was cut short: unknown, with the reason.
    AllowedSet partial = *allowed;
    partial.complete = false;
    partial.stop = "state limit";
    j = judge(partial, kernel);
    CHECK(j.verdict == RaceVerdict::unknown);
    CHECK(j.why_unknown.find("state limit") != std::string::npos);
  }

  TEST_CASE("a hang the model allows is not matched by a kernel outcome, nor listed unseen") {
    AllowedSet allowed;
    allowed.complete = true;
    allowed.outcomes = {{{{"0"}, {}}, {}, true, 1}};
    RaceResult kernel;
    kernel.outcomes = {outcome({{"0"}, {}}, {}, 1)};
    const RaceJudgement j = judge(allowed, kernel);
    CHECK(j.verdict == RaceVerdict::diverges);
    CHECK(j.unseen.empty());
  }

  TEST_CASE("results text: threads by slashes, calls by commas") {
    CHECK(results_text({{"0", "EBADF"}, {"ENXIO"}}) == "0, EBADF / ENXIO");
  }
}

}  // namespace
}  // namespace dmcheck::conformance
