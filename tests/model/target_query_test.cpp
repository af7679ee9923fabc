// The status and table queries: each target's line reduced to what the model owns, verity's
// corruption mark per table instance, a thin-pool's recorded size.

#include "model/target_status.h"
#include "tests/model/fixtures.h"

namespace dmcheck::model::testing {
namespace {

std::string targets_of(const SequentialRun& r, std::size_t step) {
  REQUIRE(step < r.steps.size());
  return target_reply_text(r.steps[step].obs);
}

}  // namespace

TEST_SUITE("model/target queries") {
  TEST_CASE("status and table parse with --inactive, print back, and take no other option") {
    for (const std::string text : {"status a", "status a --inactive", "table a --inactive"}) {
      const auto call = parse_call(text);
      REQUIRE(call);
      CHECK(to_string(*call) == text);
    }
    CHECK(parse_call("table a")->op == Op::table);
    CHECK(parse_call("status a --inactive")->inactive);
    CHECK_FALSE(parse_call("info a --inactive"));
    CHECK_FALSE(parse_call("status a --noflush"));
    CHECK_FALSE(parse_call("status"));
  }

  TEST_CASE("verity says V, then C once a read hit a hash mismatch; a new instance starts at V") {
    auto r = run(base_config(),
                 {"create a --table ver_bad --readonly", "status a", "open a", "read a", "status a",
                  "table a", "close a", "suspend a", "load a ver_bad --readonly", "status a",
                  "resume a", "status a", "open a", "read a", "status a --inactive", "status a"});
    CHECK_ERRNOS(r, {0, 0, 0, kEIO, 0, 0, 0, 0, 0, 0, 0, 0, 0, kEIO, 0, 0});
    CHECK(targets_of(r, 1) == "V");
    CHECK(targets_of(r, 4) == "C");
    CHECK(targets_of(r, 5) == "verity");
    CHECK(targets_of(r, 9) == "C");   // the loaded table is inactive; the live one saw the error
    CHECK(targets_of(r, 11) == "V");  // the same table, a new instance
    CHECK(targets_of(r, 14) == "no targets");
    CHECK(targets_of(r, 15) == "C");
    // The reply is a status reply as info's: flags and open count.
    CHECK((r.steps[4].obs.flags & kReplyStatus) != 0);
    CHECK((r.steps[4].obs.flags & kReplyReadOnly) != 0);
    CHECK(r.steps[4].obs.open_count == 1);
  }

  TEST_CASE("a read through a table stacked on a corrupt verity device marks the device below") {
    Config c = base_config();
    for (TableDef& t : c.tables) {
      if (t.name == "ver_bad") {
        t.targets.front().length = 4;  // as long as onto_a, which maps all of it
      }
    }
    auto r = run(c, {"create a --table ver_bad --readonly", "create b --table onto_a", "open b",
                     "read b", "status b", "status a"});
    REQUIRE(r.steps.size() == 6);
    CHECK(r.steps[3].obs.err == kEIO);
    CHECK(targets_of(r, 4) == "-");
    CHECK(targets_of(r, 5) == "C");
  }

  TEST_CASE("a good verity table stays V, and only a status query makes the model keep the mark") {
    auto good =
        run(base_config(), {"create a --table ver1 --readonly", "open a", "read a", "status a"});
    CHECK(targets_of(good, 3) == "V");
    // Without a status query in the program, the failed read leaves the state as before.
    auto unasked =
        run(base_config(), {"create a --table ver_bad --readonly", "open a", "read a", "info a"});
    CHECK((unasked.steps[2].after.devices[0].flags & kVerityCorrupt) == 0);
    auto asked =
        run(base_config(), {"create a --table ver_bad --readonly", "open a", "read a", "status a"});
    CHECK((asked.steps[2].after.devices[0].flags & kVerityCorrupt) != 0);
  }

  TEST_CASE("a thin-pool reports the data size its metadata recorded at its last resume") {
    auto r = run(base_config(), {"create a --notable", "load a pool4", "status a --inactive",
                                 "resume a", "status a", "load a pool8", "status a --inactive",
                                 "status a", "remove a", "create a --table pool4", "status a"});
    REQUIRE(r.steps.size() == 11);
    CHECK(targets_of(r, 2) == "0/0");  // never resumed: a freshly formatted pool has no blocks
    CHECK(targets_of(r, 4) == "0/4");
    CHECK(targets_of(r, 6) == "0/4");  // the longer table is not resumed yet
    CHECK(targets_of(r, 7) == "0/4");
    CHECK(targets_of(r, 10) == "0/4");  // the metadata outlives the device
  }

  TEST_CASE("table reports the queried table's types; --inactive's READ-ONLY is that table's") {
    auto r = run(base_config(), {"create a --table lin0", "load a zero --readonly", "table a",
                                 "table a --inactive", "status a --inactive", "clear a",
                                 "table a --inactive", "status a"});
    CHECK_ERRNOS(r, {0, 0, 0, 0, 0, 0, 0, 0});
    CHECK(targets_of(r, 2) == "linear");
    CHECK((r.steps[2].obs.flags & kReplyReadOnly) == 0);
    CHECK(targets_of(r, 3) == "zero");
    CHECK((r.steps[3].obs.flags & kReplyReadOnly) != 0);
    CHECK(targets_of(r, 4) == "-");
    CHECK(targets_of(r, 6) == "no targets");
    CHECK((r.steps[6].obs.flags & kReplyReadOnly) == 0);
    CHECK(targets_of(r, 7) == "-");
  }

  TEST_CASE("a query of a device that does not exist is ENXIO on both bases") {
    for (const std::string base : {"6.1", "6.12"}) {
      auto r = run(base_config(base), {"status a", "table a --inactive"});
      CHECK_ERRNOS(r, {kENXIO, kENXIO});
      CHECK_FALSE(reports_targets(r.steps[0].obs));
    }
  }
}

}  // namespace dmcheck::model::testing
