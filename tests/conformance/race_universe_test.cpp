/// The races generated from the conformance universe: runnable, named once each, covering every
/// call kind in pairs and triples, free of calls that wait forever, and including the races the
/// kernel was first seen to diverge on.

#include "conformance/race_universe.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "model/dm_model.h"
#include "model/outcomes.h"

namespace conformance = dmcheck::conformance;
namespace model = dmcheck::model;

namespace {

/// The generated races, computed once for all test cases (each race is explored by the model).
const std::vector<conformance::Race>& races() {
  static const std::vector<conformance::Race> all = conformance::generated_races(100);
  return all;
}

std::vector<std::string> names_of(const std::vector<conformance::Race>& rs) {
  std::vector<std::string> out;
  for (const conformance::Race& r : rs) {
    out.push_back(r.name);
  }
  return out;
}

const conformance::Race* find(const std::string& name) {
  const auto it = std::find_if(races().begin(), races().end(),
                               [&](const conformance::Race& r) { return r.name == name; });
  return it == races().end() ? nullptr : &*it;
}

/// Each process's calls, as written.
std::vector<std::vector<std::string>> threads_of(const conformance::Race& race) {
  std::vector<std::vector<std::string>> out;
  for (const model::ProcessSpec& p : race.config.processes) {
    out.emplace_back();
    model::for_each_call(p.program,
                         [&](const model::Call& c) { out.back().push_back(model::to_string(c)); });
  }
  return out;
}

/// A call kind as the header lists it: the op, with the flags that make a different call.
std::string kind_of(const model::Call& c) {
  std::string kind(model::to_string(c.op));
  if (c.deferred) {
    kind += " --deferred";
  }
  if (c.noflush) {
    kind += " --noflush";
  }
  if (c.op == model::Op::create) {
    kind += c.device == "a" ? " a" : " new";
  }
  return kind;
}

}  // namespace

TEST_SUITE("conformance/race_universe") {
  TEST_CASE("every generated race is runnable and named once, in a fixed order") {
    const auto& rs = races();
    MESSAGE(rs.size() << " races generated");
    CHECK(rs.size() >= 150);
    CHECK(rs.size() <= 400);
    std::set<std::string> names;
    for (const conformance::Race& r : rs) {
      CAPTURE(r.name);
      const auto checked = conformance::check_race(r);
      CHECK_MESSAGE(checked, (checked ? "" : checked.error().message));
      CHECK(r.iterations == 100);
      CHECK(names.insert(r.name).second);
      CHECK(r.config.processes.size() >= 2);
      CHECK(r.config.processes.size() <= 3);
      for (const model::ProcessSpec& p : r.config.processes) {
        CHECK(p.program.size() >= 1);
        CHECK(p.program.size() <= 3);
      }
    }
    // The same names in the same order every time, whatever the iterations.
    CHECK(names_of(conformance::generated_races(7)) == names_of(rs));
  }

  TEST_CASE("every call kind appears, in pairs and in triples") {
    std::set<std::string> kinds;
    std::size_t pairs = 0;
    std::size_t triples = 0;
    for (const conformance::Race& r : races()) {
      (r.config.processes.size() == 2 ? pairs : triples) += 1;
      for (const model::ProcessSpec& p : r.config.processes) {
        model::for_each_call(p.program, [&](const model::Call& c) { kinds.insert(kind_of(c)); });
      }
    }
    MESSAGE(pairs << " pairs, " << triples << " triples");
    CHECK(pairs > 0);
    CHECK(triples > 0);
    const std::set<std::string> expected = {"open",
                                            "close",
                                            "read",
                                            "remove",
                                            "remove --deferred",
                                            "message",
                                            "suspend",
                                            "suspend --noflush",
                                            "resume",
                                            "load",
                                            "clear",
                                            "info",
                                            "rename",
                                            "create new",
                                            "create a",
                                            "remove_all"};
    CHECK(kinds == expected);
  }

  TEST_CASE("no generated race has a call the model lets wait forever") {
    for (const conformance::Race& r : races()) {
      CAPTURE(r.name);
      auto built = model::DmModel::build(r.config);
      REQUIRE(built);
      dmcheck::checker::Options options;
      options.progress = dmcheck::checker::ProgressMode::never;
      const auto run = model::explore_outcomes(*built, options);
      REQUIRE(run);
      CHECK(run->complete());
      CHECK_FALSE(run->ends.empty());
      CHECK(std::none_of(run->ends.begin(), run->ends.end(),
                         [](const model::EndState& e) { return e.deadlock; }));
    }
  }

  TEST_CASE("a race whose read can wait forever is left out, and nothing else is") {
    const auto candidates = conformance::race_candidates(100);
    std::size_t left_out = 0;
    for (const conformance::Race& r : candidates) {
      const std::string why = conformance::left_out_reason(r);
      if (!why.empty()) {
        CAPTURE(r.name);
        CHECK(why.starts_with("one of its outcomes in the model is a deadlock"));
        CHECK(find(r.name) == nullptr);
        ++left_out;
      }
    }
    const std::string hang = "lin0: open a; read a || suspend a";
    const auto it = std::find_if(candidates.begin(), candidates.end(),
                                 [&](const conformance::Race& r) { return r.name == hang; });
    REQUIRE(it != candidates.end());
    CHECK_FALSE(conformance::left_out_reason(*it).empty());
    CHECK(find(hang) == nullptr);
    // The figures the header states.
    CHECK(candidates.size() == 338);
    CHECK(left_out == 2);
    CHECK(races().size() == candidates.size() - left_out);
  }

  TEST_CASE("the races the kernel was first compared on are generated") {
    using Threads = std::vector<std::vector<std::string>>;
    const conformance::Race* open_remove = find("lin0: open a || remove a");
    REQUIRE(open_remove);
    CHECK(threads_of(*open_remove) == Threads{{"open a"}, {"remove a"}});
    CHECK(open_remove->config.devices.front().table == "lin0");
    CHECK(open_remove->config.devices.front().inactive.empty());

    const conformance::Race* deferred =
        find("lin0: open a; close a || remove a --deferred || open a");
    REQUIRE(deferred);
    CHECK(threads_of(*deferred) ==
          Threads{{"open a", "close a"}, {"remove a --deferred"}, {"open a"}});

    const conformance::Race* suspends = find("lin0: suspend a || suspend a");
    REQUIRE(suspends);
    CHECK(threads_of(*suspends) == Threads{{"suspend a"}, {"suspend a"}});

    for (const std::string name :
         {"lin0+zero: suspend a || resume a", "lin0+zero: resume a || resume a"}) {
      CAPTURE(name);
      const conformance::Race* r = find(name);
      REQUIRE(r);
      REQUIRE(r->config.devices.size() == 1);
      CHECK(r->config.devices.front().table == "lin0");
      CHECK(r->config.devices.front().inactive == "zero");
      CHECK(r->config.devices.front().open_count == 0);
    }
  }
}
