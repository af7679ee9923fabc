// The windows between the kernel's unlocked "already suspended?" tests and the locked re-tests in
// dm_suspend and dm_resume: the outcomes two racing suspend/resume calls can have, derived by
// hand from the kernel's code (do_suspend, do_resume, dm_suspend, dm_resume) and checked here
// over every end state. Each set is exact, so a window closed or opened by mistake fails.

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <tuple>

#include "tests/model/fixtures.h"

namespace dmcheck::model::testing {
namespace {

/// (p0's errno, p1's errno, suspended, live table, inactive table) at one end state.
using Outcome = std::tuple<int, int, bool, std::string, std::string>;

std::set<Outcome> outcomes(const DmModel& model) {
  std::set<Outcome> seen;
  for (const State& s : end_states(model)) {
    CHECK(model.is_final(s));
    const Device& d = s.devices[0];
    seen.insert({s.processes[0].last.err, s.processes[1].last.err, (d.flags & kSuspended) != 0,
                 model.table_name(d.live), model.table_name(d.inactive)});
  }
  return seen;
}

/// (p0's errno, p1's errno, device a freed) at one end state.
using RemoveOutcome = std::tuple<int, int, bool>;

std::set<RemoveOutcome> remove_outcomes(const DmModel& model) {
  std::set<RemoveOutcome> seen;
  for (const State& s : end_states(model)) {
    CHECK(model.is_final(s));
    seen.insert(
        {s.processes[0].last.err, s.processes[1].last.err, s.devices[0].life == Life::freed});
  }
  return seen;
}

/// Device a with lin0 live (and `inactive` staged), raced by two single-call processes.
DmModel race(const std::string& inactive, const std::string& first, const std::string& second,
             const std::string& variant = "6.1") {
  Config c = base_config(variant);
  c.devices = {{"a", "", "lin0", false, 0, 0, inactive, false}};
  c.processes = {process("p0", {first}), process("p1", {second})};
  return build(c);
}

TEST_SUITE("model/windows") {
  TEST_CASE("suspend || suspend: the loser of dm_suspend's re-test fails EINVAL") {
    // do_suspend found the device not suspended; the other suspend got suspend_lock first.
    CHECK(outcomes(race("", "suspend a", "suspend a")) ==
          std::set<Outcome>{{kOk, kOk, true, "lin0", ""},
                            {kOk, kEINVAL, true, "lin0", ""},
                            {kEINVAL, kOk, true, "lin0", ""}});
  }

  TEST_CASE("suspend || resume carrying a table: either can lose the suspend race") {
    CHECK(outcomes(race("zero", "suspend a", "resume a")) ==
          std::set<Outcome>{
              {kOk, kOk, false, "zero", ""},  // suspend first, or inside the resume
              {kOk, kOk, true, "zero", ""},   // the resume first
              // the resume's implicit dm_suspend lost: its table goes back to the inactive slot
              {kOk, kEINVAL, true, "lin0", "zero"},
              // the explicit suspend lost to the resume's implicit one
              {kEINVAL, kOk, false, "zero", ""}});
  }

  TEST_CASE("resume || resume: the swap or dm_resume finds the device resumed by the other") {
    // Either process may take the inactive table (it looks the device up first).
    CHECK(outcomes(race("zero", "resume a", "resume a")) ==
          std::set<Outcome>{
              {kOk, kOk, false, "zero", ""},
              // dm_swap_table: the plain resume resumed the device first; the table is lost
              {kEINVAL, kOk, false, "lin0", ""},
              {kOk, kEINVAL, false, "lin0", ""},
              // dm_resume: both saw SUSPENDED without the lock; the other resumed first, so one
              // fails while the new table is live and the device runs
              {kEINVAL, kOk, false, "zero", ""},
              {kOk, kEINVAL, false, "zero", ""}});
  }

  TEST_CASE("suspend || remove: dm_destroy suspends before it waits, so a suspend can lose") {
    // __dm_destroy takes suspend_lock and suspends the unhashed device before it waits for
    // holders; a suspend that found it not suspended then fails EINVAL under the lock.
    for (const char* variant : {"6.1", "6.12"}) {
      CAPTURE(variant);
      CHECK(remove_outcomes(race("", "suspend a", "remove a", variant)) ==
            std::set<RemoveOutcome>{{kOk, kOk, true}, {kENXIO, kOk, true}, {kEINVAL, kOk, true}});
    }
  }

  TEST_CASE("resume || remove: 6.12's dm_resume refuses a device being freed, 6.1.176's not") {
    const auto v612 = remove_outcomes(race("zero", "resume a", "remove a", "6.12"));
    const auto v61 = remove_outcomes(race("zero", "resume a", "remove a", "6.1"));
    // The resume looked the device up; remove's destroy suspended it, then its swap and its
    // dm_resume ran on the dying device: 6.12 fails with EINVAL (FREEING), 6.1.176 resumes it.
    CHECK(v612.count({kEINVAL, kOk, true}) == 1);
    CHECK(v61.count({kEINVAL, kOk, true}) == 0);
    for (const auto& set : {v61, v612}) {
      CHECK(set.count({kOk, kOk, true}) == 1);
      CHECK(set.count({kENXIO, kOk, true}) == 1);  // looked up after the unhash, or lost the
                                                   // implicit suspend to the destroy
      for (const auto& [resume, remove, freed] : set) {
        CHECK(remove == kOk);
        CHECK(freed);
      }
    }
  }

  TEST_CASE("an initial inactive table is staged like a load, and checked like one") {
    Config c = base_config();
    c.devices = {{"a", "", "lin0", false, 0, 0, "zero", false}};
    c.processes = {process("p0", {"info a"})};
    const auto model = build(c);
    const State s = model.initial_states().front();
    CHECK(model.table_name(s.devices[0].inactive) == "zero");
    c.devices = {{"a", "", "lin0", false, 0, 0, "ver1", false}};
    CHECK_FALSE(DmModel::build(c).has_value());  // verity needs a read-only table
    c.devices = {{"a", "", "", false, 0, 0, "zero", false}};
    CHECK_FALSE(DmModel::build(c).has_value());  // no live table
    c.devices = {{"a", "", "lin0", false, 0, 0, "onto_b", false},
                 {"b", "", "lin1", false, 0, 0, "", false}};
    CHECK_FALSE(DmModel::build(c).has_value());  // a device below an initial inactive table
    c.devices = {{"a", "", "ver1", true, 0, 0, "lin0", false}};
    CHECK_FALSE(DmModel::build(c).has_value());  // verity is immutable
    c.devices = {{"a", "", "ver1", true, 0, 0, "err", false}};
    CHECK(DmModel::build(c).has_value());  // except by error
  }
}

}  // namespace
}  // namespace dmcheck::model::testing
