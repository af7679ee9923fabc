#pragma once
/// A process's program is a list of steps in dmsetup's words. A step is one call, a
/// nondeterministic choice among call sequences, or a call sequence repeated 1..N times.

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
  bool readonly = false;        ///< create/load --readonly
  bool notable = false;         ///< create --notable
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
};

/// The call in dmsetup's words, e.g. "remove swap --deferred".
std::string to_string(const Call& call);

/// A program step.
struct Step {
  enum class Form : std::uint8_t { call, choice, repeat };
  Form form = Form::call;
  /// call: one sequence of one call; choice: the alternatives; repeat: one sequence, the body.
  std::vector<std::vector<Call>> sequences;
  std::uint8_t bound = 1;  ///< repeat: the body runs 1..bound times
};

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

/// "choose { open a | close a }" etc.
std::string to_string(const Step& step);

/// Parses one step in dmsetup's words:
///   create NAME (--table T | --notable) [--uuid U] [--readonly] [--open-limit N]
///   load NAME T [--readonly] | clear NAME | suspend NAME [--noflush] [--nolockfs]
///   resume NAME [--noflush] [--nolockfs] | remove NAME [--deferred] [--no-open]
///   remove_all [--deferred] [--no-open] | message NAME 0 @cancel_deferred_remove [ARG...]
///   message NAME 0 key (set|wipe) | rename NAME NEW | info NAME | open NAME | close NAME
///   read NAME | set_open_limit NAME N
///   choose { CALL ; CALL | CALL }      (alternatives split by '|', calls within by ';')
///   repeat N { CALL ; CALL }           (the body runs 1..N times)
/// Whether the chosen variant has a step is checked by validate(Config), not here.
tl::expected<Step, Error> parse_step(std::string_view text);

/// Parses a single call (no choose/repeat).
tl::expected<Call, Error> parse_call(std::string_view text);

}  // namespace dmcheck::model
