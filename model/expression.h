#pragma once
/// A property expression over the model's state, as plain data: what a scenario's own property
/// (`[[properties]]`, docs/properties.md) compiles to. The scenario front end parses and type
/// checks the text and refers to devices, processes, tables and calls by the names the scenario
/// declares; building the model resolves those names to the state's indices once, so that
/// evaluating an expression on a state reads bytes and never compares strings.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/property.h"

namespace dmcheck::model {

/// What a device expression reads.
enum class DeviceField : std::uint8_t {
  exists,               ///< in the hash: lookups find it
  removing,             ///< out of the hash, being destroyed (waiting for holders)
  freed,                ///< destroyed
  suspended,            ///< DMF_SUSPENDED
  deferred,             ///< marked for deferred removal
  no_open,              ///< carries the no-open mark (no-open-flag variant)
  read_only,            ///< the block device is read-only
  open_count,           ///< block-device opens, including tables stacked on it
  open_limit,           ///< the open-limit variants' limit (see open_limit_enforced)
  live,                 ///< the live table (compared with a table name), none when it has no table
  inactive,             ///< the inactive table
  root_hash,            ///< integrity metadata: the root hash id, 0 none
  signature,            ///< integrity metadata: a valid signature is attached
  name,                 ///< the name it carries (compared with a device name)
  deleting,             ///< DMF_DELETING
  freeing,              ///< DMF_FREEING
  io_blocked,           ///< DMF_BLOCK_IO_FOR_SUSPEND: new I/O is queued
  uuid,                 ///< the uuid it carries (compared with another device's uuid or none)
  live_root_hash,       ///< the root hash id of the live table's verity target, 0 none
  live_signature,       ///< the live table's verity target carries a signature
  open_limit_enforced,  ///< the open-limit variants' limit is enforced (0 then refuses every open)
  size,                 ///< the size its block device shows (0 without a table)
  live_size,            ///< its live table's size (0 without one)
  // History (ghost state): what happened to the device, invisible to the kernel (GhostFlag).
  resume_failed,             ///< its last resume failed (cleared by a successful resume)
  no_open_mark,              ///< a no-open mark is in force (until a cancel)
  opened_after_mark,         ///< an open succeeded while a no-open mark was in force
  live_changed_unsuspended,  ///< its live table changed while it was not suspended
  holder_reopened,           ///< a holder opened it again while its deferred remove pended
  opened,                    ///< some open of it succeeded
  opened_twice,              ///< a second open of it succeeded
  targets_stopped,           ///< its live table's targets are postsuspended (or never resumed)
  double_postsuspend,        ///< a postsuspend reached targets already postsuspended
  inactive_lost,             ///< a failed implicit suspend lost its inactive table
};
inline constexpr std::size_t kDeviceFields = 33;  ///< DeviceField's values: 0 to 32

/// What a process expression reads.
enum class ProcessField : std::uint8_t {
  finished,  ///< its program is done
  last_is,   ///< its last completed call is the call `Expr::text` (in dmsetup's words)
  errno_,    ///< what its last completed call returned (0 success)
  handles,   ///< the number of handles it holds
  holds,     ///< one of its handles refers to the device `args[0]`
  /// its last completed call was a status reply reporting a verity target that saw a hash
  /// mismatch (C)
  last_corrupt,
};

/// What a kernel actor expression reads.
enum class KernelField : std::uint8_t {
  worker_queued,      ///< the deferred-remove work item is queued
  worker_busy,        ///< the worker is removing a device
  prober_holds,       ///< the udev-like prober holds the device `args[0]` open
  prober_errno,       ///< what the prober's last open returned
  worker_runs,        ///< the scenario runs the deferred-remove worker (Actors)
  variant_integrity,  ///< the variant attaches verity's integrity metadata (Variant)
};

enum class ExprOp : std::uint8_t {
  constant,     ///< `value`: a number, a truth value (0/1) or an errno
  table,        ///< the table called `text` (its value: the state's table reference)
  device_name,  ///< the device name `text` (its value: the state's name index)
  device,   ///< `field` of a device: `var` (1-based) when bound, else the hashed one named `text`
  process,  ///< `field` of the process `var` (1-based) when bound, else process `process`
  kernel,   ///< `field` of a kernel actor
  not_,
  and_,
  or_,
  implies,
  equal,
  not_equal,
  less,
  less_equal,
  greater,
  greater_equal,
  forall,  ///< over devices (`over_devices`) or processes, binding variable `var`: args[0]
  exists,
  count,  ///< how many bind `var` so that args[0] holds
};

struct Expr {
  ExprOp op = ExprOp::constant;
  std::uint8_t field = 0;    ///< a DeviceField, ProcessField or KernelField
  std::uint8_t var = 0;      ///< a bound variable's number, 1-based; 0 none
  std::uint8_t process = 0;  ///< a named process: its index in Config::processes
  bool over_devices = false;
  std::int64_t value = 0;
  std::string text;  ///< a name or a call, as written
  std::vector<Expr> args;
};

/// A scenario's own property: checked like a catalogue one, listed and reported with its text.
struct UserProperty {
  std::string name;
  checker::PropertyKind kind = checker::PropertyKind::always;
  std::string meaning;
  std::string text;  ///< the expression as written
  Expr expr;
  /// For an invariant `A implies B` (under any `forall`s): A, as the model checks it
  /// (premise(expr) for a scenario's own property; the catalogue states its own), and in words,
  /// shown when the property holds only vacuously.
  std::optional<Expr> premise;
  std::string premise_text;
};

/// The premise of an invariant `A implies B`, under any `forall`s (which become `exists`): the
/// invariant holds vacuously when the premise is false in every reachable state. Nothing for any
/// other form.
std::optional<Expr> premise(const Expr& e);

/// The calls that `last is` compares with anywhere in `e` (the model tracks only those).
void collect_watched_calls(const Expr& e, std::vector<std::string>& out);

struct Config;

/// Why `e` does not fit `config` (a device name, table or process it does not have, a bound
/// variable out of range), or "". The scenario front end reports such mistakes where they are
/// written; this is the model's own guard, so that no name resolves to nothing.
std::string expression_problem(const Config& config, const Expr& e);

/// The nodes of `e`: an expression has at most kMaxExprNodes (they are numbered in 16 bits).
std::size_t node_count(const Expr& e);
inline constexpr std::size_t kMaxExprNodes = 65535;

}  // namespace dmcheck::model
