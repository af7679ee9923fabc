#pragma once
/// Shared test fixtures for the DM model: a configuration with two disks and a table of each
/// kind, and helpers to run programs sequentially or exhaustively.

#include <doctest/doctest.h>

#include <cstring>
#include <deque>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "checker/check.h"
#include "model/dm_model.h"
#include "model/sequential.h"

/// Checks the errnos of a sequential run, printing them on failure.
#define CHECK_ERRNOS(run, ...)                                                            \
  CHECK_MESSAGE((::dmcheck::model::testing::errnos(run) == std::vector<int> __VA_ARGS__), \
                ::dmcheck::model::testing::show(::dmcheck::model::testing::errnos(run)))

namespace dmcheck::model::testing {

/// Prints a run's steps (for doctest messages).
inline std::string show(const std::vector<int>& v) {
  std::string text;
  for (int e : v) {
    text += errno_name(static_cast<std::uint8_t>(e)) + " ";
  }
  return text;
}

inline Target linear(std::string onto, std::uint8_t length = 4) {
  Target t;
  t.kind = TargetKind::linear;
  t.onto = std::move(onto);
  t.length = length;
  return t;
}

inline Target of_kind(TargetKind kind, std::string onto = "disk0") {
  Target t;
  t.kind = kind;
  if (kind != TargetKind::zero && kind != TargetKind::error) {
    t.onto = std::move(onto);
  }
  return t;
}

inline Target verity(std::uint8_t root, bool signature, std::string onto = "disk0") {
  Target t = of_kind(TargetKind::verity, std::move(onto));
  t.root_hash = root;
  t.signature = signature;
  return t;
}

inline Target pool(std::uint8_t length) {
  Target t = of_kind(TargetKind::thin_pool);
  t.length = length;
  return t;
}

/// Disks disk0 and disk1 (size 4) and tables:
/// lin0/lin1 (linear onto disk0/disk1), big (linear longer than disk0), zero, err, ver1
/// (verity root 1, signed), ver2 (verity root 2, unsigned), crypt, crypt_wiped, pool8, pool4,
/// gen (generic), onto_a / onto_b (linear onto DM devices a / b), ver_lin (verity + linear).
inline Config base_config(const std::string& variant = "6.1") {
  Config c;
  c.variant = *parse_variant(variant);
  c.disks = {{"disk0", 4}, {"disk1", 4}};
  Target wiped = of_kind(TargetKind::crypt);
  wiped.key_set = false;
  Target bad_hash = verity(3, false);
  bad_hash.hash_matches = false;
  c.tables = {
      {"lin0", {linear("disk0")}},
      {"lin1", {linear("disk1")}},
      {"big", {linear("disk0", 8)}},
      {"zero", {of_kind(TargetKind::zero)}},
      {"err", {of_kind(TargetKind::error)}},
      {"ver1", {verity(1, true)}},
      {"ver2", {verity(2, false, "disk1")}},
      {"ver_bad", {bad_hash}},
      {"crypt", {of_kind(TargetKind::crypt)}},
      {"crypt_wiped", {wiped}},
      {"pool8", {pool(8)}},
      {"pool4", {pool(4)}},
      {"gen", {of_kind(TargetKind::generic)}},
      {"onto_a", {linear("a")}},
      {"onto_b", {linear("b")}},
      {"ver_lin", {verity(1, false), linear("disk1")}},
  };
  c.extra_names = {"a", "b", "c"};
  return c;
}

/// Runs `steps` alone on `config` and returns the run; fails the test on a parse error.
inline SequentialRun run(const Config& config, const std::vector<std::string>& steps) {
  auto result = run_sequential(config, steps);
  REQUIRE_MESSAGE(result.has_value(), (result ? "" : result.error().message));
  return *result;
}

/// The errno each step returned, in order.
inline std::vector<int> errnos(const SequentialRun& r) {
  std::vector<int> out;
  for (const auto& s : r.steps) {
    out.push_back(s.obs.err);
  }
  return out;
}

/// The reply flags of the last step.
inline std::uint8_t last_flags(const SequentialRun& r) { return r.steps.back().obs.flags; }

/// A process spec from step texts.
inline ProcessSpec process(const std::string& name, const std::vector<std::string>& steps) {
  ProcessSpec p{name, {}, {}};
  for (const auto& text : steps) {
    auto step = parse_step(text);
    REQUIRE_MESSAGE(step.has_value(), (step ? "" : step.error().message));
    p.program.push_back(*step);
  }
  return p;
}

/// Builds the model, failing the test if the configuration is invalid.
inline DmModel build(const Config& config) {
  auto model = DmModel::build(config);
  REQUIRE_MESSAGE(model.has_value(), (model ? "" : model.error().message));
  return *model;
}

/// Explores exhaustively with BFS.
inline checker::RunResult<DmModel> explore(const DmModel& model, bool deadlock = true) {
  checker::Options options;
  options.check_deadlock = deadlock;
  options.progress = checker::ProgressMode::never;
  auto result = checker::check(model, options);
  REQUIRE(result.has_value());
  REQUIRE(result->complete());
  return *result;
}

/// The verdict of a named property.
inline checker::Verdict verdict(const checker::RunResult<DmModel>& r, std::string_view name) {
  const auto* p = r.find(name);
  REQUIRE_MESSAGE(p != nullptr, std::string(name));
  return p->verdict;
}

/// The length of the trace of a named property (0 when none).
inline std::size_t trace_length(const checker::RunResult<DmModel>& r, std::string_view name) {
  const auto* p = r.find(name);
  REQUIRE_MESSAGE(p != nullptr, std::string(name));
  return p->trace ? p->trace->length() : 0;
}

/// The described trace of a property, one line per action (for failure messages and reports).
inline std::string describe_trace(const DmModel& model, const checker::RunResult<DmModel>& r,
                                  std::string_view name) {
  const auto* p = r.find(name);
  std::string text;
  if (p != nullptr && p->trace) {
    for (std::size_t i = 0; i < p->trace->actions.size(); ++i) {
      text += "  " + model.describe_action(p->trace->actions[i]) + "\n";
    }
    text += "  => " + model.describe_state(p->trace->states.back()) + "\n";
  }
  return text;
}

/// A plain breadth-first search, independent of the engine: calls `visit(state, has_successors)`
/// on every reachable state until it returns true; returns whether it did.
template <class Visit>
bool search_reachable(const DmModel& model, Visit visit) {
  std::set<std::string> seen;
  std::deque<State> queue;
  auto enqueue = [&](const State& s) {
    if (seen.insert(std::string(reinterpret_cast<const char*>(&s), sizeof(State))).second) {
      queue.push_back(s);
    }
  };
  for (const State& s : model.initial_states()) {
    enqueue(s);
  }
  while (!queue.empty()) {
    const State s = queue.front();
    queue.pop_front();
    bool any = false;
    model.successors(s, [&](const Action&, const State& n) {
      any = true;
      enqueue(n);
    });
    if (visit(s, any)) {
      return true;
    }
  }
  return false;
}

/// The number of reachable states by the plain search above, which keeps whole states rather
/// than the engine's fingerprints: an independent count to check the engine's against.
inline std::size_t count_reachable(const DmModel& model) {
  std::size_t count = 0;
  search_reachable(model, [&](const State&, bool) {
    ++count;
    return false;
  });
  return count;
}

/// Every reachable state with no successors (final or deadlocked). There is always at least
/// one: a test that loops over none would check nothing, so that fails here.
inline std::vector<State> end_states(const DmModel& model) {
  std::vector<State> ends;
  search_reachable(model, [&](const State& s, bool has_successors) {
    if (!has_successors) {
      ends.push_back(s);
    }
    return false;
  });
  REQUIRE_MESSAGE(!ends.empty(), "no end state: checks over end states would hold vacuously");
  return ends;
}

/// Whether some reachable state satisfies `pred`.
template <class Pred>
bool reachable(const DmModel& model, Pred pred) {
  return search_reachable(model, [&](const State& s, bool) { return pred(s); });
}

}  // namespace dmcheck::model::testing
