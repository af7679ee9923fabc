// Directed traces about thin devices: the pool's messages, what a thin table needs, data
// provisioned on write and a full pool, snapshots sharing blocks until a write moves them, and
// a pool's suspend reaching its thins.

#include "conformance/universe.h"

namespace dmcheck::conformance {

namespace {

/// Traces about the pool's messages and what a thin table needs.
std::vector<Trace> thin_message_traces() {
  return {
      // Messages go to a live thin-pool target, suspended or not; the ids live in the pool's
      // metadata, which outlives the device.
      {"directed-thin-messages",
       {"message a 0 create_thin 0",
        "create a --notable",
        "message a 0 create_thin 0",
        "load a pool",
        "resume a",
        "message a 0 create_thin 0",
        "message a 0 create_thin 0",
        "message a 0 create_snap 1 2",
        "message a 0 create_snap 1 0",
        "message a 0 create_snap 1 0",
        "message a 0 delete 2",
        "message a 0 delete 1",
        "message a 0 delete 1",
        "suspend a",
        "message a 0 create_thin 1",
        "resume a",
        "status a",
        "create b --table lin0",
        "message b 0 create_thin 0",
        "remove b",
        "remove a",
        "create a --table pool",
        "message a 0 create_thin 1",
        "remove a"},
       ""},
      // A thin table needs a pool object, then its id, then a resumed pool; it holds the pool
      // device open, and its thin may not be deleted while any table of it exists.
      {"directed-thin-table",
       {"create a --table lin0",
        "create b --table ta0",
        "remove a",
        "create b --table ta0",
        "create a --notable",
        "load a pool",
        "create b --notable",
        "load b ta0",
        "resume a",
        "message a 0 create_thin 0",
        "suspend a",
        "load b ta0",
        "resume a",
        "load b ta0",
        "message a 0 delete 0",
        "resume b",
        "info a",
        "remove a",
        "table b",
        "status b",
        "remove b",
        "message a 0 delete 0",
        "remove a"},
       ""},
  };
}

/// Traces about data: provisioning, a full pool, blocks given back.
std::vector<Trace> thin_data_traces() {
  return {
      // Unprovisioned blocks read zeros; writes take the pool's lowest free block, which the
      // pool device itself shows; a full pool fails the write; a delete gives blocks back.
      {"directed-thin-data",
       {"create a --table pool",
        "message a 0 create_thin 0",
        "message a 0 create_thin 1",
        "create b --table ta0",
        "open b",
        "read b --all",
        "write b x",
        "read b --all",
        "status b",
        "status a",
        "create c --table ta1",
        "open c",
        "write c y --all",
        "read c --all",
        "status a",
        "write b z",
        "open a",
        "read a --all",
        "close a",
        "close c",
        "remove c",
        "message a 0 delete 1",
        "write b q --all",
        "read b --all",
        "status a",
        "close b",
        "remove b",
        "remove a"},
       ""},
  };
}

/// Traces about snapshots sharing blocks.
std::vector<Trace> thin_sharing_traces() {
  return {
      // A snapshot reads its origin's blocks; a write to either moves its mapping to a new
      // block, and fails when the pool has none.
      {"directed-thin-snapshot",
       {"create a --table pool",
        "message a 0 create_thin 0",
        "create b --table ta0",
        "open b",
        "write b x",
        "message a 0 create_snap 1 0",
        "create c --table ta1",
        "open c",
        "read c",
        "write b y",
        "read b",
        "read c",
        "status a",
        "write c z",
        "read c",
        "close c",
        "remove c",
        "message a 0 delete 1",
        "write b q",
        "status a",
        "status b",
        "close b",
        "remove b",
        "remove a"},
       ""},
  };
}

/// Traces about a pool's suspend reaching its thins.
std::vector<Trace> thin_suspend_traces() {
  return {
      // A pool's suspend internally suspends every device with a thin table of it (live or
      // inactive), which still shows as running; its resume resumes them. A thin table
      // destroyed meanwhile leaves its device internally suspended: nothing resumes it.
      {"directed-thin-pool-suspend",
       {"create a --table pool",
        "message a 0 create_thin 0",
        "create b --table ta0",
        "message a 0 create_thin 1",
        "create c --notable",
        "load c ta1",
        "open b",
        "write b x",
        "suspend a",
        "info b",
        "info c",
        "status a",
        "message a 0 create_snap 2 0",
        "resume a",
        "read b",
        "suspend a --noflush",
        "resume a",
        "write b y",
        "read b",
        "suspend b",
        "resume b",
        "info b",
        "suspend a",
        "clear c",
        "resume a",
        "info c",
        "remove c",
        "close b",
        "remove b",
        "remove a"},
       ""},
  };
}

}  // namespace

std::vector<Trace> thin_traces() {
  std::vector<Trace> traces = thin_message_traces();
  for (auto more : {thin_data_traces, thin_sharing_traces, thin_suspend_traces}) {
    for (Trace& t : more()) {
      traces.push_back(std::move(t));
    }
  }
  return traces;
}

}  // namespace dmcheck::conformance
