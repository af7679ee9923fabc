// Data through the model: writes read back, linear offsets, tables of several targets,
// whole-device reads, what refuses a write, and suspends waiting for writes in flight.

#include "tests/model/fixtures.h"

namespace dmcheck::model::testing {
namespace {

constexpr std::uint8_t disk_unit(std::size_t disk, std::size_t unit) {
  return static_cast<std::uint8_t>(kReadDisk + disk * kMaxDiskUnits + unit);
}

constexpr std::uint8_t written(char letter) {
  return static_cast<std::uint8_t>(kReadWritten + (letter - 'a'));
}

Target at(std::string onto, std::uint8_t offset, std::uint8_t length) {
  Target t = linear(std::move(onto), length);
  t.offset = offset;
  return t;
}

/// Disks d0, d1 (2 units) and big (8 units); tables lin0, lin1 (whole disks), off0 (d0's second
/// unit), offlong (past d0's end), mix (d1's second unit, then zeros), ver (verity over d1),
/// far (big's fifth unit), wide (5 units), pool (a thin-pool over d0), onto_a (onto device a).
Config data_config() {
  Config c;
  c.variant = *parse_variant("6.1");
  c.disks = {{"d0", 2}, {"d1", 2}, {"big", 8}};
  Target ver = verity(1, false, "d1");
  ver.length = 2;
  Target zero = of_kind(TargetKind::zero);
  Target wide = of_kind(TargetKind::zero);
  wide.length = 5;
  Target pool_d0 = of_kind(TargetKind::thin_pool, "d0");
  pool_d0.length = 2;
  c.tables = {{"lin0", {linear("d0", 2)}},
              {"lin1", {linear("d1", 2)}},
              {"off0", {at("d0", 1, 1)}},
              {"offlong", {at("d0", 1, 2)}},
              {"mix", {at("d1", 1, 1), zero}},
              {"ver", {ver}},
              {"far", {at("big", 4, 1)}},
              {"wide", {wide}},
              {"pool", {pool_d0}},
              {"onto_a", {linear("a", 2)}},
              {"zero", {zero}},
              {"err", {of_kind(TargetKind::error)}}};
  c.extra_names = {"a", "b", "v"};
  return c;
}

const Observation& last(const SequentialRun& r) { return r.steps.back().obs; }

}  // namespace

TEST_SUITE("model/data") {
  TEST_CASE("a write is what later reads return, unit by unit, through any offset") {
    auto r = run(data_config(),
                 {"create a --table lin0", "open a", "read a --all", "write a", "read a --all",
                  "create b --table off0", "open b", "read b", "write b x --all", "read a --all"});
    CHECK_ERRNOS(r, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    CHECK(r.steps[2].obs.data == disk_unit(0, 0));
    CHECK(r.steps[2].obs.more[0] == disk_unit(0, 1));
    CHECK(r.steps[2].obs.more[1] == kReadNothing);
    CHECK(r.steps[4].obs.data == written('w'));
    CHECK(r.steps[4].obs.more[0] == disk_unit(0, 1));
    CHECK(r.steps[7].obs.data == disk_unit(0, 1));  // b starts at d0's second unit
    CHECK(last(r).data == written('w'));
    CHECK(last(r).more[0] == written('x'));
  }

  TEST_CASE("a table of several targets: each unit through its own target") {
    auto r =
        run(data_config(), {"create a --table mix", "open a", "read a --all", "write a y --all",
                            "read a --all", "create b --table lin1", "open b", "read b --all"});
    CHECK_ERRNOS(r, {0, 0, 0, 0, 0, 0, 0, 0});
    CHECK(r.steps[2].obs.data == disk_unit(1, 1));
    CHECK(r.steps[2].obs.more[0] == kReadZeros);
    CHECK(r.steps[4].obs.data == written('y'));
    CHECK(r.steps[4].obs.more[0] == kReadZeros);  // dm-zero dropped its unit's write
    CHECK(last(r).data == disk_unit(1, 0));
    CHECK(last(r).more[0] == written('y'));
  }

  TEST_CASE("writes refused: read-only, no room, error target, no handle; zero drops them") {
    auto r = run(
        data_config(),
        {"write a", "create v --table ver --readonly", "open v", "write v", "create a --notable",
         "load a lin0", "open a", "write a", "read a --all", "create b --table err", "open b",
         "write b --all", "read b --all", "create z --table zero", "open z", "write z", "read z"});
    CHECK_ERRNOS(r, {kEBADF, 0, 0, kEPERM, 0, 0, 0, kENOSPC, 0, 0, 0, kEIO, kEIO, 0, 0, 0, 0});
    CHECK(r.steps[8].obs.data == kReadEmpty);
    CHECK(r.steps[12].obs.data == kReadEio);
    CHECK(last(r).data == kReadZeros);
  }

  TEST_CASE("verity fails a read of data its hash tree was not built over, and every write") {
    auto r = run(data_config(), {"create v --table ver --readonly", "open v", "read v --all",
                                 "create a --table lin1", "open a", "write a z", "read v --all"});
    CHECK_ERRNOS(r, {0, 0, 0, 0, 0, 0, kEIO});
    CHECK(r.steps[2].obs.data == disk_unit(1, 0));
    CHECK(r.steps[6].obs.data == kReadEio);
    CHECK(r.steps[6].obs.more[0] == disk_unit(1, 1));
  }

  TEST_CASE("a write through a stacked device lands on the disk below the lower device") {
    auto r = run(data_config(), {"create a --table lin1", "create b --table onto_a", "open b",
                                 "write b q --all", "open a", "read a --all"});
    CHECK_ERRNOS(r, {0, 0, 0, 0, 0, 0});
    CHECK(last(r).data == written('q'));
    CHECK(last(r).more[0] == written('q'));
  }

  TEST_CASE("a linear target past its disk's end fails the size check, offset included") {
    auto r = run(data_config(), {"create a --table offlong", "create a --table off0"});
    CHECK_ERRNOS(r, {kEINVAL, 0});
  }

  TEST_CASE("past the data the model tracks, a run stops with a named bound") {
    auto r = run(data_config(), {"create a --table far", "open a", "read a"});
    CHECK(r.bound.find("disk-unit bound") != std::string::npos);
    CHECK(r.bound_call == 2);
    r = run(data_config(), {"create a --table far", "open a", "write a"});
    CHECK(r.bound.find("disk-unit bound") != std::string::npos);
    r = run(data_config(), {"create a --table wide", "open a", "read a", "read a --all"});
    CHECK(r.bound.find("read-length bound") != std::string::npos);
    CHECK(r.bound_call == 3);
  }

  TEST_CASE("a suspend waits for a write in flight; a noflush pool suspend requeues it") {
    Config c = data_config();
    c.devices = {{"a", "", "lin0", false, 0, 0, "", false}};
    c.processes = {process("writer", {"open a", "write a", "close a"}),
                   process("admin", {"suspend a", "resume a"})};
    const auto model = build(c);
    // The admin's suspend has returned (it is at its resume) only once no write is in flight.
    CHECK(reachable(model, [](const State& s) {
      return s.processes[1].phase == kSuspendWait && s.processes[0].phase == kIoInflight;
    }));
    CHECK_FALSE(reachable(model, [](const State& s) {
      return s.processes[1].pc == 1 && s.processes[1].phase == kBetweenCalls &&
             s.processes[0].phase == kIoInflight;
    }));
    // The data is on the disk in every end state.
    for (const State& s : end_states(model)) {
      CHECK(s.disk_data[0] == 'w' - 'a' + 1);
    }
    c.devices = {{"a", "", "pool", false, 0, 0, "", false}};
    c.processes[1] = process("admin", {"suspend a --noflush", "resume a"});
    const auto pool = build(c);
    CHECK(reachable(pool, [](const State& s) {
      return s.processes[1].pc == 1 && s.processes[1].phase == kBetweenCalls &&
             s.processes[0].phase == kIoQueued;
    }));
  }

  TEST_CASE("written data and whole reads' units tell states apart only where a call has them") {
    Config c = data_config();
    c.devices = {{"a", "", "lin0", false, 0, 0, "", false}};
    c.processes = {process("p", {"open a", "choose { write a x | write a y }", "close a"})};
    const auto model = build(c);
    // The two writes end in two states that differ only in the disk's data.
    CHECK(end_states(model).size() == 2);
    State s = model.initial_states().front();
    unsigned char bytes[sizeof(State)];
    const std::size_t without = model.pack(s, bytes);
    c.processes = {process("p", {"open a", "read a", "close a"})};
    const std::size_t reads = build(c).pack(s, bytes);
    CHECK(reads + 3 * kMaxDiskUnits == without);  // three disks
    c.processes = {process("p", {"open a", "read a --all", "close a"})};
    CHECK(build(c).pack(s, bytes) == reads + sizeof(Observation::more));
  }

  TEST_CASE("steps: write and --all parse and print back") {
    for (const std::string text : {"write a", "write a x", "write a x --all", "read a --all"}) {
      auto call = parse_call(text);
      REQUIRE(call.has_value());
      CHECK(to_string(*call) == (text == "write a" ? "write a w" : text));
    }
    CHECK_FALSE(parse_call("write a X").has_value());
    CHECK_FALSE(parse_call("write a xy").has_value());
    CHECK_FALSE(parse_call("open a --all").has_value());
    CHECK(parse_call("write a 7").error().message.find("one letter a to z") != std::string::npos);
  }

  TEST_CASE("config: an offset only on linear, and within the units the model numbers") {
    Config c = data_config();
    Target zero = of_kind(TargetKind::zero);
    zero.offset = 1;
    c.tables.push_back({"zoff", {zero}});
    CHECK_FALSE(validate(c).has_value());
    c = data_config();
    c.tables.push_back({"huge", {at("d0", 200, 100)}});
    auto checked = validate(c);
    REQUIRE_FALSE(checked.has_value());
    CHECK(checked.error().message.find("past unit 255") != std::string::npos);
  }
}

}  // namespace dmcheck::model::testing
