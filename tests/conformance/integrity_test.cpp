/// The host side of integrity observation: the probe filesystems in the fixtures, the probe
/// policy, the mounts planned along a trace, injected failures in traces and predictions, and
/// the comparison of what IPE holds. The guest side runs in the kernel-6.12 tests.

#include <doctest/doctest.h>

#include <fstream>
#include <vector>

#include "conformance/compare.h"
#include "conformance/fixtures.h"
#include "conformance/integrity_policy.h"
#include "conformance/predict.h"
#include "conformance/temp_dir.h"
#include "conformance/trace.h"
#include "conformance/unit_digest.h"
#include "tests/model/seeds.h"

using nlohmann::json;
namespace conformance = dmcheck::conformance;
namespace model = dmcheck::model;
using model::testing::Seed002;

namespace {

model::Config alloc_config() { return model::testing::seed002("6.12", Seed002::alloc_failure); }

struct Made {
  conformance::TempDir dir;
  conformance::Fixtures fixtures;
};

Made make(const model::Config& config) {
  auto dir = conformance::TempDir::make("dmcheck-integrity-test");
  REQUIRE(dir);
  auto fixtures = conformance::Fixtures::make(config, dir->path().string());
  REQUIRE(fixtures);
  return {std::move(*dir), std::move(*fixtures)};
}

std::vector<unsigned char> first_unit(const std::string& file) {
  std::vector<unsigned char> bytes(conformance::kSectorsPerUnit * 512);
  std::ifstream in(file, std::ios::binary);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(in);
  return bytes;
}

const conformance::DeviceView& view(const conformance::StepPrediction& step,
                                    const std::string& name) {
  for (const auto& v : step.devices) {
    if (v.name == name) {
      return v;
    }
  }
  FAIL("no device " << name);
  return step.devices.front();
}

conformance::Trace traced(std::vector<std::string> calls) {
  conformance::Trace t;
  t.name = "t";
  t.calls = std::move(calls);
  return t;
}

}  // namespace

TEST_SUITE("conformance/integrity") {
  TEST_CASE("a disk under verity holds a probe filesystem, known by its digest") {
    const Made m = make(alloc_config());
    const model::Config& config = alloc_config();
    const json known = m.fixtures.known_units();
    std::size_t probed = 0;
    for (std::size_t d = 0; d < config.disks.size(); ++d) {
      const auto bytes = first_unit(m.fixtures.files()[d]);
      const bool under_verity = config.disks[d].name == "disk0" || config.disks[d].name == "disk1";
      CHECK(m.fixtures.has_probe_filesystem(d) == under_verity);
      if (!under_verity) {
        CHECK(bytes.front() == static_cast<unsigned char>(conformance::Fixtures::pattern(d, 0)));
        continue;
      }
      ++probed;
      // ext4's magic number, at byte 56 of the superblock (which starts at 1024).
      CHECK(bytes[1024 + 56] == 0x53);
      CHECK(bytes[1024 + 57] == 0xef);
      const std::string digest =
          std::to_string(conformance::unit_digest(bytes.data(), bytes.size()));
      bool found = false;
      for (const json& unit : known) {
        if (unit["digest"] == digest) {
          found = true;
          CHECK(unit["pattern"] == std::string(1, conformance::Fixtures::pattern(d, 0)));
        }
      }
      CHECK(found);
    }
    CHECK(probed == 2);
    CHECK(known.size() == 2);
  }

  TEST_CASE("the probe filesystems, and so the root hashes, are the same in every set") {
    const Made a = make(alloc_config());
    const Made b = make(alloc_config());
    CHECK(a.fixtures.root_hashes() == b.fixtures.root_hashes());
    CHECK(a.fixtures.known_units() == b.fixtures.known_units());
    std::set<int> ids;
    for (const auto& [hex, id] : a.fixtures.root_hashes()) {
      CHECK(hex.size() == 64);
      ids.insert(id);
    }
    CHECK(ids == std::set<int>{1, 2, 3});  // ver_bad has root hash 3
  }

  TEST_CASE("the probe policy denies executing from each root hash and allows the rest") {
    const Made m = make(alloc_config());
    const std::string policy = conformance::probe_policy(m.fixtures);
    CHECK(
        policy.starts_with("policy_name=dmcheck_probe policy_version=0.0.1\n"
                           "DEFAULT action=ALLOW\n"));
    for (const auto& [hex, id] : m.fixtures.root_hashes()) {
      CHECK(policy.find("op=EXECUTE dmverity_roothash=sha256:" + hex + " action=DENY\n") !=
            std::string::npos);
    }
  }

  TEST_CASE("the probe mounts a verity device and predicts what IPE holds for it") {
    const model::Config config = alloc_config();
    const Made m = make(config);
    auto p = conformance::predict(
        config, m.fixtures, traced({"load v ver2 --readonly", "resume v", "suspend v", "remove v"}),
        true);
    REQUIRE(p);
    REQUIRE(p->unrunnable.empty());
    REQUIRE_FALSE(p->setup.empty());
    CHECK(p->setup.back().request["mount"] == json::array({"v"}));
    CHECK(view(p->steps[0], "v").integrity == "root hash 1");  // a load hands nothing over
    CHECK(view(p->steps[1], "v").integrity == "root hash 2");  // the resume's preresume does
    CHECK(view(p->steps[2], "v").integrity == "root hash 2");  // held while suspended
    CHECK(p->steps[3].request["release"] == json::array({"v"}));
    for (const auto& step : p->steps) {
      CHECK_FALSE(step.request.contains("mount"));  // mounted once, at setup
    }
    auto without = conformance::predict(config, m.fixtures, traced({"resume v"}), false);
    REQUIRE(without);
    CHECK(view(without->steps[0], "v").integrity.empty());
    CHECK_FALSE(without->setup.back().request.contains("mount"));
  }

  TEST_CASE("an injected allocation failure is the model's ENOMEM, new table live, old hash") {
    const model::Config config = alloc_config();
    const Made m = make(config);
    conformance::Trace t = traced({"load v ver2 --readonly", "resume v", "resume v"});
    t.injections = {{1, conformance::kIntegrityAllocFailure, 2}};
    auto p = conformance::predict(config, m.fixtures, t, true);
    REQUIRE(p);
    REQUIRE(p->unrunnable.empty());
    CHECK(p->steps[1].request["inject_allocation"] == 2);
    REQUIRE(p->steps[1].injected.has_value());
    CHECK(*p->steps[1].injected);
    CHECK(p->steps[1].obs.err == model::kENOMEM);
    const auto& failed = view(p->steps[1], "v");
    CHECK((failed.flags & model::kReplySuspended) != 0);
    CHECK(failed.live == m.fixtures.signature("ver2", ""));
    CHECK(failed.integrity == "root hash 1");
    // The next resume is not injected: it succeeds and hands over the new hash.
    CHECK_FALSE(p->steps[2].injected.has_value());
    CHECK(p->steps[2].obs.err == model::kOk);
    CHECK(view(p->steps[2], "v").integrity == "root hash 2");

    auto refused = conformance::predict(config, m.fixtures, t, false);
    REQUIRE(refused);
    CHECK(refused->unrunnable.find("needs a kernel with the integrity probe") != std::string::npos);
  }

  TEST_CASE("an injection into a call that never reaches the hook is predicted as not reached") {
    const model::Config config = alloc_config();
    const Made m = make(config);
    conformance::Trace t = traced({"load v err", "resume v"});
    t.injections = {{1, conformance::kIntegrityAllocFailure, 1}};
    auto p = conformance::predict(config, m.fixtures, t, true);
    REQUIRE(p);
    REQUIRE(p->steps[1].injected.has_value());
    CHECK_FALSE(*p->steps[1].injected);
    CHECK(p->steps[1].obs.err == model::kOk);
    // The error table is live and IPE keeps the verity table's hash.
    CHECK(view(p->steps[1], "v").live == m.fixtures.signature("err", ""));
    CHECK(view(p->steps[1], "v").integrity == "root hash 1");
  }

  TEST_CASE("remove_all lets go of every mount; a suspended device is not mounted") {
    const model::Config config = alloc_config();
    const Made m = make(config);
    auto p = conformance::predict(
        config, m.fixtures,
        traced({"remove_all", "create w --table ver1 --readonly", "suspend w", "resume w"}), true);
    REQUIRE(p);
    CHECK(p->steps[0].request["release"] == json::array({"*"}));
    CHECK(p->steps[1].request["mount"] == json::array({"w"}));
    CHECK(view(p->steps[2], "w").integrity == "root hash 1");
    CHECK_FALSE(p->steps[3].request.contains("mount"));
  }

  TEST_CASE("a device left suspended by a failed first resume is mounted only once resumed") {
    const model::Config config = alloc_config();
    const Made m = make(config);
    conformance::Trace t = traced({"remove v", "create w --notable", "load w ver1 --readonly",
                                   "resume w", "resume w", "load w ver2 --readonly", "resume w"});
    t.injections = {{3, conformance::kIntegrityAllocFailure, 1}};
    auto p = conformance::predict(config, m.fixtures, t, true);
    REQUIRE(p);
    CHECK(p->steps[0].request["release"] == json::array({"v"}));
    CHECK((view(p->steps[3], "w").flags & model::kReplySuspended) != 0);
    CHECK_FALSE(p->steps[3].request.contains("mount"));
    CHECK(view(p->steps[3], "w").integrity.empty());  // not probed
    CHECK(p->steps[4].request["mount"] == json::array({"w"}));
    CHECK(view(p->steps[4], "w").integrity == "root hash 1");
    CHECK(view(p->steps[6], "w").integrity == "root hash 2");
  }

  TEST_CASE("what IPE holds is compared like any other field") {
    const json device = {{"name", "v"},
                         {"errno", 0},
                         {"flags", 0},
                         {"open_count", 0},
                         {"live", json::array()},
                         {"integrity", {{"root_hash", 1}}}};
    const json same = {{"op", "resume"}, {"errno", 0}, {"devices", json::array({device})}};
    const auto kernel = conformance::kernel_devices(same);
    REQUIRE(kernel.size() == 1);
    CHECK(kernel[0].integrity == "root hash 1");
    conformance::StepPrediction p;
    p.call = "resume v";
    p.parsed = *model::parse_call("resume v");
    p.devices = kernel;
    CHECK_FALSE(conformance::compare_step(p, same));

    const auto differs = [&](json integrity) {
      json seen = same;
      if (integrity.is_null()) {
        seen["devices"][0].erase("integrity");
      } else {
        seen["devices"][0]["integrity"] = integrity;
      }
      auto d = conformance::compare_step(p, seen);
      REQUIRE(d);
      CHECK(d->field == "device v: integrity");
      CHECK(d->model == "root hash 1");
      return d->kernel;
    };
    CHECK(differs({{"root_hash", 2}}) == "root hash 2");
    CHECK(differs({{"root_hash", 0}}) == "none");
    CHECK(differs(nullptr) == "not probed");
    CHECK(differs({{"probe_error", "cannot mount"}}) == "probe failed: cannot mount");
    CHECK(differs({{"root_hash_hex", "ab"}}) == "root hash sha256:ab (not one of the fixtures')");
  }

  TEST_CASE("whether an injected failure happened is compared") {
    conformance::StepPrediction p;
    p.call = "resume v";
    p.parsed = *model::parse_call("resume v");
    p.injected = true;
    p.obs.err = model::kENOMEM;
    const json seen = {
        {"op", "resume"}, {"errno", 12}, {"injected", false}, {"devices", json::array()}};
    auto d = conformance::compare_step(p, seen);
    REQUIRE(d);
    CHECK(d->field == "injected failure");
    CHECK(d->model == "injected");
    CHECK(d->kernel == "not reached");
    json happened = seen;
    happened["injected"] = true;
    CHECK_FALSE(conformance::compare_step(p, happened));
  }
}

TEST_SUITE("conformance/trace") {
  TEST_CASE("a trace's injected failures are written and read back") {
    conformance::Trace t = traced({"load v ver2 --readonly", "resume v"});
    t.injections = {{1, conformance::kIntegrityAllocFailure, 3}};
    const json written = conformance::to_json(t);
    CHECK(written["inject"] ==
          json::array({{{"call", 2}, {"failure", "integrity_alloc"}, {"allocation", 3}}}));
    auto read = conformance::trace_from_json(written, "t.json");
    REQUIRE(read);
    CHECK(read->injections == t.injections);
    CHECK(conformance::call_label(*read, 1) == "resume v [integrity_alloc fails, allocation 3]");
    CHECK(conformance::call_label(*read, 0) == "load v ver2 --readonly");
  }

  TEST_CASE("a malformed injection is refused, naming where") {
    json bad = conformance::to_json(traced({"resume v"}));
    bad["inject"] = json::array({{{"call", 1}, {"failure", "integrity_alloc"}, {"allocation", 4}}});
    auto read = conformance::trace_from_json(bad, "t.json");
    REQUIRE_FALSE(read);
    CHECK(read.error().message.find("$.inject[0].allocation") != std::string::npos);
    bad["inject"] = json::array({{{"call", 2}, {"failure", "integrity_alloc"}, {"allocation", 1}}});
    read = conformance::trace_from_json(bad, "t.json");
    REQUIRE_FALSE(read);
    CHECK(read.error().message.find("$.inject[0].call") != std::string::npos);
    bad["inject"] = json::array({{{"call", 1}, {"failure", "swap_size"}, {"allocation", 1}}});
    read = conformance::trace_from_json(bad, "t.json");
    REQUIRE_FALSE(read);
    CHECK(read.error().message.find("$.inject[0].failure") != std::string::npos);
  }
}
