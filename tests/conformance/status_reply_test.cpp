/// Which replies carry the device's status: the model's rule (model::replies_with_status), the
/// replies the model actually gives, and how conformance reads a kernel's reply must agree for
/// every call, or a comparison would show or hide an open count the model never predicted.

#include <doctest/doctest.h>
#include <linux/dm-ioctl.h>

#include <cerrno>
#include <string>
#include <utility>
#include <vector>

#include "conformance/compare.h"
#include "tests/model/fixtures.h"

using nlohmann::json;
namespace conformance = dmcheck::conformance;
namespace model = dmcheck::model;
using model::Op;

namespace {

/// The last call the model knows; the test walks every call up to it.
constexpr Op kLastOp = Op::thin_message;

/// Programs whose last call is `op` and succeeds on the model tests' base configuration (the
/// variant named first). No default: a new call must be given its programs here.
std::pair<std::string, std::vector<std::vector<std::string>>> ending_in(Op op) {
  switch (op) {
    case Op::create:
      return {"6.1", {{"create a --notable"}, {"create a --table lin0 --uuid U1"}}};
    case Op::load:
      return {"6.1", {{"create a --notable", "load a lin0"}}};
    case Op::clear:
      return {"6.1", {{"create a --table lin0", "load a zero", "clear a"}}};
    case Op::suspend:
      return {"6.1", {{"create a --table lin0", "suspend a"}}};
    case Op::resume:
      return {"6.1",
              {{"create a --table lin0", "suspend a", "resume a"},
               {"create a --table lin0", "resume a"}}};
    case Op::remove:
      return {"6.1",
              {{"create a --notable", "remove a"},
               {"create a --table lin0", "open a", "remove a --deferred"}}};
    case Op::remove_all:
      return {"6.1", {{"create a --notable", "remove_all"}}};
    case Op::cancel_deferred:
      return {"6.1",
              {{"create a --table lin0", "open a", "remove a --deferred",
                "message a 0 @cancel_deferred_remove"}}};
    case Op::crypt_key:
      return {"6.1",
              {{"create a --table crypt", "suspend a", "message a 0 key wipe"},
               {"create a --table crypt", "suspend a", "message a 0 key set"}}};
    case Op::rename:
      return {"6.1", {{"create a --notable", "rename a b"}}};
    case Op::info:
      return {"6.1", {{"create a --table lin0", "info a"}}};
    case Op::open:
      return {"6.1", {{"create a --table lin0", "open a"}}};
    case Op::close:
      return {"6.1", {{"create a --table lin0", "open a", "close a"}}};
    case Op::read:
      return {"6.1", {{"create a --table zero", "open a", "read a"}}};
    case Op::set_open_limit:
      return {"6.1+open-limit-ioctl", {{"create a --table lin0", "set_open_limit a 2"}}};
    case Op::write:
      return {"6.1",
              {{"create a --table lin0", "open a", "write a"},
               {"create a --table lin0", "open a", "write a x --all"}}};
    case Op::status:
      return {"6.1", {{"create a --table lin0", "status a"}, {"create a --notable", "status a"}}};
    case Op::table:
      return {"6.1", {{"create a --table lin0", "load a zero", "table a --inactive"}}};
    case Op::thin_message:
      return {
          "6.1",
          {{"create a --table pool4", "message a 0 create_thin 0"},
           {"create a --table pool4", "message a 0 create_thin 0", "message a 0 create_snap 1 0"},
           {"create a --table pool4", "message a 0 create_thin 0", "message a 0 delete 0"}}};
  }
  return {};
}

/// A kernel's successful reply to `op` with a status: a live table and three opens.
json kernel_reply(Op op) {
  return {{"op", std::string(model::to_string(op))},
          {"errno", 0},
          {"flags", DM_ACTIVE_PRESENT_FLAG},
          {"open_count", 3},
          {"devices", json::array()}};
}

}  // namespace

TEST_SUITE("conformance/status reply") {
  TEST_CASE("the model has no call past the last one this test walks") {
    CHECK(model::to_string(static_cast<Op>(static_cast<int>(kLastOp) + 1)) == "?");
  }

  TEST_CASE("for every call, the rule, the model's replies and the kernel side agree") {
    int programs = 0;
    for (int i = 0; i <= static_cast<int>(kLastOp); ++i) {
      const Op op = static_cast<Op>(i);
      const auto [variant, cases] = ending_in(op);
      CAPTURE(model::to_string(op));
      REQUIRE_FALSE(cases.empty());
      for (const auto& steps : cases) {
        CAPTURE(steps.back());
        const auto r = model::testing::run(model::testing::base_config(variant), steps);
        REQUIRE(r.steps.size() == steps.size());
        REQUIRE(r.steps.back().obs.err == model::kOk);
        REQUIRE(model::parse_call(steps.back())->op == op);
        const bool model_replies = (r.steps.back().obs.flags & model::kReplyStatus) != 0;
        CHECK(model::replies_with_status(op) == model_replies);
        const std::string kernel_side = conformance::describe_outcome(kernel_reply(op), op);
        CHECK((kernel_side.find(" open=3") != std::string::npos) == model_replies);
        CHECK((conformance::describe_outcome(r.steps.back().obs).find(" open=") !=
               std::string::npos) == model_replies);
        ++programs;
      }
    }
    CHECK(programs == 27);  // every case above ran
  }

  TEST_CASE("a failed call's reply shows no status, whatever the call") {
    for (int i = 0; i <= static_cast<int>(kLastOp); ++i) {
      const Op op = static_cast<Op>(i);
      json reply = kernel_reply(op);
      reply["errno"] = ENXIO;
      CAPTURE(model::to_string(op));
      CHECK(conformance::describe_outcome(reply, op).find(" open=") == std::string::npos);
    }
  }
}
