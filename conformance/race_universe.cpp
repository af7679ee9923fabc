#include "conformance/race_universe.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "conformance/predict.h"
#include "conformance/universe.h"
#include "model/dm_model.h"
#include "model/outcomes.h"

namespace dmcheck::conformance {

namespace {

/// A starting situation: the prefix of a race's name and device a at the start.
struct Situation {
  std::string name;
  model::DeviceSpec a;
  /// The sequences (as sequence_text writes them) whose outcome this situation changes; empty:
  /// all of them.
  std::vector<std::string> changes;
};

/// A thread's calls, written as dmsetup's words.
using Sequence = std::vector<std::string>;

/// One thread sequence per call kind the model has on a device (see the header).
const std::vector<Sequence>& sequences() {
  static const std::vector<Sequence> all = {
      {"open a"},
      {"open a", "close a"},
      {"open a", "read a"},
      {"remove a"},
      {"remove a --deferred"},
      {"message a 0 @cancel_deferred_remove"},
      {"suspend a"},
      {"suspend a --noflush"},
      {"resume a"},
      {"suspend a", "resume a"},
      {"load a lin1"},
      {"clear a"},
      {"info a"},
      {"rename a c"},
      {"create b --table lin1"},
      {"create a --table lin1"},
      {"remove_all"},
  };
  return all;
}

/// The starting situations, in the order of the header; triples() names them by index.
enum Start : std::size_t { kLin0, kInactive, kNoTable, kHeld };

std::vector<Situation> situations() {
  model::DeviceSpec lin0;
  lin0.name = "a";
  lin0.table = "lin0";
  model::DeviceSpec inactive = lin0;
  inactive.inactive = "zero";
  model::DeviceSpec notable;
  notable.name = "a";
  model::DeviceSpec held = lin0;
  held.open_count = 1;
  return {
      {"lin0", lin0, {}},
      {"lin0+zero", inactive, {"resume a", "suspend a; resume a", "load a lin1", "clear a"}},
      {"notable", notable, {"open a; read a", "resume a", "load a lin1"}},
      {"lin0+held",
       held,
       {"remove a", "remove a --deferred", "message a 0 @cancel_deferred_remove", "remove_all"}}};
}

/// The classic three-way races: starting situation and the three threads.
std::vector<std::pair<Start, std::vector<Sequence>>> triples() {
  return {
      {kLin0, {{"open a", "close a"}, {"remove a --deferred"}, {"open a"}}},
      {kHeld, {{"open a", "close a"}, {"remove a --deferred"}, {"open a"}}},
      {kHeld,
       {{"remove a --deferred"}, {"message a 0 @cancel_deferred_remove"}, {"open a", "close a"}}},
      {kLin0, {{"remove a"}, {"open a"}, {"open a", "close a"}}},
      {kLin0, {{"suspend a"}, {"resume a"}, {"resume a"}}},
      {kInactive, {{"suspend a"}, {"resume a"}, {"resume a"}}},
      {kInactive, {{"resume a"}, {"resume a"}, {"resume a"}}},
      {kLin0, {{"suspend a"}, {"suspend a"}, {"resume a"}}},
      {kLin0, {{"load a lin1"}, {"resume a"}, {"clear a"}}},
      {kInactive, {{"load a lin1"}, {"resume a"}, {"clear a"}}},
      {kLin0, {{"rename a c"}, {"create a --table lin1"}, {"remove a"}}},
      {kLin0, {{"remove_all"}, {"create b --table lin1"}, {"open a"}}},
      {kLin0, {{"open a", "read a"}, {"suspend a", "resume a"}, {"suspend a", "resume a"}}},
  };
}

/// "open a; close a".
std::string sequence_text(const Sequence& s) {
  std::string out;
  for (const std::string& call : s) {
    out += (out.empty() ? "" : "; ") + call;
  }
  return out;
}

/// The race of `threads` from `situation`, on the universe's disks and tables.
Race make_race(const Situation& situation, const std::vector<Sequence>& threads,
               std::size_t iterations) {
  Race race;
  race.iterations = iterations;
  race.config = universe();
  race.config.devices = {situation.a};
  race.name = situation.name + ":";
  for (std::size_t t = 0; t < threads.size(); ++t) {
    race.name += (t == 0 ? " " : " || ") + sequence_text(threads[t]);
    model::ProcessSpec p{"p" + std::to_string(t + 1), {}, {}};
    for (const std::string& text : threads[t]) {
      // The sequences are fixed text: a call that does not parse (a bug here) leaves its
      // process short, which check_race refuses and the tests catch as a race left out.
      if (auto step = model::parse_step(text)) {
        p.program.push_back(std::move(*step));
      }
    }
    race.config.processes.push_back(std::move(p));
  }
  return race;
}

/// The situation changes the outcome of `sequence`: it is worth racing from there.
bool changed_by(const Situation& situation, const Sequence& sequence) {
  const std::string text = sequence_text(sequence);
  return situation.changes.empty() || std::find(situation.changes.begin(), situation.changes.end(),
                                                text) != situation.changes.end();
}

/// Why the model rules `race` out (its outcomes cannot be known, or one is a hang), or "".
std::string model_reason(const Race& race) {
  auto built = model::DmModel::build(race.config);
  if (!built) {
    return "the model refuses it: " + built.error().message;
  }
  checker::Options options;
  options.max_states = kRaceExplorationStates;
  options.progress = checker::ProgressMode::never;
  auto run = model::explore_outcomes(*built, options);
  if (!run) {
    return "the model cannot explore it: " + run.error().message;
  }
  if (!run->complete()) {
    return fmt::format("the model's exploration stopped ({}) after {} states",
                       checker::to_string(run->stop), run->stats.states);
  }
  const bool hangs = std::any_of(run->ends.begin(), run->ends.end(),
                                 [](const model::EndState& e) { return e.deadlock; });
  if (hangs) {
    return "one of its outcomes in the model is a deadlock: a call waits forever (a read of a "
           "device left suspended)";
  }
  return "";
}

}  // namespace

std::vector<Race> race_candidates(std::size_t iterations) {
  const std::vector<Sequence>& seqs = sequences();
  const std::vector<Situation> sits = situations();
  std::vector<Race> out;
  for (std::size_t i = 0; i < seqs.size(); ++i) {
    for (std::size_t j = i; j < seqs.size(); ++j) {
      for (const Situation& s : sits) {
        if (changed_by(s, seqs[i]) || changed_by(s, seqs[j])) {
          out.push_back(make_race(s, {seqs[i], seqs[j]}, iterations));
        }
      }
    }
  }
  for (const auto& [start, threads] : triples()) {
    out.push_back(make_race(sits.at(start), threads, iterations));
  }
  return out;
}

std::string left_out_reason(const Race& race) {
  if (auto checked = check_race(race); !checked) {
    return checked.error().message;
  }
  std::vector<model::Call> calls;
  for (const model::ProcessSpec& p : race.config.processes) {
    model::for_each_call(p.program, [&](const model::Call& c) { calls.push_back(c); });
  }
  if (std::string why = needs_patch(race.config, calls); !why.empty()) {
    return "it needs a patched kernel: " + why;
  }
  return model_reason(race);
}

std::vector<Race> generated_races(std::size_t iterations, model::Base base) {
  std::vector<Race> out;
  for (Race& race : race_candidates(iterations)) {
    race.config.variant.base = base;
    if (left_out_reason(race).empty()) {
      out.push_back(std::move(race));
    }
  }
  return out;
}

}  // namespace dmcheck::conformance
