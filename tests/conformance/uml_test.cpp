/// Boots the real kernel (Debian's User-Mode Linux, 6.1) and checks the backend against rules
/// of device-mapper that the kernel is known to follow (kernel-observables, section 1).

#include <doctest/doctest.h>
#include <linux/dm-ioctl.h>

#include <cerrno>
#include <filesystem>

#include "conformance/fixtures.h"
#include "conformance/temp_dir.h"
#include "conformance/uml_session.h"

using nlohmann::json;
namespace conformance = dmcheck::conformance;

namespace {

json linear_on(const std::string& disk) {
  return json::array(
      {{{"start", 0}, {"length", 2048}, {"type", "linear"}, {"params", disk + " 0"}}});
}

bool has(const json& o, std::uint32_t flag) {
  return (o.at("flags").get<std::uint32_t>() & flag) != 0;
}

/// The status of device `name` the agent listed after the step (null when it is gone).
json status(const json& o, const std::string& name = "a") {
  for (const json& d : o.at("devices")) {
    if (d.at("name") == name) {
      return d;
    }
  }
  return nullptr;
}

/// Two pattern disks, 'A' and 'B', of 2048 sectors each, in a folder of this run's own (runs of
/// the suite side by side must not share, let alone remove, each other's disks).
struct PatternDisks {
  conformance::TempDir dir = make_dir();
  std::vector<std::string> files;
  PatternDisks() {
    dmcheck::model::Config config;
    config.disks = {{"d0", 16}, {"d1", 16}};
    auto fixtures = conformance::Fixtures::make(config, dir.path().string());
    REQUIRE(fixtures);
    files = fixtures->files();
  }
  static conformance::TempDir make_dir() {
    auto made = conformance::TempDir::make("dmcheck-uml-test-disks");
    REQUIRE_MESSAGE(made, (made ? "" : made.error().describe()));
    return std::move(*made);
  }
};

}  // namespace

TEST_SUITE("conformance/uml") {
  TEST_CASE("the real kernel follows the lifecycle rules the model encodes") {
    const PatternDisks disks;
    conformance::UmlOptions options;
    options.agent = DMCHECK_AGENT;
    options.disks = disks.files;
    const std::vector<json> requests = {
        {{"op", "version"}},                                                            // 0
        {{"op", "create"}, {"name", "a"}},                                              // 1
        {{"op", "load"}, {"name", "a"}, {"targets", linear_on("/dev/ubda")}},           // 2
        {{"op", "resume"}, {"name", "a"}},                                              // 3
        {{"op", "open"}, {"name", "a"}, {"handle", 0}},                                 // 4
        {{"op", "read"}, {"handle", 0}},                                                // 5
        {{"op", "remove"}, {"name", "a"}},                                              // 6
        {{"op", "remove"}, {"name", "a"}, {"deferred", true}},                          // 7
        {{"op", "open"}, {"name", "a"}, {"handle", 1}},                                 // 8
        {{"op", "create"}, {"name", "a"}},                                              // 9
        {{"op", "close"}, {"handle", 1}},                                               // 10
        {{"op", "message"}, {"name", "a"}, {"text", "@cancel_deferred_remove"}},        // 11
        {{"op", "message"}, {"name", "a"}, {"text", "@cancel_deferred_remove extra"}},  // 12
        {{"op", "close"}, {"handle", 0}},                                               // 13
        {{"op", "info"}, {"name", "a"}},                                                // 14
        {{"op", "load"}, {"name", "a"}, {"targets", linear_on("/dev/ubdb")}},           // 15
        {{"op", "suspend"}, {"name", "a"}},                                             // 16
        {{"op", "suspend"}, {"name", "a"}},                                             // 17
        {{"op", "resume"}, {"name", "a"}},                                              // 18
        {{"op", "open"}, {"name", "a"}, {"handle", 2}},                                 // 19
        {{"op", "read"}, {"handle", 2}},                                                // 20
        {{"op", "rename"}, {"name", "a"}, {"new_name", "b"}},                           // 21
        {{"op", "info"}, {"name", "a"}},                                                // 22
        {{"op", "remove_all"}, {"deferred", true}},                                     // 23
        {{"op", "close"}, {"handle", 2}},                                               // 24
        {{"op", "create"}, {"name", "z"}, {"readonly", true}},                          // 25
        {{"op", "clear"}, {"name", "z"}},                                               // 26
        {{"op", "resume"}, {"name", "z"}},                                              // 27
        {{"op", "suspend"}, {"name", "z"}},                                             // 28
        {{"op", "resume"}, {"name", "z"}},                                              // 29
        {{"op", "remove"}, {"name", "nosuch"}},                                         // 30
    };
    const auto result = conformance::run_in_uml(options, requests);
    REQUIRE_MESSAGE(result, (result ? "" : result.error().describe()));
    const std::vector<json>& o = result->observations;
    REQUIRE(o.size() == requests.size());
    CHECK(o[0]["errno"] == 0);
    CHECK(o[1]["errno"] == 0);
    CHECK_FALSE(has(status(o[1]), DM_ACTIVE_PRESENT_FLAG));  // a new device has no table
    CHECK_FALSE(has(status(o[1]), DM_SUSPEND_FLAG));         // and is not suspended
    CHECK(has(o[2], DM_INACTIVE_PRESENT_FLAG));
    CHECK(o[3]["errno"] == 0);
    CHECK(has(status(o[3]), DM_ACTIVE_PRESENT_FLAG));
    CHECK(o[4]["errno"] == 0);
    CHECK(status(o[4])["open_count"] == 1);
    CHECK(o[5]["data"] == "pattern A");
    CHECK(o[6]["errno"] == EBUSY);         // open: plain remove refused
    CHECK(o[7]["errno"] == 0);             // deferred remove of a busy device succeeds
    CHECK(has(o[7], DM_DEFERRED_REMOVE));  // the reply says "scheduled"
    CHECK(has(status(o[7]), DM_DEFERRED_REMOVE));
    CHECK(o[8]["errno"] == 0);  // the deferred flag does not block opens
    CHECK(status(o[8])["open_count"] == 2);
    CHECK(o[9]["errno"] == EBUSY);  // the pending device keeps its name
    CHECK(o[10]["errno"] == 0);
    CHECK(o[11]["errno"] == 0);  // cancel clears the flag
    CHECK_FALSE(has(status(o[11]), DM_DEFERRED_REMOVE));
    CHECK(o[12]["errno"] == EINVAL);  // cancel takes no arguments
    CHECK(o[13]["errno"] == 0);
    CHECK(o[14]["errno"] == 0);  // cancelled: the last close removed nothing
    CHECK(o[14]["open_count"] == 0);
    CHECK(o[15]["errno"] == 0);
    CHECK(o[16]["errno"] == 0);
    CHECK(has(status(o[16]), DM_SUSPEND_FLAG));
    CHECK(o[17]["errno"] == 0);  // suspend is idempotent
    CHECK(o[18]["errno"] == 0);  // swaps in the table on the second disk
    CHECK_FALSE(has(status(o[18]), DM_SUSPEND_FLAG));
    CHECK_FALSE(has(status(o[18]), DM_INACTIVE_PRESENT_FLAG));
    CHECK(o[20]["data"] == "pattern B");
    CHECK(o[21]["errno"] == 0);
    CHECK(o[22]["errno"] == ENXIO);                                   // the old name is gone
    CHECK(status(o[22], "b")["live"][0]["params"] == "/dev/ubdb 0");  // devices read back by name
    CHECK(o[23]["errno"] == 0);                                       // remove_all always succeeds
    CHECK(o[24]["errno"] == 0);
    CHECK(o[25]["errno"] == 0);
    CHECK(o[26]["errno"] == 0);       // clear with an empty slot succeeds
    CHECK(o[27]["errno"] == 0);       // resume of an unsuspended table-less device
    CHECK(o[28]["errno"] == 0);       // suspend works with no table
    CHECK(o[29]["errno"] == EINVAL);  // resume of a suspended table-less device
    CHECK(o[30]["errno"] == ENXIO);
  }

  TEST_CASE("a guest that does not finish in time is an error, not a hang") {
    conformance::UmlOptions options;
    options.agent = DMCHECK_AGENT;
    options.timeout = std::chrono::milliseconds(300);
    const auto result = conformance::run_in_uml(options, {{{"op", "version"}}});
    REQUIRE_FALSE(result);
    CHECK(result.error().message.find("did not power off within 300 ms") != std::string::npos);
  }

  TEST_CASE("a guest stuck in a request is killed at the stall limit, naming the request") {
    const PatternDisks disks;
    conformance::UmlOptions options;
    options.agent = DMCHECK_AGENT;
    options.disks = disks.files;
    options.stall = std::chrono::milliseconds(3000);
    // A read of a suspended device waits for a resume that never comes.
    const std::vector<json> requests = {
        {{"op", "version"}},
        {{"op", "create"}, {"name", "a"}},
        {{"op", "load"}, {"name", "a"}, {"targets", linear_on("/dev/ubda")}},
        {{"op", "resume"}, {"name", "a"}},
        {{"op", "open"}, {"name", "a"}, {"handle", 0}},
        {{"op", "suspend"}, {"name", "a"}},
        {{"op", "read"}, {"handle", 0}},
    };
    const auto start = std::chrono::steady_clock::now();
    const auto result = conformance::run_in_uml(options, requests);
    REQUIRE_FALSE(result);
    INFO(result.error().message);
    CHECK(result.error().message.find("answered nothing for 3000 ms, stuck in request 7 of 7") !=
          std::string::npos);
    CHECK(result.error().message.find("\"op\":\"read\"") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - start < options.timeout);  // not the boot's limit
  }

  TEST_CASE("a missing agent is named") {
    conformance::UmlOptions options;
    options.agent = "/nonexistent/dmcheck-agent";
    const auto result = conformance::run_in_uml(options, {});
    REQUIRE_FALSE(result);
    CHECK(result.error().message.find("/nonexistent/dmcheck-agent") != std::string::npos);
  }
}
