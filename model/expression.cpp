#include "model/expression.h"

#include <algorithm>
#include <string_view>

#include "model/config.h"
#include "model/expression_eval.h"

namespace dmcheck::model {

void collect_watched_calls(const Expr& e, std::vector<std::string>& out) {
  if (e.op == ExprOp::process && e.field == static_cast<std::uint8_t>(ProcessField::last_is) &&
      std::find(out.begin(), out.end(), e.text) == out.end()) {
    out.push_back(e.text);
  }
  for (const Expr& a : e.args) {
    collect_watched_calls(a, out);
  }
}

namespace {

bool names_device(const Config& config, std::string_view name) {
  const auto named = [&](const std::string& n) { return n == name; };
  if (std::any_of(config.devices.begin(), config.devices.end(),
                  [&](const DeviceSpec& d) { return named(d.name); }) ||
      std::any_of(config.extra_names.begin(), config.extra_names.end(), named)) {
    return true;
  }
  bool used = false;
  for (const ProcessSpec& p : config.processes) {
    for_each_call(p.program, [&](const Call& call) {
      used = used || named(call.device) || named(call.new_name);
    });
  }
  return used;
}

bool names_table(const Config& config, std::string_view name) {
  return std::any_of(config.tables.begin(), config.tables.end(),
                     [&](const TableDef& t) { return t.name == name; });
}

}  // namespace

std::optional<Expr> premise(const Expr& e) {
  if (e.op == ExprOp::implies) {
    return e.args.at(0);
  }
  if (e.op != ExprOp::forall) {
    return std::nullopt;
  }
  auto inner = premise(e.args.at(0));
  if (!inner) {
    return std::nullopt;
  }
  Expr some = e;  // the same variable over the same domain
  some.op = ExprOp::exists;
  some.args = {std::move(*inner)};
  return some;
}

std::size_t node_count(const Expr& e) {
  std::size_t n = 1;
  for (const Expr& a : e.args) {
    n += node_count(a);
  }
  return n;
}

std::string expression_problem(const Config& config, const Expr& e) {
  const bool named_device = (e.op == ExprOp::device && e.var == 0) || e.op == ExprOp::device_name;
  if (named_device && !names_device(config, e.text)) {
    return "no device of the scenario is called '" + e.text + "'";
  }
  if (e.op == ExprOp::table && !names_table(config, e.text)) {
    return "no table of the scenario is called '" + e.text + "'";
  }
  if (e.op == ExprOp::process && e.var == 0 && e.process >= config.processes.size()) {
    return "process " + std::to_string(e.process + 1) + " does not exist";
  }
  if (e.var > kMaxBoundVariables) {
    return "more than " + std::to_string(kMaxBoundVariables) + " nested quantifiers";
  }
  for (const Expr& a : e.args) {
    if (std::string why = expression_problem(config, a); !why.empty()) {
      return why;
    }
  }
  return "";
}

}  // namespace dmcheck::model
