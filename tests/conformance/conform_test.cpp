/// Conformance: trace generation and prediction (model only), the comparison of a kernel
/// observation with a prediction, and a run of generated and directed traces on the real kernel.

#include "conformance/conform.h"

#include <doctest/doctest.h>
#include <linux/dm-ioctl.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "conformance/compare.h"
#include "conformance/generate.h"
#include "conformance/predict.h"
#include "conformance/universe.h"
#include "model/target_status.h"
#include "tests/temp_dir.h"

using nlohmann::json;
namespace conformance = dmcheck::conformance;
namespace model = dmcheck::model;

namespace {

conformance::StepPrediction predicted_info() {
  conformance::StepPrediction p;
  p.call = "info a";
  p.parsed = *model::parse_call("info a");
  p.obs.flags = model::kReplyStatus | model::kReplyLive;
  p.obs.open_count = 1;
  p.devices = {{"a", model::kReplyLive, 1, "linear 256 /dev/ubda 0"}};
  return p;
}

json observed_info() {
  return {{"op", "info"},
          {"errno", 0},
          {"flags", DM_ACTIVE_PRESENT_FLAG},
          {"open_count", 1},
          {"devices",
           {{{"name", "a"},
             {"flags", DM_ACTIVE_PRESENT_FLAG},
             {"open_count", 1},
             {"live",
              {{{"start", 0}, {"length", 256}, {"type", "linear"}, {"params", "/dev/ubda 0"}}}}}}}};
}

}  // namespace

TEST_SUITE("conformance/compare") {
  TEST_CASE("an observation that matches the prediction is no divergence") {
    CHECK_FALSE(conformance::compare_step(predicted_info(), observed_info()));
  }

  TEST_CASE("each field the model owns is compared") {
    const auto p = predicted_info();
    auto differs = [&](json o) { return conformance::compare_step(p, o).value().field; };
    json o = observed_info();
    o["errno"] = ENXIO;
    CHECK(differs(o) == "errno");
    o = observed_info();
    o["flags"] = DM_ACTIVE_PRESENT_FLAG | DM_SUSPEND_FLAG;
    CHECK(differs(o) == "reply flags");
    o = observed_info();
    o["open_count"] = 2;
    CHECK(differs(o) == "reply open count");
    o = observed_info();
    o["devices"][0]["flags"] = DM_ACTIVE_PRESENT_FLAG | DM_DEFERRED_REMOVE;
    CHECK(differs(o) == "device a: flags");
    o = observed_info();
    o["devices"][0]["open_count"] = 0;
    CHECK(differs(o) == "device a: open count");
    o = observed_info();
    o["devices"][0]["live"][0]["params"] = "/dev/ubdb 0";
    CHECK(differs(o) == "device a: live table");
    o = observed_info();
    o["devices"][0]["name"] = "b";
    CHECK(differs(o) == "devices");
    o = observed_info();
    o["devices"] = json::array();
    CHECK(differs(o) == "devices");
    o = observed_info();
    o["agent_error"] = "mknod failed";
    CHECK(differs(o) == "agent");
  }

  TEST_CASE("a read is compared by what came back") {
    conformance::StepPrediction p;
    p.call = "read a";
    p.parsed = *model::parse_call("read a");
    p.obs.data = model::kReadDisk + model::kMaxDiskUnits;  // disk 1's first unit
    json o = {{"errno", 0}, {"data", "pattern B"}, {"devices", json::array()}};
    CHECK_FALSE(conformance::compare_step(p, o));
    o["data"] = "zeros";
    const auto d = conformance::compare_step(p, o);
    REQUIRE(d);
    CHECK(d->field == "read");
    CHECK(d->model == "pattern B");
    CHECK(d->kernel == "zeros");
  }

  TEST_CASE("a whole-device read is compared unit by unit") {
    conformance::StepPrediction p;
    p.call = "read a --all";
    p.parsed = *model::parse_call(p.call);
    p.obs.err = model::kEIO;
    p.obs.data = model::kReadDisk + 1;                  // disk 0's second unit
    p.obs.more[0] = model::kReadWritten + ('x' - 'a');  // what a write of x left
    p.obs.more[1] = model::kReadEio;
    const json unit_i = {{"errno", 0}, {"data", "pattern I"}};
    const json unit_x = {{"errno", 0}, {"data", "pattern x"}};
    json o = {
        {"errno", EIO}, {"units", {unit_i, unit_x, {{"errno", EIO}}}}, {"devices", json::array()}};
    CHECK_FALSE(conformance::compare_step(p, o));
    o["units"][1]["data"] = "pattern w";
    const auto d = conformance::compare_step(p, o);
    REQUIRE(d);
    CHECK(d->field == "read");
    CHECK(d->model == "pattern I, pattern x, EIO");
    CHECK(d->kernel == "pattern I, pattern w, EIO");
  }

  TEST_CASE("a deferred remove's reply flag is compared") {
    conformance::StepPrediction p;
    p.call = "remove a --deferred";
    p.parsed = *model::parse_call(p.call);
    p.obs.flags = model::kReplyDeferred;
    json o = {{"errno", 0}, {"flags", 0}, {"devices", json::array()}};
    CHECK(conformance::compare_step(p, o).value().field == "reply flags");
    o["flags"] = DM_DEFERRED_REMOVE;
    CHECK_FALSE(conformance::compare_step(p, o));
  }

  TEST_CASE("a status or table reply's targets are compared, reduced to what the model owns") {
    conformance::StepPrediction p;
    p.call = "status a";
    p.parsed = *model::parse_call(p.call);
    p.obs.flags = model::kReplyStatus | model::kReplyLive;
    p.targets = "V";
    json o = {{"errno", 0},
              {"flags", DM_ACTIVE_PRESENT_FLAG},
              {"open_count", 0},
              {"targets", {{{"type", "verity"}, {"length", 256}, {"line", "V"}}}},
              {"devices", json::array()}};
    CHECK_FALSE(conformance::compare_step(p, o));
    o["targets"][0]["line"] = "C";
    auto d = conformance::compare_step(p, o);
    REQUIRE(d);
    CHECK(d->field == "targets");
    CHECK(d->kernel == "C");
    // A thin-pool's used/total data blocks are its third word; the rest is not the model's.
    p.targets = "0/2";
    o["targets"] = {{{"type", "thin-pool"},
                     {"length", 256},
                     {"line", "1 10/256 0/2 - rw discard_passdown queue_if_no_space - 1024"}}};
    CHECK_FALSE(conformance::compare_step(p, o));
    // A line the reduction does not expect is kept whole, so that it differs.
    o["targets"][0]["line"] = "Fail";
    CHECK(conformance::compare_step(p, o).value().kernel == "[thin-pool: Fail]");
    p.targets = "-";
    o["targets"] = {{{"type", "linear"}, {"length", 256}, {"line", ""}}};
    CHECK_FALSE(conformance::compare_step(p, o));
    o["targets"][0]["line"] = "something";
    CHECK(conformance::compare_step(p, o).value().field == "targets");
    // table: types and lengths in model units.
    p.call = "table a --inactive";
    p.parsed = *model::parse_call(p.call);
    p.targets = "linear 2, zero 1";
    o["targets"] = {{{"type", "linear"}, {"length", 256}, {"line", "98:0 0"}},
                    {{"type", "zero"}, {"length", 128}, {"line", ""}}};
    CHECK_FALSE(conformance::compare_step(p, o));
    o["targets"][1]["length"] = 256;
    CHECK(conformance::compare_step(p, o).value().kernel == "linear 2, zero 2");
    o["targets"] = json::array();
    CHECK(conformance::compare_step(p, o).value().kernel == "no targets");
    // The side-by-side view shows the targets as they are compared.
    p.obs.data = model::table_code(model::TargetKind::linear);
    p.obs.more[0] = model::table_code(model::TargetKind::zero);
    CHECK(conformance::describe_outcome(p) == "0 [LIVE] open=0 targets linear 2, zero 1");
    CHECK(conformance::describe_outcome(o, p.parsed.op) == "0 [LIVE] open=0 targets no targets");
  }
}

TEST_SUITE("conformance/generate") {
  TEST_CASE("depth 1 tries every call once from the empty kernel") {
    const auto calls = conformance::alphabet();
    const auto g = conformance::generate_exhaustive(conformance::universe(), calls, 1);
    REQUIRE(g);
    CHECK(g->traces.size() + g->dropped == calls.size());
    CHECK(g->states == 1);
  }

  TEST_CASE("depth 2 expands each distinct state once, by its shortest trace") {
    const auto calls = conformance::alphabet();
    const auto g = conformance::generate_exhaustive(conformance::universe(), calls, 2);
    REQUIRE(g);
    CHECK(g->states > 1);
    CHECK(g->states < calls.size());  // calls failing with ENXIO lead back to the empty state
    CHECK(g->traces.size() + g->dropped == g->states * calls.size());
  }

  TEST_CASE("random walks are determined by their seed") {
    const auto calls = conformance::alphabet();
    const auto a = conformance::generate_random(conformance::universe(), calls, 5, 10, 7);
    const auto b = conformance::generate_random(conformance::universe(), calls, 5, 10, 7);
    const auto c = conformance::generate_random(conformance::universe(), calls, 5, 10, 8);
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(c);
    REQUIRE(a->traces.size() == 5);
    CHECK(a->traces[3].calls == b->traces[3].calls);
    CHECK(a->traces[3].calls != c->traces[3].calls);
    CHECK(a->traces[3].calls.size() == 10);
  }
}

TEST_SUITE("conformance/predict") {
  TEST_CASE("a trace that would wait forever, or needs a patched kernel, is not runnable") {
    const dmcheck::testing::TempDir dir;
    const model::Config config = conformance::universe();
    auto fixtures = conformance::Fixtures::make(config, dir.path.string());
    REQUIRE(fixtures);
    auto blocked = conformance::predict(
        config, *fixtures, {"t", {"create a --table lin0", "open a", "suspend a", "read a"}, ""});
    REQUIRE(blocked);
    CHECK(blocked->unrunnable.find("call 4 ('read a') waits forever") != std::string::npos);
    auto patched =
        conformance::predict(config, *fixtures, {"t", {"remove_all --deferred --no-open"}, ""});
    REQUIRE(patched);
    CHECK(patched->unrunnable.find("no-open-flag") != std::string::npos);
    model::Config limited = config;
    limited.variant = *model::parse_variant("6.1+create-open-limit");
    limited.devices.push_back({"a", "", "lin0", false, 1, 0, "", false});
    auto limit = conformance::predict(limited, *fixtures, {"t", {"open a"}, ""});
    REQUIRE(limit);
    CHECK(limit->unrunnable.find("open limit") != std::string::npos);
    auto bad = conformance::predict(config, *fixtures, {"t", {"frobnicate a"}, ""});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("trace t, call 1 ('frobnicate a')") != std::string::npos);
  }

  TEST_CASE("close and read use the newest handle opened under the name") {
    const dmcheck::testing::TempDir dir;
    const model::Config config = conformance::universe();
    auto fixtures = conformance::Fixtures::make(config, dir.path.string());
    REQUIRE(fixtures);
    auto p = conformance::predict(
        config, *fixtures,
        {"t",
         {"create a --table lin0", "open a", "open a", "read a", "close a", "close a", "close a"},
         ""});
    REQUIRE(p);
    REQUIRE(p->steps.size() == 7);
    CHECK(p->steps[1].request["handle"] == 0);
    CHECK(p->steps[2].request["handle"] == 1);
    CHECK(p->steps[3].request["handle"] == 1);
    CHECK(p->steps[4].request["handle"] == 1);
    CHECK(p->steps[5].request["handle"] == 0);
    CHECK(p->steps[6].request["handle"] == -1);  // none left: EBADF
    CHECK(p->steps[6].obs.err == model::kEBADF);
    CHECK(p->steps[3].devices.at(0).open_count == 2);
  }

  TEST_CASE("status and table predictions carry the reduced targets and the inactive flag") {
    const dmcheck::testing::TempDir dir;
    const model::Config config = conformance::universe();
    auto fixtures = conformance::Fixtures::make(config, dir.path.string());
    REQUIRE(fixtures);
    auto p = conformance::predict(config, *fixtures,
                                  {"t",
                                   {"create a --table verbad --readonly", "open a", "read a",
                                    "status a", "load a ver --readonly", "table a --inactive",
                                    "create b --table pool", "status b", "info b"},
                                   ""});
    REQUIRE(p);
    REQUIRE(p->steps.size() == 9);
    CHECK(p->steps[3].targets == "C");
    CHECK(p->steps[3].request["inactive"] == false);
    CHECK(p->steps[5].targets == "verity 2");
    CHECK(p->steps[5].request["inactive"] == true);
    CHECK(p->steps[7].targets == "0/2");
    CHECK(p->steps[8].targets.empty());
  }
}

TEST_SUITE("conformance/uml") {
  TEST_CASE("generated and directed traces agree with the real kernel at every step") {
    const model::Config config = conformance::universe();
    const auto calls = conformance::alphabet();
    std::vector<conformance::Trace> traces = conformance::directed_traces();
    const auto exhaustive = conformance::generate_exhaustive(config, calls, 1);
    const auto random = conformance::generate_random(config, calls, 12, 12, 1);
    REQUIRE(exhaustive);
    REQUIRE(random);
    traces.insert(traces.end(), exhaustive->traces.begin(), exhaustive->traces.end());
    traces.insert(traces.end(), random->traces.begin(), random->traces.end());
    conformance::ConformOptions options;
    options.uml.agent = DMCHECK_AGENT;
    const auto report = conformance::conform(config, traces, options);
    REQUIRE_MESSAGE(report, (report ? "" : report.error().describe()));
    for (const auto* record : report->diverged()) {
      const auto& d = *record->divergence;
      FAIL_CHECK(d.trace << " step " << d.step << " (" << d.call << "): " << d.field << ": model "
                         << d.model << ", kernel " << d.kernel << "; before: " << d.state_before);
    }
    CHECK(report->unrunnable == 0);
    CHECK(report->traces == traces.size());
    CHECK(report->steps >= 200);
    const std::set<std::string> kinds = {"create --table",
                                         "create --notable",
                                         "load",
                                         "clear",
                                         "suspend",
                                         "resume",
                                         "remove",
                                         "remove --deferred",
                                         "remove_all",
                                         "remove_all --deferred",
                                         "message @cancel_deferred_remove",
                                         "message key wipe",
                                         "message key set",
                                         "rename",
                                         "info",
                                         "open",
                                         "close",
                                         "read",
                                         "status",
                                         "status --inactive",
                                         "table",
                                         "table --inactive"};
    for (const std::string& kind : kinds) {
      CHECK_MESSAGE(report->per_step.contains(kind), kind);
    }
    // The failure paths the directed traces exist for were really taken, on both sides.
    auto kernel_saw = [&](const std::string& trace, std::size_t step) {
      for (const auto& r : report->records) {
        if (r.trace.name == trace) {
          REQUIRE(step <= r.steps.size());
          CHECK(r.steps[step - 1].model == r.steps[step - 1].kernel);
          return r.steps[step - 1].kernel;
        }
      }
      FAIL("no trace " << trace);
      return std::string();
    };
    CHECK(kernel_saw("directed-thin-pool-shrink", 6).starts_with("EINVAL"));  // preresume
    CHECK(kernel_saw("directed-thin-pool-shrink", 7).starts_with("0 [SUSPENDED LIVE]"));
    CHECK(kernel_saw("directed-crypt-key-wipe", 4).starts_with("EINVAL"));  // not suspended
    CHECK(kernel_saw("directed-crypt-key-wipe", 7).starts_with("EAGAIN"));
    CHECK(kernel_saw("directed-swap-size-check", 1).starts_with("EINVAL"));  // first table: load
    CHECK(kernel_saw("directed-swap-size-check", 4).starts_with("EINVAL"));  // later: the swap
    CHECK(kernel_saw("directed-verity", 1).starts_with("EINVAL"));           // must be read-only
    CHECK(kernel_saw("directed-verity", 4) == "pattern B");
    CHECK(kernel_saw("directed-verity", 6).starts_with("EINVAL"));  // immutable
    CHECK(kernel_saw("directed-verity", 10) == "EIO");              // replaced by error
    CHECK(kernel_saw("directed-verity", 15) == "EIO");              // wrong root hash
    CHECK(kernel_saw("directed-stacked-live-and-inactive-pin", 4).starts_with("EBUSY"));
    CHECK(kernel_saw("directed-stacked-live-and-inactive-pin", 13).starts_with("EBUSY"));
    CHECK(kernel_saw("directed-deferred-remove-last-close", 10) == "ENXIO");
    // Verity's V and C, and a thin-pool's recorded size, as the kernel printed them.
    CHECK(kernel_saw("directed-verity-status", 2).ends_with("targets V"));
    CHECK(kernel_saw("directed-verity-status", 5).ends_with("targets C"));
    CHECK(kernel_saw("directed-verity-status", 8).ends_with("targets V"));  // inactive
    CHECK(kernel_saw("directed-verity-status", 14).ends_with("targets V"));
    CHECK(kernel_saw("directed-verity-status", 17).ends_with("targets V"));  // loaded again
    CHECK(kernel_saw("directed-verity-status", 21).ends_with("targets C"));
    CHECK(kernel_saw("directed-thin-pool-status", 3).ends_with("targets 0/0"));
    CHECK(kernel_saw("directed-thin-pool-status", 6).ends_with("targets 0/1"));
    CHECK(kernel_saw("directed-thin-pool-status", 8).ends_with("targets 0/1"));
    CHECK(kernel_saw("directed-thin-pool-status", 11).ends_with("targets 0/2"));
    CHECK(kernel_saw("directed-thin-pool-status", 14).starts_with("EINVAL"));
    CHECK(kernel_saw("directed-thin-pool-status", 15).ends_with("targets 0/2"));
    CHECK(report->per_errno.contains("EAGAIN"));  // crypt preresume with its key wiped
    CHECK(report->per_errno.contains("EIO"));     // verity with a wrong root hash
    CHECK(report->per_errno.contains("EBUSY"));
    CHECK(report->per_errno.contains("EINVAL"));
  }
}
