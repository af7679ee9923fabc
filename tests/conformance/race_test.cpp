/// Races: the guest agent's race request and its observation as the host checks it, the host's
/// API that builds races from model processes, and races run on the real kernel (Debian's
/// User-Mode Linux, 6.1), whose every outcome must be one derived by hand from the kernel's code.

#include "conformance/race.h"

#include <doctest/doctest.h>
#include <linux/dm-ioctl.h>

#include <cerrno>
#include <optional>
#include <set>

#include "conformance/compare.h"
#include "conformance/fixtures.h"
#include "conformance/guest_protocol.h"
#include "conformance/temp_dir.h"
#include "conformance/uml_session.h"

using nlohmann::json;
namespace conformance = dmcheck::conformance;
namespace model = dmcheck::model;

namespace {

/// Disk d0 (16 units: 2048 sectors of 'A'), table lin onto all of it, and device a with it live;
/// one process per thread, each running `threads[t]`.
conformance::Race race_of(const std::string& name,
                          const std::vector<std::vector<std::string>>& threads,
                          std::size_t iterations) {
  conformance::Race race;
  race.name = name;
  race.iterations = iterations;
  race.config.disks = {{"d0", 16}};
  model::Target lin;
  lin.onto = "d0";
  lin.length = 16;
  race.config.tables = {{"lin", {lin}}};
  model::DeviceSpec a;
  a.name = "a";
  a.table = "lin";
  race.config.devices = {a};
  for (std::size_t t = 0; t < threads.size(); ++t) {
    model::ProcessSpec p{"p" + std::to_string(t + 1), {}, {}};
    for (const std::string& step : threads[t]) {
      auto parsed = model::parse_step(step);
      REQUIRE_MESSAGE(parsed, step);
      p.program.push_back(*parsed);
    }
    race.config.processes.push_back(p);
  }
  return race;
}

conformance::RaceOptions kernel_options() {
  conformance::RaceOptions options;
  options.uml.agent = DMCHECK_AGENT;
  return options;
}

/// Device a as the kernel shows it: the linear table on d0 live, `flags` besides.
conformance::DeviceView device_a(std::uint8_t flags, std::uint32_t open_count) {
  const json live = json::array(
      {{{"start", 0}, {"length", 2048}, {"type", "linear"}, {"params", "/dev/ubda 0"}}});
  return {"a", static_cast<std::uint8_t>(model::kReplyLive | flags), open_count,
          conformance::Fixtures::signature_of(live)};
}

/// An outcome to compare by its end state.
conformance::KernelOutcome end(std::vector<std::vector<std::string>> results,
                               std::vector<conformance::DeviceView> devices) {
  return {std::move(results), std::move(devices), 0};
}

/// Checks that every outcome of `r` is one of `allowed` and that the counts add up.
void check_outcomes(const conformance::RaceResult& r,
                    const std::vector<conformance::KernelOutcome>& allowed) {
  CHECK(r.iterations == r.requested);
  CHECK(r.stopped.empty());
  std::size_t sum = 0;
  for (const conformance::KernelOutcome& o : r.outcomes) {
    sum += o.count;
    std::string seen;
    for (const auto& thread : o.results) {
      for (const auto& e : thread) {
        seen += e + " ";
      }
      seen += "| ";
    }
    seen += conformance::describe_devices(o.devices);
    CAPTURE(seen);
    CHECK(std::any_of(allowed.begin(), allowed.end(),
                      [&](const conformance::KernelOutcome& a) { return a.same_end(o); }));
    MESSAGE(r.name << ": " << seen << " x" << o.count);
  }
  CHECK(sum == r.iterations);
  MESSAGE(r.name << ": " << r.iterations << " iterations in " << r.seconds << " s ("
                 << r.iterations / r.seconds << " per second)");
}

}  // namespace

TEST_SUITE("conformance/race") {
  TEST_CASE("a race is built from plain call lists, one thread per process") {
    const auto race = race_of("r", {{"open a", "open a", "close a", "read a"}, {"remove a"}}, 7);
    REQUIRE(conformance::check_race(race));
    auto dir = conformance::TempDir::make("dmcheck-race-test");
    REQUIRE(dir);
    const auto fixtures = conformance::Fixtures::make(race.config, dir->path().string());
    REQUIRE(fixtures);
    const json r = conformance::race_request(race, *fixtures, kernel_options(), 3);
    CHECK(r["op"] == "race");
    CHECK(r["iterations"] == 7);
    CHECK(r["seed"] == 3);
    REQUIRE(r["setup"].size() == 1);
    CHECK(r["setup"][0]["call"] == "create a --table lin");
    REQUIRE(r["threads"].size() == 2);
    const json& t1 = r["threads"][0];
    CHECK(t1[0]["handle"] == 1000000);
    CHECK(t1[1]["handle"] == 1000001);
    // close and read name every earlier open of the name, newest first: the agent uses the
    // first still held, as the model's process closes its newest successful open.
    CHECK(t1[2]["handles"] == json::array({1000001, 1000000}));
    CHECK_FALSE(t1[2].contains("handle"));
    CHECK(t1[3]["handles"] == json::array({1000001, 1000000}));
    CHECK(r["threads"][1][0] ==
          json({{"op", "remove"}, {"name", "a"}, {"deferred", false}, {"call", "remove a"}}));
  }

  TEST_CASE("the kernel's outcomes are read in the model's terms, merged and sorted") {
    const auto race = race_of("r", {{"open a"}, {"remove a"}}, 10);
    const json live = json::array(
        {{{"start", 0}, {"length", 2048}, {"type", "linear"}, {"params", "/dev/ubda 0"}}});
    const auto device = [&](std::uint32_t flags) {
      return json{{"name", "a"}, {"errno", 0}, {"flags", flags}, {"open_count", 1}, {"live", live}};
    };
    // Live, with and without the uevent flag, which the model does not own: one end state.
    json o = {{"iterations", 10},
              {"seconds", 0.25},
              {"outcomes",
               {{{"results", {{0}, {EBUSY}}},
                 {"devices", {device(DM_ACTIVE_PRESENT_FLAG)}},
                 {"count", 3}},
                {{"results", {{ENXIO}, {0}}}, {"devices", json::array()}, {"count", 5}},
                {{"results", {{0}, {EBUSY}}},
                 {"devices", {device(DM_ACTIVE_PRESENT_FLAG | DM_UEVENT_GENERATED_FLAG)}},
                 {"count", 2}}}}};
    auto r = conformance::race_result(race, o);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    CHECK(r->name == "r");
    CHECK(r->requested == 10);
    CHECK(r->iterations == 10);
    CHECK(r->seconds == 0.25);
    REQUIRE(r->outcomes.size() == 2);
    CHECK(r->outcomes[0].results == std::vector<std::vector<std::string>>{{"0"}, {"EBUSY"}});
    CHECK(r->outcomes[0].devices == std::vector<conformance::DeviceView>{device_a(0, 1)});
    CHECK(r->outcomes[0].count == 5);
    CHECK(r->outcomes[1].results == std::vector<std::vector<std::string>>{{"ENXIO"}, {"0"}});
    CHECK(r->outcomes[1].devices.empty());
    CHECK(r->outcomes[1].count == 5);

    o["outcomes"][0]["devices"][0]["errno"] = ENXIO;
    r = conformance::race_result(race, o);
    REQUIRE_FALSE(r);
    CHECK(r.error().message ==
          "race r: the status of device a could not be read after an iteration (ENXIO), so its "
          "end state is unknown");
    r = conformance::race_result(race,
                                 {{"op", "race"}, {"agent_error", "iteration 3: reset failed"}});
    REQUIRE_FALSE(r);
    CHECK(r.error().message ==
          "race r: the guest agent could not run it: iteration 3: reset failed");
  }

  TEST_CASE("a race that cannot run on the real kernel is refused, naming it") {
    const auto message = [](const conformance::Race& race) {
      const auto checked = conformance::check_race(race);
      REQUIRE_FALSE(checked);
      CHECK(checked.error().kind == dmcheck::ErrorKind::bad_input);
      return checked.error().message;
    };
    CHECK(message(race_of("one", {{"open a"}}, 10)) ==
          "race one: it has 1 processes; a race runs 2 or 3, one thread each");
    CHECK(
        message(race_of("choice", {{"open a"}, {"info a", "choose { remove a | info a }"}}, 10)) ==
        "race choice: process p2, step 2 ('choose { remove a | info a "
        "}'): a race performs plain calls only, not choose or repeat");
    CHECK(message(race_of("rep", {{"repeat 2 { open a ; close a }"}, {"remove a"}}, 10))
              .starts_with("race rep: process p1, step 1 ('repeat 2"));
    CHECK(message(race_of("zero", {{"open a"}, {"remove a"}}, 0)) ==
          "race zero: iterations must be from 1 to 100000000 (got 0)");
    auto probed = race_of("probed", {{"open a"}, {"remove a"}}, 10);
    probed.config.actors.prober = true;
    CHECK(message(probed).starts_with("race probed: it has a prober"));
    auto patched = race_of("patched", {{"open a"}, {"remove a --deferred --no-open"}}, 10);
    patched.config.variant.patches = model::kNoOpenFlag;
    CHECK(message(patched) ==
          "race patched: call 2 uses --no-open (the no-open-flag patch), which the real kernel "
          "lacks");
    const std::vector<std::string> many(17, "info a");
    CHECK(message(race_of("long", {many, {"remove a"}}, 10)) ==
          "race long: process p1 has 17 calls; a thread of a race performs 1 to 16");
  }

  TEST_CASE("open races a plain remove: the open holds it or finds it gone") {
    // dm_blk_open and dm_lock_for_deletion each run under _minor_lock: either the open comes
    // first and the remove sees an open count (EBUSY), or the remove marks the device deleting
    // first and the open fails (ENXIO), the device gone. The close-after-open thread closes
    // only what it opened: after a failed open there is nothing (EBADF).
    const std::vector<conformance::Race> races = {
        race_of("open-remove", {{"open a"}, {"remove a"}}, 500),
        race_of("open-close-remove", {{"open a", "close a"}, {"remove a"}}, 300),
        race_of("open-open", {{"open a"}, {"open a"}}, 200)};
    const auto report = conformance::run_races(races, kernel_options());
    REQUIRE_MESSAGE(report, (report ? "" : report.error().describe()));
    CHECK(report->boots == 1);
    CHECK_FALSE(report->interrupted);
    REQUIRE(report->races.size() == 3);
    check_outcomes(report->races[0],
                   {end({{"0"}, {"EBUSY"}}, {device_a(0, 1)}), end({{"ENXIO"}, {"0"}}, {})});
    check_outcomes(report->races[1],
                   {end({{"0", "0"}, {"EBUSY"}}, {device_a(0, 0)}), end({{"0", "0"}, {"0"}}, {}),
                    end({{"ENXIO", "EBADF"}, {"0"}}, {})});
  }

  TEST_CASE("two suspends: both succeed, or one finds the other mid-suspend (EINVAL)") {
    // The ioctl tests "already suspended?" before dm_suspend takes suspend_lock, and dm_suspend
    // tests it again under the lock: a suspend that passed the first test while the other slept
    // in its SRCU wait (before it set the flag) returns EINVAL. Either way a ends suspended.
    // In the same boot: an open held outside the race (a swapon) stays held through it, so a
    // plain remove is refused and a deferred one only marks the device, whichever runs first.
    auto held = race_of("held-remove", {{"remove a"}, {"remove a --deferred"}}, 100);
    held.config.devices.front().open_count = 1;
    const auto report = conformance::run_races(
        {race_of("suspend-suspend", {{"suspend a"}, {"suspend a"}}, 500), held}, kernel_options());
    REQUIRE_MESSAGE(report, (report ? "" : report.error().describe()));
    REQUIRE(report->races.size() == 2);
    const auto suspended = device_a(model::kReplySuspended, 0);
    check_outcomes(report->races[0],
                   {end({{"0"}, {"0"}}, {suspended}), end({{"EINVAL"}, {"0"}}, {suspended}),
                    end({{"0"}, {"EINVAL"}}, {suspended})});
    check_outcomes(report->races[1],
                   {end({{"EBUSY"}, {"0"}}, {device_a(model::kReplyDeferred, 1)})});
  }

  TEST_CASE("a race whose setup fails on the kernel is an error naming the iteration and call") {
    // The table is longer than its disk: the kernel refuses it at load.
    auto race = race_of("too-long", {{"open a"}, {"remove a"}}, 10);
    race.config.disks = {{"d0", 1}};
    const auto report = conformance::run_races({race}, kernel_options());
    REQUIRE_FALSE(report);
    CHECK(report.error().kind == dmcheck::ErrorKind::system);
    CHECK(report.error().message ==
          "race too-long: the guest agent could not run it: iteration 1: setup request 1 (create "
          "a --table lin) failed: errno 22");
  }

  TEST_CASE("a race stops at its time budget and says so") {
    auto options = kernel_options();
    options.budget = std::chrono::milliseconds(200);
    const auto report =
        conformance::run_races({race_of("budget", {{"info a"}, {"info a"}}, 10'000'000)}, options);
    REQUIRE_MESSAGE(report, (report ? "" : report.error().describe()));
    const conformance::RaceResult& r = report->races.at(0);
    CHECK(r.iterations >= 1);
    CHECK(r.iterations < r.requested);
    CHECK(r.stopped.starts_with("the time budget of 200 ms ran out after "));
    std::size_t sum = 0;
    for (const auto& o : r.outcomes) {
      sum += o.count;
    }
    CHECK(sum == r.iterations);
  }
}

namespace {

const json kLinear =
    json::array({{{"start", 0}, {"length", 2048}, {"type", "linear"}, {"params", "/dev/ubda 0"}}});

json raw_race(json setup, json threads, int iterations) {
  return {{"op", "race"},
          {"setup", std::move(setup)},
          {"threads", std::move(threads)},
          {"iterations", iterations},
          {"call_limit_ms", 300}};
}

/// A guest with one disk, d0, for race requests written by hand.
struct RawGuest {
  std::optional<conformance::TempDir> dir;
  std::optional<conformance::Fixtures> fixtures;
  conformance::UmlOptions options;

  RawGuest() {
    auto made_dir = conformance::TempDir::make("dmcheck-race-test");
    REQUIRE(made_dir);
    dir.emplace(std::move(*made_dir));
    model::Config config;
    config.disks = {{"d0", 16}};
    auto made = conformance::Fixtures::make(config, dir->path().string());
    REQUIRE(made);
    fixtures.emplace(std::move(*made));
    options.agent = DMCHECK_AGENT;
    options.disks = fixtures->files();
  }
};

}  // namespace

TEST_SUITE("conformance/race-agent") {
  TEST_CASE("the agent refuses a race it cannot run and goes on with the next request") {
    const RawGuest guest;
    conformance::UmlOptions options = guest.options;
    const json create = {{"op", "create"}, {"name", "a"}, {"targets", kLinear}};
    const json info = {{"op", "info"}, {"name", "a"}};
    const std::vector<json> requests = {
        // A setup request that fails: the second create of a.
        raw_race({create, create}, {{info}, {info}}, 5),
        // Too few threads; a reset inside a race.
        raw_race({create}, {{info}}, 5),
        raw_race({create}, {{info}, {{{"op", "reset"}}}}, 5),
        // A read of a suspended device waits until a resume: released by the agent's rescue.
        raw_race({create,
                  {{"op", "open"}, {"name", "a"}, {"handle", 1}},
                  {{"op", "suspend"}, {"name", "a"}}},
                 {{{{"op", "read"}, {"handle", 1}}}, {info}}, 5),
        // A well-formed race still runs afterwards. A close naming several handles closes the
        // first one held: handle 1, opened in setup; then none is left (EBADF).
        raw_race({create, {{"op", "open"}, {"name", "a"}, {"handle", 1}}},
                 {{{{"op", "close"}, {"handles", {5, 1}}}, {{"op", "close"}, {"handles", {5, 1}}}},
                  {info}},
                 5),
    };
    const auto run = conformance::run_in_uml(options, requests);
    REQUIRE_MESSAGE(run, (run ? "" : run.error().describe()));
    const auto& o = run->observations;
    REQUIRE(o.size() == requests.size());
    CHECK(o[0]["agent_error"] == "iteration 1: setup request 2 (create a) failed: errno 16");
    CHECK(o[1]["agent_error"] ==
          "bad race request: \"threads\" must be an array of 2 or 3 threads");
    CHECK(o[2]["agent_error"] ==
          "bad race request: thread 2, call 1: \"reset\" cannot be part of a race");
    CHECK(o[3]["agent_error"] ==
          "iteration 1: thread 1's call 1 (read) had not returned after 300 ms (resuming every "
          "device released it): a call that waits forever cannot race");
    CHECK(o[4]["iterations"] == 5);
    REQUIRE(o[4]["outcomes"].size() == 1);
    CHECK(o[4]["outcomes"][0]["results"] == json::array({{0, EBADF}, {0}}));
    CHECK(o[4]["outcomes"][0]["devices"][0]["open_count"] == 0);
    CHECK(o[4]["outcomes"][0]["count"] == 5);
  }
}

TEST_SUITE("conformance/race-agent") {
  TEST_CASE("a device the deferred-remove worker removes while devices are listed is not listed") {
    // The last close queues the worker; the listing after the iteration waits for it. A device
    // listed just before the worker removed it and queried just after is gone (ENXIO), not a
    // device with no flags and no table.
    const RawGuest guest;
    conformance::UmlOptions options = guest.options;
    options.timeout = std::chrono::milliseconds(180'000);
    const json race =
        raw_race({{{"op", "create"}, {"name", "a"}, {"targets", kLinear}},
                  {{"op", "open"}, {"name", "a"}, {"handle", 1}},
                  {{"op", "remove"}, {"name", "a"}, {"deferred", true}}},
                 {{{{"op", "close"}, {"handle", 1}}}, {{{"op", "info"}, {"name", "a"}}}}, 10'000);
    const auto run = conformance::run_in_uml(options, {race});
    REQUIRE_MESSAGE(run, (run ? "" : run.error().describe()));
    const json& o = run->observations.at(0);
    REQUIRE(o.contains("outcomes"));
    for (const json& outcome : o["outcomes"]) {
      CAPTURE(outcome.dump());
      CHECK(outcome["devices"] == json::array());
      CHECK(outcome["results"][0] == json::array({0}));
    }
  }
}

namespace {

std::vector<json> race_requests() {
  return {{{"op", "race"},
           {"call", "race r"},
           {"iterations", 10},
           {"threads", {{{{"op", "open"}}}, {{{"op", "remove"}}, {{"op", "info"}}}}}}};
}

json race_seen() {
  const json device = {
      {"name", "a"}, {"errno", 0}, {"flags", 8}, {"open_count", 1}, {"live", json::array()}};
  return {{"op", "race"},
          {"iterations", 10},
          {"seconds", 0.5},
          {"outcomes",
           {{{"results", {{0}, {16, 0}}}, {"devices", {device}}, {"count", 7}},
            {{"results", {{6}, {0, 6}}}, {"devices", json::array()}, {"count", 3}}}}};
}

std::string race_error(const json& observation) {
  const auto out =
      conformance::parse_guest_output(observation.dump() + "\n{\"done\":true}\n", race_requests());
  return out ? "" : out.error().message;
}

}  // namespace

TEST_SUITE("conformance/guest-protocol") {
  TEST_CASE("a race observation is checked against its request") {
    CHECK(race_error(race_seen()) == "");
    json stopped = race_seen();
    stopped["iterations"] = 4;
    stopped["outcomes"][0]["count"] = 1;
    stopped["stopped"] = "the time budget of 5 ms ran out after 4 of 10 iterations";
    CHECK(race_error(stopped) == "");
    CHECK(race_error({{"op", "race"}, {"agent_error", "iteration 1: reset failed"}}) == "");
    struct Case {
      const char* pointer;
      json value;
      std::string message;
    };
    const std::vector<Case> cases = {
        {"/iterations", 11, "$.iterations must be a whole number from 0 to 10, got 11"},
        {"/iterations", "10", "$.iterations must be a whole number, got string"},
        {"/seconds", -1, "$.seconds must be a number of at least 0, got -1"},
        {"/outcomes", nullptr, "$.outcomes must be an array, got null"},
        {"/outcomes/0/results",
         {{0}},
         "$.outcomes[0].results must list 2 threads (the request's), got 1"},
        {"/outcomes/0/results/1",
         {16},
         "$.outcomes[0].results[1] must list 2 errnos (the thread's calls), got 1"},
        {"/outcomes/0/results/1/0", 4096,
         "$.outcomes[0].results[1][0] must be a whole number from 0 to 4095, got 4096"},
        {"/outcomes/0/results/0/0", -1,
         "$.outcomes[0].results[0][0] must be a whole number from 0 to 4095, got -1"},
        {"/outcomes/0/count", 0, "$.outcomes[0].count must be a whole number from 1 to 10, got 0"},
        {"/outcomes/1/count", 4, "$.outcomes counts sum to more than the 10 iterations"},
        {"/outcomes/1/count", 2, "$.outcomes counts sum to 9, not to the 10 iterations"},
        {"/outcomes/0/devices/0/open_count", -1,
         "$.outcomes[0].devices[0].open_count must be a whole number from 0 to 2147483647, got "
         "-1"},
        {"/outcomes/0/devices/0/live", nullptr,
         "$.outcomes[0].devices[0].live must be an array, got null"},
        {"/agent_error", 5, "$.agent_error must be a string, got number"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.pointer);
      json o = race_seen();
      o[json::json_pointer(c.pointer)] = c.value;
      CHECK(race_error(o) == "guest protocol error: observation 1: " + c.message +
                                 " (request 1: "
                                 "race r)");
    }
    json short_run = race_seen();
    short_run["iterations"] = 9;
    short_run["outcomes"][0]["count"] = 6;
    CHECK(race_error(short_run) ==
          "guest protocol error: observation 1: $.iterations is 9, fewer than the 10 asked for, "
          "with no \"stopped\" saying why (request 1: race r)");
  }
}
