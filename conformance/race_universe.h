#pragma once
/// Races generated from the conformance universe (conformance/universe.h), for running on the
/// real kernel and comparing each outcome with the end states the model allows.
///
/// A race is a starting situation of device a and 2 or 3 processes of 1 to 3 plain calls on it
/// (or on b, c, or every device for create, rename and remove_all). All races share the
/// universe's disks and tables, so that one boot of the kernel serves them all.
///
/// Starting situations (model::DeviceSpec of a; the name's prefix):
///   lin0        a with lin0 live
///   lin0+zero   a with lin0 live and zero loaded in the inactive slot
///   notable     a created without a table
///   lin0+held   a with lin0 live and one open held outside the race (a swapon)
/// A suspended device is not a starting situation; a thread's "suspend a; resume a" races a
/// suspended window instead.
///
/// Thread sequences, one per call kind the model has on a device: "open a" (kept open),
/// "open a; close a", "open a; read a" (a thread closes or reads only what it opened),
/// "remove a", "remove a --deferred", "message a 0 @cancel_deferred_remove", "suspend a",
/// "suspend a --noflush", "resume a", "suspend a; resume a", "load a lin1", "clear a",
/// "info a", "rename a c", "create b --table lin1", "create a --table lin1", "remove_all".
///
/// Pairs: every unordered pair of sequences (a sequence with itself included) in lin0; in each
/// other situation, the pairs where at least one sequence is one whose outcome the situation
/// changes:
///   lin0+zero: resume, suspend then resume, load, clear (the inactive slot is theirs)
///   notable:   open then read, resume, load (a device without a table)
///   lin0+held: remove, remove --deferred, cancel, remove_all (an open they must respect)
/// Triples: the classic three-way races (triples() in the source), e.g. last close vs deferred
/// remove vs reopen, suspend vs two resumes, load vs resume vs clear, a read vs two threads
/// suspending and resuming.
///
/// A candidate is left out (left_out_reason) when check_race refuses it, when a call needs a
/// patched kernel (predict.h's needs_patch; none of the calls above does on 6.1), when the model
/// fails on it or cannot explore it completely within kRaceExplorationStates states, or when
/// one of its model outcomes is a deadlock: a read of a device left suspended waits forever on
/// the kernel, and the agent refuses such a race. Of the 338 candidates (325 pairs, 13
/// triples), 2 are left out, both for a deadlock ("lin0: open a; read a || suspend a", and the
/// same with --noflush), leaving 336 races. Generating them explores each candidate with the
/// model: well under a second in all.
///
/// Names are unique and in a fixed order, e.g. "lin0+zero: suspend a || resume a".

#include <cstddef>
#include <string>
#include <vector>

#include "conformance/race.h"

namespace dmcheck::conformance {

/// The most distinct states the model may explore for one race: far above any generated race
/// (the largest needs a few thousand), so a race that reaches it is left out, not cut short.
inline constexpr std::size_t kRaceExplorationStates = 200'000;

/// Every race the generator considers, before the model leaves some out: pairs then triples,
/// each of `iterations` (1 to kMaxRaceIterations, else check_race refuses them).
std::vector<Race> race_candidates(std::size_t iterations);

/// Why `race` is not run, or "" when it is kept: check_race's refusal, a call that needs a
/// patched kernel, an exploration the model cannot complete (or an error of the model), or a
/// deadlock among the model's outcomes (a call that waits forever cannot race).
std::string left_out_reason(const Race& race);

/// The candidates that are kept (left_out_reason is empty), in the same order, each predicted
/// by the model's `base` kernel.
std::vector<Race> generated_races(std::size_t iterations, model::Base base = model::Base::v6_1);

}  // namespace dmcheck::conformance
