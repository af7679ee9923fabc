#include "model/compiled.h"

#include <algorithm>

#include "model/expression_eval.h"

namespace dmcheck::model::detail {
namespace {

std::uint8_t intern(std::vector<std::string>& table, const std::string& text) {
  if (text.empty()) {
    return 0;
  }
  const auto it = std::find(table.begin(), table.end(), text);
  if (it != table.end()) {
    return static_cast<std::uint8_t>(it - table.begin());
  }
  table.push_back(text);
  return static_cast<std::uint8_t>(table.size() - 1);
}

std::uint8_t table_index(const Config& config, const std::string& name) {
  for (std::size_t i = 0; i < config.tables.size(); ++i) {
    if (config.tables[i].name == name) {
      return static_cast<std::uint8_t>(i + 1);
    }
  }
  return 0;
}

}  // namespace

int Compiled::disk_index(std::string_view name) const { return config.disk_index(name); }

int Compiled::pool_index(int disk) const {
  const auto it = std::find(pool_disks.begin(), pool_disks.end(), disk);
  return it == pool_disks.end() ? -1 : static_cast<int>(it - pool_disks.begin());
}

int Compiled::thin_index(std::uint32_t id) const {
  const auto it = std::find(thin_ids.begin(), thin_ids.end(), id);
  return it == thin_ids.end() ? -1 : static_cast<int>(it - thin_ids.begin());
}

std::uint8_t Compiled::table_ref(std::string_view name) const {
  for (std::size_t i = 0; i < config.tables.size(); ++i) {
    if (config.tables[i].name == name) {
      return static_cast<std::uint8_t>(i + 1);
    }
  }
  return 0;
}

std::uint8_t Compiled::name_index(std::string_view name) const {
  for (std::size_t i = 1; i < names.size(); ++i) {
    if (names[i] == name) {
      return static_cast<std::uint8_t>(i);
    }
  }
  return 0;
}

const CompiledCall* Compiled::call_at(std::size_t pid, const Process& p) const {
  const auto& program = programs[pid];
  if (p.pc >= program.size()) {
    return nullptr;
  }
  return &program[p.pc].sequences[p.branch][p.sub];
}

Positions Compiled::enter(std::size_t pid, std::uint8_t pc, std::uint8_t err) const {
  Positions out;
  const auto& program = programs[pid];
  if (pc >= program.size()) {
    out.push({static_cast<std::uint8_t>(program.size()), 0, 0, 0});
    return out;
  }
  const auto next = static_cast<std::uint8_t>(pc + 1);
  const CompiledStep& step = program[pc];
  switch (step.form) {
    case Step::Form::call:
      out.push({pc, 0, 0, 0});
      break;
    case Step::Form::choice:
      for (std::size_t a = 0; a < step.sequences.size(); ++a) {
        out.push({pc, static_cast<std::uint8_t>(a), 0, 0});
      }
      break;
    case Step::Form::repeat:
    case Step::Form::retry:
      out.push({pc, 0, 0, 1});
      break;
    case Step::Form::if_ok: {
      const std::uint8_t branch = err == kOk ? 0 : 1;
      if (step.sequences[branch].empty()) {
        return enter(pid, next, err);
      }
      out.push({pc, branch, 0, 0});
      break;
    }
    case Step::Form::on:
      if (err != step.err) {
        return enter(pid, next, err);
      }
      out.push({pc, 0, 0, 0});
      break;
  }
  return out;
}

Positions Compiled::after(std::size_t pid, const Process& p, std::uint8_t err) const {
  const CompiledStep& step = programs[pid][p.pc];
  if (p.sub + 1U < step.sequences[p.branch].size()) {
    Positions out;
    out.push({p.pc, p.branch, static_cast<std::uint8_t>(p.sub + 1), p.iter});
    return out;
  }
  if (step.form == Step::Form::retry && p.iter < step.bound && err != kOk &&
      (step.err == kOk || err == step.err)) {
    Positions out;
    out.push({p.pc, 0, 0, static_cast<std::uint8_t>(p.iter + 1)});
    return out;
  }
  Positions out = enter(pid, static_cast<std::uint8_t>(p.pc + 1), err);
  if (step.form == Step::Form::repeat && p.iter < step.bound) {
    out.push({p.pc, 0, 0, static_cast<std::uint8_t>(p.iter + 1)});
  }
  return out;
}

namespace {

/// Numbers the calls `last is` watches, marks each program call that is one, and resolves the
/// expressions.
void compile_user_properties(Compiled& c) {
  for (const UserProperty& p : c.config.user_properties) {
    collect_watched_calls(p.expr, c.watched_calls);
  }
  const auto mark = [&](CompiledCall& cc) {
    const auto w = std::find(c.watched_calls.begin(), c.watched_calls.end(), to_string(cc.call));
    if (w != c.watched_calls.end()) {
      cc.watched = static_cast<std::uint8_t>(w - c.watched_calls.begin() + 1);
    }
  };
  for (auto& program : c.programs) {
    for (CompiledStep& step : program) {
      for (auto& sequence : step.sequences) {
        std::for_each(sequence.begin(), sequence.end(), mark);
      }
    }
  }
  for (const UserProperty& p : c.config.user_properties) {
    c.user_exprs.push_back(flatten(resolve(c, p.expr)));
    c.user_premises.push_back(p.premise ? flatten(resolve(c, *p.premise)) : FlatExpr{});
  }
  for (const UserProperty& p : c.config.catalogue_texts) {
    c.catalogue_exprs.push_back(flatten(resolve(c, p.expr)));
    c.catalogue_premises.push_back(p.premise ? flatten(resolve(c, *p.premise)) : FlatExpr{});
  }
}

/// Whether some process makes a call that `is_one` says yes to.
template <class Is>
bool calls_any(const Config& config, Is is_one) {
  bool any = false;
  for (const ProcessSpec& p : config.processes) {
    for_each_call(p.program, [&](const Call& call) { any = any || is_one(call); });
  }
  return any;
}

/// Compiled::name_rank: each name's place in lexical order (the hash's scan order).
void rank_names(Compiled& c) {
  std::vector<std::uint8_t> order(c.names.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = static_cast<std::uint8_t>(i);
  }
  std::sort(order.begin(), order.end(),
            [&](std::uint8_t a, std::uint8_t b) { return c.names[a] < c.names[b]; });
  c.name_rank.resize(c.names.size());
  for (std::size_t r = 0; r < order.size(); ++r) {
    c.name_rank[order[r]] = static_cast<std::uint8_t>(r);
  }
}

/// What of a State the model `c` changes: the disks' data only when something writes;
/// Observation::more only where a whole-device read or a status or table query fills it; the
/// pools it has.
Significant significance(const Compiled& c) {
  const Config& config = c.config;
  const bool writes = calls_any(config, [](const Call& call) { return call.op == Op::write; });
  const bool more = calls_any(config, [](const Call& call) {
    return (call.op == Op::read && call.whole) || call.op == Op::status || call.op == Op::table;
  });
  return {config.processes.size(), writes ? config.disks.size() * kMaxDiskUnits : 0, more,
          c.pool_disks.size()};
}

/// The pools (by data disk) and thin ids the tables and thin-pool messages name, in order.
void intern_pools_and_thins(Compiled& c) {
  for (const TableDef& t : c.config.tables) {
    for (const Target& target : t.targets) {
      if (target.kind == TargetKind::thin_pool && c.pool_index(c.disk_index(target.onto)) < 0) {
        c.pool_disks.push_back(c.disk_index(target.onto));
      }
      if (target.kind == TargetKind::thin && c.thin_index(target.thin_id) < 0) {
        c.thin_ids.push_back(target.thin_id);
      }
    }
  }
  const auto add = [&c](std::uint32_t id) {
    if (c.thin_index(id) < 0) {
      c.thin_ids.push_back(id);
    }
  };
  for (const ProcessSpec& p : c.config.processes) {
    for_each_call(p.program, [&](const Call& call) {
      if (call.op == Op::thin_message) {
        add(call.thin_id);
        if (call.thin_verb == ThinVerb::create_snap) {
          add(call.thin_origin);
        }
      }
    });
  }
}

/// A process's program with its names resolved.
std::vector<CompiledStep> compile_program(Compiled& c, const ProcessSpec& p) {
  std::vector<CompiledStep> program;
  for (const Step& step : p.program) {
    CompiledStep cs;
    cs.form = step.form;
    cs.bound = step.bound;
    cs.err = step.err;
    for (const auto& sequence : step.sequences) {
      std::vector<CompiledCall> calls;
      for (const Call& call : sequence) {
        CompiledCall cc;
        cc.call = call;
        cc.device = intern(c.names, call.device);
        cc.new_name = intern(c.names, call.new_name);
        cc.uuid = intern(c.uuids, call.uuid);
        cc.table = table_index(c.config, call.table);
        calls.push_back(cc);
      }
      cs.sequences.push_back(std::move(calls));
    }
    program.push_back(std::move(cs));
  }
  return program;
}

}  // namespace

Compiled compile(const Config& config) {
  Compiled c;
  c.config = config;
  for (const DeviceSpec& d : config.devices) {
    intern(c.names, d.name);
    intern(c.uuids, d.uuid);
  }
  for (const std::string& n : config.extra_names) {
    intern(c.names, n);
  }
  intern(c.names, config.actors.internal_suspender);
  for (const TableDef& t : config.tables) {
    for (const Target& target : t.targets) {
      if (!target.onto.empty() && c.disk_index(target.onto) < 0) {
        intern(c.names, target.onto);
      }
    }
  }
  intern_pools_and_thins(c);
  for (std::size_t pid = 0; pid < config.processes.size(); ++pid) {
    const ProcessSpec& p = config.processes[pid];
    c.programs.push_back(compile_program(c, p));
    if (p.copy_of.empty()) {
      continue;
    }
    if (pid > 0 && config.processes[pid - 1].copy_of == p.copy_of) {
      ++c.copy_groups.back().count;
    } else {
      c.copy_groups.push_back({static_cast<std::uint8_t>(pid), 1});
    }
  }
  std::erase_if(c.copy_groups, [](const CopyGroup& g) { return g.count < 2; });
  c.internal_suspender = c.name_index(config.actors.internal_suspender);
  rank_names(c);
  for (std::size_t i = 0; i < config.devices.size(); ++i) {
    c.external_opens[i] = config.devices[i].open_count;
  }
  c.queries_status = calls_any(config, [](const Call& call) { return call.op == Op::status; });
  c.significant = significance(c);
  compile_user_properties(c);
  return c;
}

}  // namespace dmcheck::model::detail
