// Thin devices and thin-pool messages, as dm-thin and dm-thin-metadata decide: the messages'
// errnos, what a thin table needs, provisioning on write, snapshots sharing blocks until a write
// breaks the sharing, the pool's used-block count, and where the model says it cannot decide.

#include <cstring>

#include "model/target_status.h"
#include "tests/model/fixtures.h"

namespace dmcheck::model::testing {
namespace {

constexpr std::uint8_t written(char letter) {
  return static_cast<std::uint8_t>(kReadWritten + (letter - 'a'));
}

Target thin(std::uint32_t id, std::uint8_t length = 2, std::string pool = "p") {
  Target t = of_kind(TargetKind::thin, std::move(pool));
  t.thin_id = id;
  t.length = length;
  return t;
}

/// A pool of `blocks` blocks on data disk d0 (device p), thins t0 and t1 (ids 0 and 1), raw
/// (linear over d0, to see where blocks land), and a linear table for a device that is no pool.
Config thin_config(std::uint8_t blocks = 3, Variant variant = *parse_variant("6.1")) {
  Config c;
  c.variant = variant;
  c.disks = {{"d0", 8}, {"d1", 2}};
  Target pool = of_kind(TargetKind::thin_pool, "d0");
  pool.length = blocks;
  c.tables = {{"pool", {pool}},          {"t0", {thin(0)}},          {"t1", {thin(1)}},
              {"t7", {thin(7)}},         {"lin", {linear("d1", 2)}}, {"onlin", {thin(0, 2, "l")}},
              {"raw", {linear("d0", 4)}}};
  c.extra_names = {"p", "a", "b", "l", "r"};
  return c;
}

const Observation& last(const SequentialRun& r) { return r.steps.back().obs; }

/// A device live before the run with `table`.
DeviceSpec device(std::string name, std::string table) {
  DeviceSpec d;
  d.name = std::move(name);
  d.table = std::move(table);
  return d;
}

}  // namespace

TEST_SUITE("model/thin") {
  TEST_CASE("a pool's metadata is in a packed state only where the config has a pool") {
    Config c = thin_config();
    c.processes = {process("u", {"create p --table pool", "message p 0 create_thin 0",
                                 "create a --table t0", "open a", "write a x", "close a"})};
    const DmModel model = build(c);
    bool provisioned = false;
    search_reachable(model, [&](const State& s, bool) {
      unsigned char packed[sizeof(State)];
      const std::size_t size = model.pack(s, packed);
      State back;
      std::memset(static_cast<void*>(&back), 0xA5, sizeof(back));  // unpack writes every byte
      model.unpack(packed, size, back);
      CHECK(std::memcmp(&back, &s, sizeof(State)) == 0);
      provisioned = provisioned || s.pools[0].blocks[0] != 0;
      return false;
    });
    CHECK(provisioned);
    unsigned char bytes[sizeof(State)];
    const State initial = model.initial_states().front();
    const std::size_t with_pool = model.pack(initial, bytes);
    c.tables = {{"lin", {linear("d1", 2)}}};
    c.processes = {process("u", {"create a --table lin", "open a", "write a x", "close a"})};
    CHECK(build(c).pack(initial, bytes) + sizeof(PoolMetadata) == with_pool);
  }

  TEST_CASE("messages: create_thin, create_snap and delete, with EEXIST and ENODATA") {
    auto r = run(thin_config(),
                 {"create p --table pool", "message p 0 create_thin 0", "message p 0 create_thin 0",
                  "message p 0 create_snap 1 7", "message p 0 create_snap 1 0",
                  "message p 0 create_snap 1 0", "message p 0 delete 7", "message p 0 delete 1",
                  "message p 0 delete 1"});
    CHECK_ERRNOS(r, {0, 0, kEEXIST, kENODATA, 0, kEEXIST, kENODATA, 0, kENODATA});
  }

  TEST_CASE("a message needs a live thin-pool target") {
    auto r = run(thin_config(),
                 {"message p 0 create_thin 0", "create l --table lin", "message l 0 create_thin 0",
                  "create p --notable", "message p 0 create_thin 0"});
    CHECK_ERRNOS(r, {kENXIO, 0, kEINVAL, 0, 0});  // 6.1: no live table, nothing done
    auto later = run(thin_config(3, *parse_variant("6.12")),
                     {"create p --notable", "message p 0 create_thin 0"});
    CHECK_ERRNOS(later, {0, kEINVAL});
  }

  TEST_CASE("a thin table: its pool object, its id, a resumed pool, in the kernel's order") {
    auto r = run(thin_config(),
                 {"create l --table lin", "create a --table onlin",  // l has no pool: EINVAL
                  "create p --notable", "load p pool",               // a pool, not resumed
                  "create b --notable", "load b t0",                 // no id 0 yet: ENODATA
                  "resume p", "message p 0 create_thin 0", "suspend p",
                  "load b t0",  // the pool is suspended: EINVAL
                  "resume p", "load b t0", "resume b"});
    CHECK_ERRNOS(r, {0, kEINVAL, 0, 0, 0, kENODATA, 0, 0, 0, kEINVAL, 0, 0, 0});
  }

  TEST_CASE("deleting a thin some table uses fails with EBUSY, live or inactive") {
    auto r = run(thin_config(),
                 {"create p --table pool", "message p 0 create_thin 0", "create a --notable",
                  "load a t0", "message p 0 delete 0", "clear a", "message p 0 delete 0"});
    CHECK_ERRNOS(r, {0, 0, 0, 0, kEBUSY, 0, 0});
    auto live = run(thin_config(), {"create p --table pool", "message p 0 create_thin 0",
                                    "create a --table t0", "message p 0 delete 0", "remove p",
                                    "remove a", "message p 0 delete 0", "remove p"});
    CHECK_ERRNOS(live, {0, 0, 0, kEBUSY, kEBUSY, 0, 0, 0});
  }

  TEST_CASE("unprovisioned blocks read zeros; a write provisions the lowest free block") {
    auto r = run(thin_config(),
                 {"create p --table pool", "message p 0 create_thin 0", "message p 0 create_thin 1",
                  "create a --table t0", "create b --table t1", "open a", "open b", "read a --all",
                  "write b x", "write a y --all", "read a --all", "read b --all", "status p",
                  "status a", "status b", "create r --table raw", "open r", "read r --all"});
    CHECK_ERRNOS(r, (18, 0));
    CHECK(r.steps[7].obs.data == kReadZeros);
    CHECK(r.steps[10].obs.data == written('y'));
    CHECK(r.steps[10].obs.more[0] == written('y'));
    CHECK(r.steps[11].obs.data == written('x'));
    CHECK(r.steps[11].obs.more[0] == kReadZeros);
    CHECK(target_reply_text(r.steps[12].obs) == "3/3");
    CHECK(target_reply_text(r.steps[13].obs) == "2");
    CHECK(target_reply_text(r.steps[14].obs) == "1");
    // Blocks in allocation order: b's unit 0, then a's units 0 and 1; the fourth is the disk's.
    CHECK(last(r).data == written('x'));
    CHECK(last(r).more[0] == written('y'));
    CHECK(last(r).more[1] == written('y'));
    CHECK(last(r).more[2] == static_cast<std::uint8_t>(kReadDisk + 3));
  }

  TEST_CASE("a full pool fails the write with ENOSPC; a delete gives the blocks back") {
    auto r = run(thin_config(2),
                 {"create p --table pool", "message p 0 create_thin 0", "message p 0 create_thin 1",
                  "create a --table t0", "open a", "write a --all", "create b --table t1", "open b",
                  "write b", "close a", "remove a", "message p 0 delete 0", "write b", "status p"});
    CHECK_ERRNOS(r, {0, 0, 0, 0, 0, 0, 0, 0, kENOSPC, 0, 0, 0, 0, 0});
    CHECK(target_reply_text(last(r)) == "1/2");
  }

  TEST_CASE("a snapshot shares its origin's blocks until a write moves them") {
    auto r =
        run(thin_config(),
            {"create p --table pool", "message p 0 create_thin 0", "create a --table t0", "open a",
             "write a x", "message p 0 create_snap 1 0", "create b --table t1", "open b", "read b",
             "status p", "write a y", "read a", "read b", "status p", "write b z", "status p"});
    CHECK_ERRNOS(r, (16, 0));
    CHECK(r.steps[8].obs.data == written('x'));  // the snapshot sees the origin's block
    CHECK(target_reply_text(r.steps[9].obs) == "1/3");
    CHECK(r.steps[11].obs.data == written('y'));
    CHECK(r.steps[12].obs.data == written('x'));  // the origin's write went to a new block
    CHECK(target_reply_text(r.steps[13].obs) == "2/3");
    // The snapshot's mapping is still marked shared: its write moves it too, and the old
    // block, freed, is not taken again before the pool commits.
    CHECK(target_reply_text(last(r)) == "2/3");
  }

  TEST_CASE("an allocation that depends on the pool's commit timing stops with a named bound") {
    auto r = run(thin_config(2),
                 {"create p --table pool", "message p 0 create_thin 0", "create a --table t0",
                  "open a", "write a x", "message p 0 create_snap 1 0", "write a y",
                  "message p 0 delete 1", "message p 0 create_snap 1 0", "write a z"});
    // After the delete commits, the freed block is free: z's block is the first one again.
    CHECK_ERRNOS(r, (10, 0));
    auto timing = run(thin_config(3),
                      {"create p --table pool", "message p 0 create_thin 0", "create a --table t0",
                       "open a", "write a x", "message p 0 create_snap 1 0", "create b --table t1",
                       "open b", "write a y", "write b z", "write a --all"});
    CHECK(timing.bound.find("commit") != std::string::npos);
    CHECK(timing.bound_call == 10);
  }

  TEST_CASE("a pool's suspend internally suspends its thins, and its resume resumes them") {
    auto r = run(thin_config(),
                 {"create p --table pool", "message p 0 create_thin 0", "create a --table t0",
                  "message p 0 create_thin 1", "create b --notable", "load b t1", "suspend p",
                  "info a", "resume p", "open a", "read a", "suspend a", "resume a", "info b"});
    CHECK_ERRNOS(r, (14, 0));
    const Device& a = r.final_state.devices[1];
    CHECK(a.internal_suspend_count == 0);
    CHECK((a.flags & (kSuspendedInternally | kBlockIo)) == 0);
    // While the pool is suspended the thins hold I/O: a read waits, and so does a user suspend.
    auto held = run(thin_config(), {"create p --table pool", "message p 0 create_thin 0",
                                    "create a --table t0", "open a", "suspend p", "read a"});
    CHECK(held.blocked);
    const Device& thin = held.final_state.devices[1];
    CHECK(thin.internal_suspend_count == 1);
    CHECK((thin.flags & kSuspendedInternally) != 0);
    CHECK((thin.flags & kSuspended) == 0);  // info shows it running
    auto user = run(thin_config(), {"create p --table pool", "message p 0 create_thin 0",
                                    "create a --table t0", "suspend p", "suspend a"});
    CHECK(user.blocked);
  }

  TEST_CASE("a pool's table replaced by another type under its thins stops with a named bound") {
    Config c = thin_config();
    c.tables.push_back({"err", {of_kind(TargetKind::error)}});
    auto r = run(c, {"create p --table pool", "message p 0 create_thin 0", "create a --table t0",
                     "load p err", "resume p"});
    CHECK(r.bound.find("thin-pool table would be replaced") != std::string::npos);
    CHECK(r.bound_call == 4);
    auto idle = run(c, {"create p --table pool", "load p err", "resume p", "info p"});
    CHECK_ERRNOS(idle, {0, 0, 0, 0});
  }

  TEST_CASE("a thin table destroyed under a suspended pool leaves its device suspended") {
    auto r = run(thin_config(),
                 {"create p --table pool", "message p 0 create_thin 0", "create a --notable",
                  "load a t0", "suspend p", "clear a", "resume p", "info a"});
    CHECK_ERRNOS(r, (8, 0));
    CHECK(r.final_state.devices[1].internal_suspend_count == 1);
  }

  TEST_CASE("config checks: thin onto a disk, too many ids, an initial thin's pool") {
    Config onto_disk = thin_config();
    onto_disk.tables.push_back({"bad", {thin(0, 2, "d0")}});
    CHECK(!validate(onto_disk));
    Config ids = thin_config();
    for (std::uint32_t id : {2, 3, 4}) {
      ids.tables.push_back({"t" + std::to_string(id + 10), {thin(id)}});
    }
    CHECK(!validate(ids));
    Config pools = thin_config();
    pools.disks.push_back({"d2", 2});
    pools.disks.push_back({"d3", 2});
    pools.tables.push_back({"pool2", {of_kind(TargetKind::thin_pool, "d2")}});
    CHECK(validate(pools));
    pools.tables.push_back({"pool3", {of_kind(TargetKind::thin_pool, "d3")}});
    CHECK(!validate(pools));
    Config initial = thin_config();
    initial.devices = {device("a", "t0"), device("p", "pool")};
    CHECK(!validate(initial));
    initial.devices = {device("p", "pool"), device("a", "t0")};
    CHECK(validate(initial));
    CHECK(!parse_step("message p 0 create_thin 16777216"));
    CHECK(!parse_step("message p 0 create_snap 1"));
    CHECK(parse_step("message p 0 delete 16777215"));
  }

  TEST_CASE("an initial thin exists in its pool and reads zeros") {
    Config c = thin_config();
    c.devices = {device("p", "pool"), device("a", "t0")};
    c.processes = {
        {"u",
         {*parse_step("message p 0 create_thin 0"), *parse_step("open a"), *parse_step("read a")},
         {}}};
    const auto r = run_sequential(c);
    REQUIRE(r);
    CHECK_ERRNOS(*r, {kEEXIST, 0, 0});
    CHECK(last(*r).data == kReadZeros);
  }
}

}  // namespace dmcheck::model::testing
