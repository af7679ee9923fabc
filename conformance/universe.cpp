#include "conformance/universe.h"

#include <utility>

namespace dmcheck::conformance {

using model::TargetKind;

model::Config universe(model::Base base) {
  model::Config c;
  c.variant.base = base;
  c.disks = {{"d0", 2}, {"d1", 2}, {"d2", 2}};
  auto table = [&](std::string name, TargetKind kind, std::string onto, std::uint8_t length) {
    model::Target t;
    t.kind = kind;
    t.onto = std::move(onto);
    t.length = length;
    c.tables.push_back({std::move(name), {t}});
    return &c.tables.back().targets.back();
  };
  table("lin0", TargetKind::linear, "d0", 2);
  table("lin1", TargetKind::linear, "d1", 2);
  table("long0", TargetKind::linear, "d0", 3);  // longer than its disk: fails the size check
  table("zero", TargetKind::zero, "", 2);
  table("err", TargetKind::error, "", 2);
  table("ver", TargetKind::verity, "d1", 2);
  table("ver2", TargetKind::verity, "d1", 2)->root_hash = 2;  // the same data, another salt
  table("verbad", TargetKind::verity, "d1", 2)->hash_matches = false;
  table("pool", TargetKind::thin_pool, "d2", 2);
  table("poolshort", TargetKind::thin_pool, "d2", 1);
  table("crypt", TargetKind::crypt, "d0", 2);
  table("upa", TargetKind::linear, "a", 2);                   // stacked on device a
  table("upb", TargetKind::linear, "b", 2);                   // stacked on device b
  table("off0", TargetKind::linear, "d0", 1)->offset = 1;     // d0's second unit
  table("offlong", TargetKind::linear, "d0", 2)->offset = 1;  // past d0's end: fails the check
  table("mix", TargetKind::linear, "d1", 1)->offset = 1;      // then a zero target
  model::Target zero;
  zero.kind = TargetKind::zero;
  c.tables.back().targets.push_back(zero);
  table("ta0", TargetKind::thin, "a", 2);  // thin 0 of the pool on device a
  table("ta1", TargetKind::thin, "a", 2)->thin_id = 1;
  table("tb0", TargetKind::thin, "b", 2);  // thin 0 of the pool on device b
  c.extra_names = {"a", "b", "c", "v"};
  c.actors.deferred_remove_worker = true;
  return c;
}

std::vector<std::string> alphabet() {
  std::vector<std::string> calls;
  const std::vector<std::string> tables = {"lin0",  "lin1", "long0",   "zero", "err",
                                           "ver",   "ver2", "verbad",  "pool", "poolshort",
                                           "crypt", "off0", "offlong", "mix"};
  for (const std::string n : {"a", "b"}) {
    for (const std::string& t : tables) {
      calls.push_back("create " + n + " --table " + t);
      calls.push_back("load " + n + " " + t);
    }
    for (const std::string t : {"ver", "ver2", "verbad", "lin0"}) {
      calls.push_back("create " + n + " --table " + t + " --readonly");
      calls.push_back("load " + n + " " + t + " --readonly");
    }
    calls.push_back("create " + n + " --notable");
    for (const std::string call :
         {"clear", "suspend", "resume", "remove", "info", "open", "close", "read", "write"}) {
      calls.push_back(call + " " + n);
    }
    calls.push_back("read " + n + " --all");
    calls.push_back("write " + n + " x --all");
    calls.push_back("suspend " + n + " --noflush --nolockfs");
    calls.push_back("remove " + n + " --deferred");
    calls.push_back("message " + n + " 0 @cancel_deferred_remove");
    calls.push_back("message " + n + " 0 key wipe");
    calls.push_back("message " + n + " 0 key set");
    calls.push_back("rename " + n + " c");
    for (const std::string message :
         {"create_thin 0", "create_thin 1", "create_snap 1 0", "delete 0", "delete 1"}) {
      calls.push_back("message " + n + " 0 " + message);
    }
    for (const std::string query : {"status ", "table "}) {
      calls.push_back(query + n);
      calls.push_back(query + n + " --inactive");
    }
  }
  // Stacked tables onto either device, the device itself included (a self-map).
  for (const std::string n : {"a", "b"}) {
    for (const std::string t : {"upa", "upb", "ta0", "ta1", "tb0"}) {
      calls.push_back("create " + n + " --table " + t);
      calls.push_back("load " + n + " " + t);
    }
  }
  calls.push_back("remove_all");
  calls.push_back("remove_all --deferred");
  return calls;
}

namespace {

/// Traces about what each kind of target does on the real kernel: a thin-pool's size and
/// metadata, a crypt key, a linear device's size check, verity's read-only rule and hashes.
std::vector<Trace> target_traces() {
  return {
      {"directed-thin-pool-shrink",
       {"create a --table pool", "open a", "read a", "close a", "load a poolshort", "resume a",
        "info a", "resume a", "load a pool", "resume a", "info a", "remove a"},
       ""},
      {"directed-thin-pool-metadata-outlives-device",
       {"create a --table pool", "remove a", "create a --table poolshort", "info a"},
       ""},
      {"directed-crypt-key-wipe",
       {"create a --table crypt", "open a", "read a", "message a 0 key wipe", "suspend a",
        "message a 0 key wipe", "resume a", "info a", "message a 0 key set", "resume a", "read a",
        "close a", "remove a"},
       ""},
      {"directed-swap-size-check",
       {"create a --table long0", "create a --table lin0", "load a long0", "resume a", "info a",
        "resume a", "open a", "read a", "close a", "remove a"},
       ""},
      {"directed-verity",
       {"create v --table ver", "create v --table ver --readonly", "open v", "read v",
        "load v lin0", "load v lin0 --readonly", "load v err --readonly", "info v", "resume v",
        "read v", "close v", "remove v", "create v --table verbad --readonly", "open v", "read v",
        "close v", "remove v"},
       ""},
  };
}

/// Traces about data: writes read back through any table, linear offsets, tables of several
/// targets, whole-device reads, and what refuses a write.
std::vector<Trace> data_traces() {
  return {
      {"directed-write-read-back",
       {"create a --table lin0", "open a", "read a --all", "write a", "read a", "read a --all",
        "create b --table off0", "open b", "read b --all", "write b x --all", "read a --all",
        "write a y --all", "read b", "close b", "remove b", "close a", "remove a"},
       ""},
      {"directed-write-targets",
       {"create a --table mix",
        "open a",
        "read a --all",
        "write a x --all",
        "read a --all",
        "close a",
        "remove a",
        "create a --table zero",
        "open a",
        "write a",
        "read a",
        "close a",
        "remove a",
        "create a --table err",
        "open a",
        "write a",
        "write a --all",
        "read a --all",
        "close a",
        "remove a",
        "create a --notable",
        "load a lin0",
        "open a",
        "write a",
        "read a --all",
        "close a",
        "remove a",
        "create a --table offlong",
        "info a"},
       ""},
      {"directed-write-under-verity",
       {"create v --table ver --readonly", "open v", "read v --all", "write v",
        "create a --table "
        "lin1",
        "open a", "write a z", "read v", "read v --all", "close a", "remove a", "close v",
        "remove v"},
       ""},
      {"directed-write-stacked",
       {"create a --table lin1", "create b --table upa", "open b", "write b q --all", "open a",
        "read a --all", "close a", "close b", "remove b", "remove a"},
       ""},
  };
}

/// Traces about the status and table queries: verity's corruption mark, a thin-pool's size.
std::vector<Trace> status_traces() {
  return {
      // Verity's status says C once a read hit a hash mismatch; a new table is a new target
      // instance, which starts at V, and so does the same table loaded again.
      {"directed-verity-status",
       {"create v --table verbad --readonly",
        "status v",
        "open v",
        "read v",
        "status v",
        "table v",
        "load v ver --readonly",
        "status v --inactive",
        "table v --inactive",
        "status v",
        "close v",
        "suspend v",
        "resume v",
        "status v",
        "load v verbad --readonly",
        "resume v",
        "status v",
        "open v",
        "read v",
        "read v",
        "status v",
        "table v",
        "close v",
        "remove v",
        "status v"},
       ""},
      // A thin-pool's status reports the data size its metadata records: 0 before the first
      // resume, the new size after a resume that grew it, the old one while a shorter table
      // is loaded or refused.
      {"directed-thin-pool-status",
       {"create a --notable",
        "load a poolshort",
        "status a --inactive",
        "table a --inactive",
        "resume a",
        "status a",
        "load a pool",
        "status a --inactive",
        "status a",
        "resume a",
        "status a",
        "table a",
        "load a poolshort",
        "resume a",
        "status a",
        "status a --inactive",
        "load a pool",
        "resume a",
        "status a",
        "remove a",
        "status a",
        "table a"},
       ""},
  };
}

/// Traces about stacked devices: tables pinning the devices below them, a device without a live
/// table below a stack, and a device mapped onto itself.
std::vector<Trace> stacking_traces() {
  return {
      {"directed-stacked-live-and-inactive-pin",
       {"create a --table lin0", "create b --table upa", "info a", "remove a", "open b", "read b",
        "close b", "clear b", "remove b", "create b --notable", "load b upa", "info a", "remove a",
        "clear b", "info a", "remove a", "remove b"},
       ""},
      // A device with only an inactive table has size 0: a read at 0 ends with no byte, while a
      // table stacked on it maps onto nothing.
      {"directed-read-without-live-table",
       {"create a --notable", "load a lin0", "open a", "read a", "create b --notable", "load b upa",
        "resume b", "open b", "read b", "close b", "close a"},
       ""},
      // A table naming the device it is loaded into: 6.1 accepts it and the device holds
      // itself open (clear's reply still counts that open); a device without a disk yet
      // cannot be opened by its own first table.
      {"directed-self-map",
       {"create a --table lin0",
        "suspend a",
        "load a upa",
        "info a",
        "remove a",
        "clear a",
        "info a",
        "load a upa",
        "resume a",
        "info a",
        "remove a --deferred",
        "info a",
        "suspend a",
        "load a lin0",
        "resume a",
        "info a",
        "create a --notable",
        "load a upa",
        "info a",
        "remove a"},
       ""},
  };
}

/// Traces about a device's lifecycle: deferred removal and its cancelling, remove_all, rename,
/// suspend and clear.
std::vector<Trace> lifecycle_traces() {
  return {
      {"directed-deferred-remove-last-close",
       {"create a --table lin0", "open a", "remove a --deferred", "info a", "open a",
        "create a --table lin1", "close a", "info a", "close a", "info a", "open a"},
       ""},
      {"directed-cancel-deferred",
       {"create a --table zero", "open a", "remove a --deferred",
        "message a 0 @cancel_deferred_remove now", "message a 0 @cancel_deferred_remove", "info a",
        "read a", "close a", "info a", "remove a", "message a 0 @cancel_deferred_remove"},
       ""},
      {"directed-remove-all",
       {"create a --table lin0", "create b --table lin1", "open a", "remove_all", "info a",
        "info b", "create b --table zero", "remove_all --deferred", "info a", "read a", "close a",
        "info a"},
       ""},
      {"directed-rename-suspend-clear",
       {"create a --table lin0",
        "open a",
        "rename a c",
        "info a",
        "info c",
        "read a",
        "suspend c",
        "suspend c",
        "load c zero",
        "clear c",
        "info c",
        "resume c",
        "close a",
        "create a --notable",
        "rename c a",
        "resume a",
        "suspend a",
        "resume a",
        "remove a",
        "remove c"},
       ""},
  };
}

}  // namespace

std::vector<Trace> directed_traces() {
  std::vector<Trace> traces = target_traces();
  for (Trace& t : data_traces()) {
    traces.push_back(std::move(t));
  }
  for (Trace& t : stacking_traces()) {
    traces.push_back(std::move(t));
  }
  for (Trace& t : lifecycle_traces()) {
    traces.push_back(std::move(t));
  }
  for (Trace& t : status_traces()) {
    traces.push_back(std::move(t));
  }
  for (Trace& t : thin_traces()) {
    traces.push_back(std::move(t));
  }
  return traces;
}

}  // namespace dmcheck::conformance
