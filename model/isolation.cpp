#include "model/isolation.h"

#include <algorithm>
#include <bitset>
#include <numeric>

#include "model/compiled.h"
#include "model/step.h"

namespace dmcheck::model::detail {
namespace {

// Resources, numbered: names, then uuids, then disks.
constexpr std::size_t kUuidBase = kMaxNames;
constexpr std::size_t kDiskBase = kUuidBase + kMaxNames;
constexpr std::size_t kResources = kDiskBase + kMaxDisks;
using Roots = std::bitset<kResources>;

class Classes {
 public:
  Classes() { std::iota(parent_.begin(), parent_.end(), std::size_t{0}); }

  std::size_t find(std::size_t r) {
    while (parent_[r] != r) {
      parent_[r] = parent_[parent_[r]];
      r = parent_[r];
    }
    return r;
  }
  void join(std::size_t a, std::size_t b) { parent_[find(a)] = find(b); }

 private:
  std::array<std::size_t, kResources> parent_{};
};

/// The resources a table's targets sit on: backing disks and DM devices by name.
template <class Add>
void table_resources(const Compiled& c, const std::string& table, Add add) {
  const std::uint8_t ref = c.table_ref(table);
  if (ref == 0) {
    return;
  }
  for (const Target& t : c.table(ref).targets) {
    if (t.onto.empty()) {
      continue;
    }
    const int disk = c.disk_index(t.onto);
    add(disk >= 0 ? kDiskBase + static_cast<std::size_t>(disk) : c.name_index(t.onto));
  }
}

/// The resource of the uuid `text`, 0 for none.
std::size_t uuid_resource(const Compiled& c, const std::string& text) {
  for (std::size_t u = 1; u < c.uuids.size() && !text.empty(); ++u) {
    if (c.uuids[u] == text) {
      return kUuidBase + u;
    }
  }
  return 0;
}

/// Every resource process `pid`'s program names; false when a call names every device.
template <class Add>
bool process_resources(const Compiled& c, std::size_t pid, Add add) {
  bool bounded = true;
  for_each_call(c.config.processes[pid].program, [&](const Call& call) {
    bounded = bounded && call.op != Op::remove_all;
    add(c.name_index(call.device));
    add(c.name_index(call.new_name));
    table_resources(c, call.table, add);
    add(uuid_resource(c, call.uuid));
  });
  return bounded;
}

/// The bits of `roots` among resources [base, base + count) as a mask.
std::uint32_t mask(Classes& classes, const Roots& roots, std::size_t base, std::size_t count) {
  std::uint32_t out = 0;
  for (std::size_t i = 1; i < count; ++i) {
    if (roots.test(classes.find(base + i))) {
      out |= std::uint32_t{1} << i;
    }
  }
  return out;
}

}  // namespace

PartialOrderPlan isolate(const Compiled& c) {
  PartialOrderPlan plan;
  plan.enabled = true;
  Classes classes;
  for (const DeviceSpec& d : c.config.devices) {
    const std::size_t name = c.name_index(d.name);
    const auto join = [&](std::size_t r) {
      if (r != 0) {
        classes.join(name, r);
      }
    };
    table_resources(c, d.table, join);
    table_resources(c, d.inactive, join);
    join(uuid_resource(c, d.uuid));
  }
  const std::size_t processes = c.programs.size();
  std::vector<std::vector<std::size_t>> used(processes);
  for (std::size_t pid = 0; pid < processes; ++pid) {
    plan.enabled = process_resources(c, pid,
                                     [&](std::size_t r) {
                                       if (r != 0) {  // name index 0 is no name
                                         used[pid].push_back(r);
                                       }
                                     }) &&
                   plan.enabled;
    for (std::size_t r : used[pid]) {
      classes.join(used[pid].front(), r);
    }
  }
  std::vector<Roots> roots(processes);
  for (std::size_t pid = 0; pid < processes; ++pid) {
    for (std::size_t r : used[pid]) {
      roots[pid].set(classes.find(r));
    }
  }
  Roots internal;
  if (c.internal_suspender != 0) {
    internal.set(classes.find(c.internal_suspender));
  }
  for (std::size_t pid = 0; pid < processes; ++pid) {
    bool alone = (roots[pid] & internal).none();
    for (std::size_t other = 0; other < processes; ++other) {
      alone = alone && (other == pid || (roots[pid] & roots[other]).none());
    }
    plan.isolated.push_back(alone ? 1 : 0);
    plan.names.push_back(mask(classes, roots[pid], 0, kMaxNames));
    // Disks are numbered from 0: shift so that disk 0 is bit 0.
    plan.disks.push_back(mask(classes, roots[pid], kDiskBase - 1, kMaxDisks + 1) >> 1);
  }
  // Without an isolated process no state has an ample actor: spare every state the asking.
  plan.enabled = plan.enabled &&
                 std::find(plan.isolated.begin(), plan.isolated.end(), 1) != plan.isolated.end();
  return plan;
}

}  // namespace dmcheck::model::detail
