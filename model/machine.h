#pragma once
/// Internal: the transition function. One Machine is made per successors() call; each method
/// is one kernel step (or a call's first step) and emits every outcome it allows — several when
/// the configuration lets a failure happen or the program branches.
///
/// Atomicity follows the kernel's locks: a _minor_lock or _hash_lock section is inside one
/// step; a step that needs a device's suspend_lock while another process holds it across steps
/// (a suspend waiting for in-flight reads) is not enabled; a destroy waits for holders.

#include <cstddef>

#include "model/compiled.h"
#include "model/dm_model.h"

namespace dmcheck::model::detail {

class Machine {
 public:
  using Sink = checker::SuccessorSink<Action, State>;
  Machine(const Compiled& c, Sink emit) : c_(c), emit_(emit) {}

  void process(const State& s, std::size_t pid);
  void worker(const State& s);
  /// The worker's dm_destroy of the device it unhashed: its suspend section, then the wait for
  /// holders and the free.
  void worker_destroy(const State& s);
  void prober(const State& s);
  /// The internal suspender (Actors::internal_suspender): an internal suspend of its device, or
  /// the internal resume of the device it holds suspended.
  void internal(const State& s);

 private:
  /// The first step of the call the process is at (one per operation).
  void start_call(const State& s, std::size_t pid, const CompiledCall& cc);
  /// The next sub-step of a call already under way: the process's phase says which.
  void continue_call(const State& s, std::size_t pid, const CompiledCall& cc);

  // Calls and their sub-steps (machine_*.cpp). `pid` is the acting process.
  void create(const State& s, std::size_t pid, const CompiledCall& cc);
  void load_build(const State& s, std::size_t pid, const CompiledCall& cc);
  void load_stage(const State& s, std::size_t pid, const CompiledCall& cc);
  void clear(const State& s, std::size_t pid, const CompiledCall& cc);
  void suspend(const State& s, std::size_t pid, const CompiledCall& cc);
  void suspend_lock(const State& s, std::size_t pid, const CompiledCall& cc);
  void suspend_wait(const State& s, std::size_t pid);
  void resume_lookup(const State& s, std::size_t pid, const CompiledCall& cc);
  void resume_suspend(const State& s, std::size_t pid);
  void resume_suspend_lock(const State& s, std::size_t pid);
  void resume_swap(const State& s, std::size_t pid);
  void resume_check(const State& s, std::size_t pid);
  void resume_resume(const State& s, std::size_t pid);
  /// Resume step 3 failed with `err`: the new table is destroyed, the old one stays live and
  /// the device stays suspended.
  void fail_swap(State n, std::size_t pid, int slot, std::uint8_t err);
  /// The internal suspender's two moves: suspend its device, or resume the one it holds.
  void internal_suspend(const State& s);
  void internal_resume(const State& s);
  void remove(const State& s, std::size_t pid, const CompiledCall& cc, bool revert);
  /// dm_destroy's section under suspend_lock: a device not yet suspended is suspended (no
  /// flush), before the wait for holders. Callers that tested "not suspended" earlier now fail.
  void destroy_suspend(const State& s, std::size_t pid);
  void destroy(const State& s, std::size_t pid, bool remove_all);
  void remove_all_scan(const State& s, std::size_t pid, const CompiledCall& cc);
  void cancel_lookup(const State& s, std::size_t pid, const CompiledCall& cc);
  void cancel_lock(const State& s, std::size_t pid);
  void crypt_key(const State& s, std::size_t pid, const CompiledCall& cc);
  /// create_thin, create_snap or delete sent to a thin-pool (model/thin_pool.h).
  void thin_message(const State& s, std::size_t pid, const CompiledCall& cc);
  void rename(const State& s, std::size_t pid, const CompiledCall& cc);
  void info(const State& s, std::size_t pid, const CompiledCall& cc);
  void set_open_limit(const State& s, std::size_t pid, const CompiledCall& cc);
  /// status and table: the device's status and each target's line, reduced (machine_query.cpp).
  void target_query(const State& s, std::size_t pid, const CompiledCall& cc);
  /// A read failed verity's check on the live table of the device in slot `verity_md` - 1:
  /// marks it kVerityCorrupt (machine_query.cpp).
  void note_hash_failure(State& n, std::uint8_t verity_md) const;
  void open(const State& s, std::size_t pid, const CompiledCall& cc);
  void close(const State& s, std::size_t pid, const CompiledCall& cc);
  /// A read or write passes the device's gate: in flight, or queued while it holds I/O.
  void io_submit(const State& s, std::size_t pid, const CompiledCall& cc);
  /// The read or write reaches the units it maps, unless something on its way holds I/O.
  void io_complete(const State& s, std::size_t pid, const CompiledCall& cc);
  /// A write's units, none waiting, are written in turn up to the first that fails.
  void write_units(const State& s, std::size_t pid, const CompiledCall& cc, unsigned units);

  /// The hashed device the call names, or kNone after finishing the call with ENXIO.
  int lookup(const State& s, std::size_t pid, const CompiledCall& cc);
  /// The newest handle the process opened under the call's name, or -1 after finishing the call
  /// with EBADF.
  int handle(const State& s, std::size_t pid, const CompiledCall& cc);
  /// Resume step 2's suspend failed with `err`: the taken table goes back to the inactive slot,
  /// or is destroyed with ENXIO when the cell is gone or the slot was refilled (6.11+ do_resume).
  void fail_implicit_suspend(const State& s, std::size_t pid, std::uint8_t err);
  /// The load or resume inside a create failed: dmsetup removes the device, then reports `err`.
  void fail_create(State n, std::size_t pid, std::uint8_t err, Phase phase);
  /// A load or resume finished with `obs`: complete the call, or continue the create.
  void end_load(State n, std::size_t pid, Observation obs);
  void end_resume(State n, std::size_t pid, Observation obs);
  /// Resume's last part: the old table is destroyed, then the call ends with `obs`.
  void end_resume_call(State n, std::size_t pid, Observation obs);
  /// The call returns `obs`: emit one successor per next program position.
  void finish(State n, std::size_t pid, Observation obs);
  /// The call needs more than the model holds: emits `n` marked past `bound` (no successors).
  void exceed(State n, std::size_t pid, Bound bound, std::uint8_t at);
  /// An intermediate sub-step was performed; the process is now at `n`'s phase.
  void step(const State& n, std::size_t pid, Phase performed, std::uint8_t device);
  /// Labels `a` as process `pid`'s `event`. Fills an Action in place: returning one made the
  /// compiler build it in a temporary and copy it whole, a reload that stalled every step.
  void label(Action& a, std::size_t pid, Event event) const;
  /// Sets the no-open mark ghost per the catalogue's reading when a busy device is marked.
  void mark_deferred(Device& d, bool no_open) const;

  const Compiled& c_;
  Sink emit_;
  const State* from_ = nullptr;  ///< the state being expanded, for labels
};

}  // namespace dmcheck::model::detail
