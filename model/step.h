#pragma once
/// A process's program is a list of steps in dmsetup's words. A step is one call, a
/// nondeterministic choice among call sequences, a call sequence repeated 1..N times, or a
/// reacting step whose calls depend on the result of the process's previous completed call
/// (`if ok`, `on ERRNO`, `retry N`), as lvm2, cryptsetup and systemd act on an ioctl's result.

#include <cstdint>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "checker/error.h"

namespace dmcheck::model {

/// The operations a process can perform.
enum class Op : std::uint8_t {
  create,           ///< DM_DEV_CREATE, then (with --table) load and resume as dmsetup does
  load,             ///< DM_TABLE_LOAD
  clear,            ///< DM_TABLE_CLEAR
  suspend,          ///< DM_DEV_SUSPEND with the suspend flag
  resume,           ///< DM_DEV_SUSPEND without it
  remove,           ///< DM_DEV_REMOVE
  remove_all,       ///< DM_REMOVE_ALL
  cancel_deferred,  ///< DM_TARGET_MSG "@cancel_deferred_remove"
  crypt_key,        ///< DM_TARGET_MSG "key set" / "key wipe" to a crypt target
  rename,           ///< DM_DEV_RENAME
  info,             ///< DM_DEV_STATUS
  open,             ///< open(2) of the block device
  close,            ///< close(2) of a handle opened earlier under that name
  read,             ///< a read through a handle: data, zeros or EIO; waits while suspended
  set_open_limit,   ///< the open-limit-ioctl patch's new ioctl
  write,            ///< a write through a handle: a letter's data onto the units it maps
  status,           ///< DM_TABLE_STATUS: each target's status line (model/target_status.h)
  table,            ///< DM_TABLE_STATUS with DM_STATUS_TABLE_FLAG: each target's table line
  thin_message,     ///< DM_TARGET_MSG to a thin-pool: create_thin, create_snap or delete
};

/// The thin-pool messages the model knows.
enum class ThinVerb : std::uint8_t {
  create_thin,  ///< `create_thin ID`: a new thin device with no blocks
  create_snap,  ///< `create_snap ID ORIGIN`: a new thin sharing ORIGIN's blocks
  delete_thin,  ///< `delete ID`: the thin and the blocks only it maps are gone
};

/// "create", "remove_all", "message", ...
std::string_view to_string(Op op);

/// One call with its arguments, as written in the program.
struct Call {
  Op op = Op::info;
  std::string device;           ///< NAME (empty for remove_all)
  std::string table;            ///< create --table T, load NAME T
  std::string uuid;             ///< create --uuid U
  std::string new_name;         ///< rename NAME NEW
  std::uint8_t open_limit = 0;  ///< create --open-limit N, set_open_limit NAME N
  /// create --open-limit N was given (DM_ENFORCE_OPEN_COUNT_FLAG): N is enforced, 0 included.
  bool enforce_open_limit = false;
  bool readonly = false;  ///< create/load --readonly
  bool notable = false;   ///< create --notable
  /// suspend/resume --noflush: no filesystem is frozen, and a target that requeues under
  /// NOFLUSH_SUSPENDING (thin-pool here, as thin and multipath in the kernel) pushes reads in
  /// flight back to the queue instead of being waited for; any other target is waited for.
  bool noflush = false;
  /// suspend/resume --nolockfs: no filesystem freeze, so a resume's implicit suspend cannot
  /// fail in lockfs (Failures::implicit_suspend).
  bool nolockfs = false;
  bool deferred = false;    ///< remove/remove_all --deferred
  bool no_open = false;     ///< remove/remove_all --no-open (no-open-flag patch)
  bool extra_args = false;  ///< message ... @cancel_deferred_remove with extra arguments
  bool key_set = false;     ///< message NAME 0 key set (false: key wipe)
  /// read/write --all: every unit of the device (its size when the call starts), not only the
  /// first.
  bool whole = false;
  char letter = 'w';  ///< write NAME [LETTER]: the data written, one of 'a' to 'z'
  /// status/table --inactive: DM_QUERY_INACTIVE_TABLE_FLAG, the inactive table is reported.
  bool inactive = false;
  ThinVerb thin_verb = ThinVerb::create_thin;  ///< message NAME 0 create_thin|create_snap|delete
  std::uint32_t thin_id = 0;                   ///< the thin message's ID
  std::uint32_t thin_origin = 0;               ///< create_snap's ORIGIN

  bool operator==(const Call&) const = default;
};

/// "create_thin", "create_snap", "delete": the message's first word.
std::string_view to_string(ThinVerb verb);

/// A thin-pool message's text as the kernel receives it: "create_snap 1 0".
std::string thin_message_words(const Call& call);

/// The call in dmsetup's words, e.g. "remove swap --deferred".
std::string to_string(const Call& call);

/// The userspace commands that expand into reacting steps (docs/scenarios.md shows each).
enum class Composite : std::uint8_t {
  none,
  remove_retry,  ///< `remove --retry NAME`: libdevmapper's retry of a remove on EBUSY
  remove_force,  ///< `remove --force NAME`: dmsetup's error table, resume, then remove
};

/// The attempts libdevmapper makes of a remove with retry_remove set (DM_IOCTL_RETRIES).
inline constexpr std::uint8_t kLibdmRemoveAttempts = 25;

/// The table `remove --force` loads: the scenario declares it, with only error targets.
inline constexpr std::string_view kForceErrorTable = "error";

/// A program step.
struct Step {
  /// call, choice, repeat: as written. The reacting forms look at the errno of the process's
  /// previous completed call: if_ok runs sequences[0] on success and sequences[1] otherwise
  /// (either may be empty, not both); on runs sequences[0] only when that errno is `err`;
  /// retry runs sequences[0], and again while its last call failed (with `err`, or with any
  /// errno when `err` is 0), at most `bound` attempts in all.
  enum class Form : std::uint8_t { call, choice, repeat, if_ok, on, retry };
  Form form = Form::call;
  /// call: one sequence of one call; choice: the alternatives; repeat, on, retry: one sequence,
  /// the body; if_ok: the two bodies.
  std::vector<std::vector<Call>> sequences;
  std::uint8_t bound = 1;  ///< repeat: the body runs 1..bound times; retry: attempts at most
  std::uint8_t err = 0;    ///< on: the errno it reacts to; retry: the one it retries, 0 any
  Composite composite = Composite::none;  ///< the command this step was expanded from

  bool operator==(const Step&) const = default;
};

/// Whether the step's calls depend on the previous call's result.
inline bool is_reacting(const Step& step) {
  return step.form == Step::Form::if_ok || step.form == Step::Form::on ||
         step.form == Step::Form::retry;
}

/// Calls `each(call)` for every call of `step`: each alternative of a choice, a repeat's body.
template <class Each>
void for_each_call(const Step& step, Each&& each) {
  for (const auto& sequence : step.sequences) {
    for (const Call& call : sequence) {
      each(call);
    }
  }
}

/// The same for every step of a program, in order.
template <class Each>
void for_each_call(const std::vector<Step>& program, Each&& each) {
  for (const Step& step : program) {
    for_each_call(step, each);
  }
}

/// "choose { open a | close a }", "if ok { close a } else { info a }", etc. A composite's
/// steps are shown as they expand.
std::string to_string(const Step& step);

/// Parses one step in dmsetup's words:
///   create NAME (--table T | --notable) [--uuid U] [--readonly] [--open-limit N]
///   load NAME T [--readonly] | clear NAME | suspend NAME [--noflush] [--nolockfs]
///   resume NAME [--noflush] [--nolockfs] | remove NAME [--deferred] [--no-open]
///   remove_all [--deferred] [--no-open] | message NAME 0 @cancel_deferred_remove [ARG...]
///   message NAME 0 key (set|wipe) | message NAME 0 create_thin ID
///   message NAME 0 create_snap ID ORIGIN | message NAME 0 delete ID | rename NAME NEW | info NAME
///   | open NAME | close NAME read NAME [--all] | write NAME [LETTER] [--all] | set_open_limit NAME
///   N status NAME [--inactive] | table NAME [--inactive] choose { CALL ; CALL | CALL }
///   (alternatives split by '|', calls within by ';') repeat N { CALL ; CALL }           (the body
///   runs 1..N times) if ok { CALL ; ... } [else { CALL ; ... }]   on ERRNO { CALL ; ... } retry N
///   [on ERRNO] { CALL ; ... }  (N attempts at most, 1..255; stops at the first success) remove
///   --retry NAME                (libdevmapper: retry 25 on EBUSY { remove NAME })
/// Bodies are call sequences: steps do not nest. Whether the chosen variant has a step, and
/// whether a reacting step has a call before it, are checked by validate(Config), not here.
/// `remove --force NAME` expands to several steps: parse_steps takes it, this refuses it.
tl::expected<Step, Error> parse_step(std::string_view text);

/// parse_step for a line of a program: one step, or the several a composite expands to.
tl::expected<std::vector<Step>, Error> parse_steps(std::string_view text);

/// The errno a name such as "EBUSY" stands for among those the model's calls return;
/// 0 when the name is none of them.
std::uint8_t errno_number(std::string_view name);

/// Parses a single call (no choose/repeat).
tl::expected<Call, Error> parse_call(std::string_view text);

}  // namespace dmcheck::model
