// The JSON report's derived fields say what the run established, not what a reader would hope.

#include <doctest/doctest.h>

#include "reports/json.h"
#include "reports/report.h"

namespace reports = dmcheck::reports;
using dmcheck::checker::StopReason;
using dmcheck::checker::Verdict;

TEST_SUITE("reports") {
  TEST_CASE("JSON 'complete' is true only for a search that ran to its end") {
    reports::Report r;
    r.name = "bounded";
    reports::PropertyReport p;
    p.name = "unique-names";
    p.verdict = Verdict::unknown;
    p.expected = Verdict::holds;
    r.properties = {p};
    // Every way a run can stop early leaves the search incomplete.
    for (const StopReason stop :
         {StopReason::depth_bound, StopReason::state_limit, StopReason::time_limit,
          StopReason::memory_limit, StopReason::interrupted, StopReason::first_violation,
          StopReason::walks_done, StopReason::out_of_memory, StopReason::spill_full}) {
      r.stop = stop;
      const auto json = reports::to_json(r);
      CAPTURE(json["stop"]);
      CHECK(json["complete"] == false);
      CHECK(json["outcome"] == "undecided");
    }
    r.stop = StopReason::completed;
    r.properties[0].verdict = Verdict::holds;
    const auto json = reports::to_json(r);
    CHECK(json["complete"] == true);
    CHECK(json["outcome"] == "as expected");
  }
}
