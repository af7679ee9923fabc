// Traces about dm-verity's integrity metadata, for a kernel with the integrity probe: reloads
// between two root hashes and to the error target, each resume's hand-over with and without a
// failing allocation in IPE's hook, and the calls on a device suspended by such a failure.

#include <fmt/format.h>

#include "conformance/universe.h"

namespace dmcheck::conformance {

std::vector<std::string> integrity_alphabet() {
  std::vector<std::string> calls;
  for (const std::string n : {"a", "b"}) {
    for (const std::string t : {"ver", "ver2", "verbad", "err", "lin1"}) {
      calls.push_back("create " + n + " --table " + t + " --readonly");
      calls.push_back("load " + n + " " + t + " --readonly");
    }
    for (const std::string call : {"resume", "resume", "suspend", "info", "status", "open", "close",
                                   "read", "remove", "remove --deferred", "clear"}) {
      const std::string verb = call.substr(0, call.find(' '));
      const std::string flags = call.size() > verb.size() ? call.substr(verb.size()) : "";
      calls.push_back(verb + " " + n + flags);
    }
  }
  calls.push_back("remove_all");
  return calls;
}

std::vector<Trace> integrity_traces() {
  std::vector<Trace> traces;
  // From each verity table to each other table and back; the reload's resume and the way back's
  // fail at each of the hook's allocations in turn, and a plain resume recovers.
  for (const std::string first : {"ver", "ver2"}) {
    for (const std::string next : {"ver", "ver2", "err"}) {
      Trace t;
      t.name = fmt::format("directed-integrity-{}-{}", first, next);
      t.calls = {"create v --table " + first + " --readonly", "open v", "read v"};
      for (int allocation = 1; allocation <= kIntegrityAllocations; ++allocation) {
        t.injections.push_back({t.calls.size() + 1, kIntegrityAllocFailure, allocation});
        for (const std::string& call : std::vector<std::string>{
                 "load v " + next + " --readonly", "resume v", "info v", "status v", "resume v"}) {
          t.calls.push_back(call);
        }
        t.injections.push_back({t.calls.size() + 1, kIntegrityAllocFailure, allocation});
        for (const std::string& call : std::vector<std::string>{
                 "load v " + first + " --readonly", "resume v", "info v", "resume v", "read v"}) {
          t.calls.push_back(call);
        }
      }
      for (const std::string call : {"close v", "remove v"}) {
        t.calls.push_back(call);
      }
      traces.push_back(std::move(t));
    }
  }
  // A failed first resume: the device never had metadata; a rename and a deferred removal of a
  // device whose metadata stays.
  Trace fresh;
  fresh.name = "directed-integrity-first-resume";
  fresh.calls = {"create v --notable",
                 "load v ver --readonly",
                 "resume v",
                 "info v",
                 "resume v",
                 "rename v w",
                 "load w ver2 --readonly",
                 "resume w",
                 "open w",
                 "remove w --deferred",
                 "info w",
                 "close w"};
  fresh.injections = {{2, kIntegrityAllocFailure, 1}, {7, kIntegrityAllocFailure, 3}};
  traces.push_back(std::move(fresh));
  // A probed device removed while suspended: the suspend froze the probe filesystem, which
  // must not keep the device open once the probe lets go of it.
  traces.push_back({"directed-integrity-remove-suspended",
                    {"create v --table ver --readonly", "suspend v", "remove v",
                     "create v --table ver2 --readonly", "suspend v", "remove_all", "info v"},
                    ""});
  return traces;
}

}  // namespace dmcheck::conformance
