// The property checker's paths: a device's, a process's or a kernel actor's fields, and bare
// names, which what they are compared with resolves.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <utility>

#include "scenarios/property_checker.h"

namespace dmcheck::scenarios::property {

namespace {

struct DeviceFieldInfo {
  std::string_view name;
  DeviceField field;
  Type type;
};

constexpr std::array<DeviceFieldInfo, model::kDeviceFields> kDeviceFields{{
    {"exists", DeviceField::exists, Type::truth},
    {"removing", DeviceField::removing, Type::truth},
    {"freed", DeviceField::freed, Type::truth},
    {"suspended", DeviceField::suspended, Type::truth},
    {"deferred", DeviceField::deferred, Type::truth},
    {"no_open", DeviceField::no_open, Type::truth},
    {"read_only", DeviceField::read_only, Type::truth},
    {"open_count", DeviceField::open_count, Type::number},
    {"open_limit", DeviceField::open_limit, Type::number},
    {"live", DeviceField::live, Type::table},
    {"inactive", DeviceField::inactive, Type::table},
    {"root_hash", DeviceField::root_hash, Type::number},
    {"signature", DeviceField::signature, Type::truth},
    {"name", DeviceField::name, Type::device_name},
    {"deleting", DeviceField::deleting, Type::truth},
    {"freeing", DeviceField::freeing, Type::truth},
    {"io_blocked", DeviceField::io_blocked, Type::truth},
    {"uuid", DeviceField::uuid, Type::uuid},
    {"live_root_hash", DeviceField::live_root_hash, Type::number},
    {"live_signature", DeviceField::live_signature, Type::truth},
    {"open_limit_enforced", DeviceField::open_limit_enforced, Type::truth},
    {"size", DeviceField::size, Type::number},
    {"live_size", DeviceField::live_size, Type::number},
    {"resume_failed", DeviceField::resume_failed, Type::truth},
    {"no_open_mark", DeviceField::no_open_mark, Type::truth},
    {"opened_after_mark", DeviceField::opened_after_mark, Type::truth},
    {"live_changed_unsuspended", DeviceField::live_changed_unsuspended, Type::truth},
    {"holder_reopened", DeviceField::holder_reopened, Type::truth},
    {"opened", DeviceField::opened, Type::truth},
    {"opened_twice", DeviceField::opened_twice, Type::truth},
    {"targets_stopped", DeviceField::targets_stopped, Type::truth},
    {"double_postsuspend", DeviceField::double_postsuspend, Type::truth},
    {"inactive_lost", DeviceField::inactive_lost, Type::truth},
}};

/// `t`, placed at the start of its path (a type mistake names the whole `p.last`).
Typed at_path(Typed t, const Syntax& s) {
  t.offset = s.offset;
  return t;
}

}  // namespace

Typed Checker::path(const Syntax& s) {
  const Variable* v = find_variable(s.text);
  const bool device = v != nullptr ? v->device : names_.devices.contains(s.text);
  const auto process_at = std::find(names_.processes.begin(), names_.processes.end(), s.text) -
                          names_.processes.begin();
  const bool process =
      v != nullptr ? !v->device : process_at < static_cast<std::ptrdiff_t>(names_.processes.size());
  const bool actor =
      v == nullptr && (s.text == "worker" || s.text == "prober" || s.text == "variant");
  if (s.children.empty()) {
    Typed t;
    t.type = v != nullptr ? Type::subject : Type::symbol;
    t.name = s.text;
    t.offset = s.offset;
    return t;
  }
  if (static_cast<int>(device) + static_cast<int>(process) + static_cast<int>(actor) > 1) {
    fail(s.offset,
         "'" + s.text + "' names both a device and a process (or kernel actor); rename one");
  }
  Expr base;
  base.var = static_cast<std::uint8_t>(
      v != nullptr ? std::find_if(variables_.begin(), variables_.end(),
                                  [&](const Variable& x) { return &x == v; }) -
                         variables_.begin() + 1
                   : 0);
  if (device) {
    base.op = ExprOp::device;
    base.text = v != nullptr ? "" : s.text;
    if (s.children.size() > 1) {
      fail(s.children[1].offset, "a device field has no members");
    }
    return at_path(device_member(std::move(base), s.children[0], v != nullptr), s);
  }
  if (process && v == nullptr && !names_.copy_of[process_at].empty()) {
    fail(s.offset, singled_out(s.text, names_.copy_of[process_at]));
  }
  if (process) {
    base.op = ExprOp::process;
    base.process = static_cast<std::uint8_t>(v != nullptr ? 0 : process_at);
    return at_path(process_member(std::move(base), s.children), s);
  }
  if (actor) {
    return at_path(kernel_member(s.text, s.children), s);
  }
  fail(s.offset, what_is(s.text));
}

Typed Checker::device_member(Expr base, const Syntax& m, bool bound) {
  const auto* info = std::find_if(kDeviceFields.begin(), kDeviceFields.end(),
                                  [&](const DeviceFieldInfo& f) { return f.name == m.text; });
  if (info == kDeviceFields.end()) {
    std::vector<std::string_view> fields;
    for (const auto& f : kDeviceFields) {
      fields.push_back(f.name);
    }
    fail(m.text_offset, "a device has no field '" + m.text + "'" + suggest(m.text, fields) +
                            " (fields: " + fmt::format("{}", fmt::join(fields, ", ")) + ")");
  }
  if (info->field == DeviceField::freed && !bound) {
    fail(m.text_offset,
         "a name stands for the device that has it now, which is never freed; ask "
         "`not " +
             base.text + ".exists`, or of a device bound by forall / exists");
  }
  if (!m.children.empty()) {
    fail(m.children[0].offset, "'" + m.text + "' takes no argument");
  }
  Typed t;
  t.type = info->type;
  base.field = static_cast<std::uint8_t>(info->field);
  t.expr = std::move(base);
  t.offset = m.offset;
  return t;
}

Expr Checker::device_argument(const Syntax& m) {
  if (m.children.empty()) {
    fail(m.text_offset, "'" + m.text + "' needs a device, e.g. " + m.text + "(a)");
  }
  const Syntax& arg = m.children[0];
  const Variable* v = find_variable(arg.text);
  if (!arg.children.empty() || (v != nullptr ? !v->device : !names_.devices.contains(arg.text))) {
    fail(arg.offset, "'" + m.text + "' needs a device: " +
                         (arg.children.empty() ? what_is(arg.text) : "a name, not a field"));
  }
  Expr e;
  e.op = ExprOp::device;
  if (v != nullptr) {
    e.var = static_cast<std::uint8_t>(std::find_if(variables_.begin(), variables_.end(),
                                                   [&](const Variable& x) { return &x == v; }) -
                                      variables_.begin() + 1);
  } else {
    e.text = arg.text;
  }
  return e;
}

Typed Checker::process_member(Expr base, const std::vector<Syntax>& members) {
  const Syntax& m = members[0];
  Typed t;
  t.offset = m.offset;
  const auto field = [&](ProcessField f, Type type) {
    base.field = static_cast<std::uint8_t>(f);
    t.type = type;
  };
  if (m.text == "finished" || m.text == "handles") {
    field(m.text == "finished" ? ProcessField::finished : ProcessField::handles,
          m.text == "finished" ? Type::truth : Type::number);
  } else if (m.text == "holds") {
    field(ProcessField::holds, Type::truth);
    base.args.push_back(device_argument(m));
  } else if (m.text == "last" && members.size() == 1) {
    field(ProcessField::last_is, Type::call);
  } else if (m.text == "last" && members[1].text == "errno") {
    field(ProcessField::errno_, Type::errno_);
  } else if (m.text == "last" && members[1].text == "corrupt") {
    field(ProcessField::last_corrupt, Type::truth);
  } else {
    const Syntax& bad = m.text == "last" ? members[1] : m;
    const std::string written = (m.text == "last" ? "last." : "") + bad.text;
    // errno and corrupt are fields of the last call, not of the process.
    const std::string hint = written == "errno" || written == "corrupt"
                                 ? "; did you mean 'last." + written + "'?"
                                 : suggest(written, std::array<std::string_view, 6>{
                                                        "finished", "handles", "holds", "last",
                                                        "last.errno", "last.corrupt"});
    fail(bad.text_offset,
         "a process has no field '" + written + "'" + hint +
             " (fields: finished, handles, holds(DEVICE), last, last.errno, last.corrupt)");
  }
  const std::size_t used = m.text == "last" && members.size() > 1 ? 2 : 1;
  if (members.size() > used) {
    fail(members[used].offset, "'" + members[used - 1].text + "' has no members");
  }
  if (m.text != "holds" && !m.children.empty()) {
    fail(m.children[0].offset, "'" + m.text + "' takes no argument");
  }
  t.expr = std::move(base);
  return t;
}

Typed Checker::kernel_member(const std::string& actor, const std::vector<Syntax>& members) {
  const Syntax& m = members[0];
  Typed t;
  t.offset = m.offset;
  t.expr.op = ExprOp::kernel;
  const auto field = [&](KernelField f, Type type, std::size_t used) {
    t.expr.field = static_cast<std::uint8_t>(f);
    t.type = type;
    if (members.size() > used) {
      fail(members[used].offset, "'" + members[used - 1].text + "' has no members");
    }
  };
  if (actor == "worker" && (m.text == "queued" || m.text == "busy" || m.text == "runs")) {
    field(m.text == "queued" ? KernelField::worker_queued
          : m.text == "busy" ? KernelField::worker_busy
                             : KernelField::worker_runs,
          Type::truth, 1);
  } else if (actor == "variant" && m.text == "integrity") {
    field(KernelField::variant_integrity, Type::truth, 1);
  } else if (actor == "prober" && m.text == "holds") {
    field(KernelField::prober_holds, Type::truth, 1);
    t.expr.args.push_back(device_argument(m));
  } else if (actor == "prober" && m.text == "last" && members.size() > 1 &&
             members[1].text == "errno") {
    field(KernelField::prober_errno, Type::errno_, 2);
  } else {
    fail(m.text_offset, actor == "worker" ? "the worker has the fields queued, busy and runs"
                        : actor == "variant"
                            ? "the variant has the field integrity"
                            : "the prober has the fields holds(DEVICE) and last.errno");
  }
  if (m.text != "holds" && !m.children.empty()) {
    fail(m.children[0].offset, "'" + m.text + "' takes no argument");
  }
  return t;
}

}  // namespace dmcheck::scenarios::property
