#pragma once
/// Internal: a validated Config resolved into indices, shared by the model, its step functions
/// and its properties. Not part of the public API.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/config.h"
#include "model/expression_eval.h"
#include "model/isolation.h"
#include "model/slots.h"
#include "model/state.h"

namespace dmcheck::model::detail {

/// A call with its names resolved.
struct CompiledCall {
  Call call;
  std::uint8_t watched = 0;   ///< its number among Compiled::watched_calls, 0 none
  std::uint8_t device = 0;    ///< name index
  std::uint8_t table = 0;     ///< table index + 1
  std::uint8_t uuid = 0;      ///< uuid index
  std::uint8_t new_name = 0;  ///< name index
};

struct CompiledStep {
  Step::Form form = Step::Form::call;
  std::vector<std::vector<CompiledCall>> sequences;
  std::uint8_t bound = 1;
  std::uint8_t err = 0;  ///< Step::err
};

/// Where a process is in its program. A reacting step needs no more: if_ok's branch says which
/// body runs, and retry counts its attempts in iter, as repeat counts its iterations.
struct Position {
  std::uint8_t pc = 0;
  std::uint8_t branch = 0;
  std::uint8_t sub = 0;
  std::uint8_t iter = 0;
};

/// The positions a process may be at next (a choice or a repeat gives several).
struct Positions {
  std::array<Position, 9> at{};
  std::uint8_t size = 0;
  void push(Position p) { at[size++] = p; }
};

/// Consecutive processes that are copies of one `count = N` entry (N >= 2).
struct CopyGroup {
  std::uint8_t first = 0;
  std::uint8_t count = 0;
};

struct Compiled {
  Config config;
  std::vector<std::string> names{""};  ///< index 0 = none
  std::vector<std::string> uuids{""};
  std::vector<std::uint8_t> name_rank;  ///< lexical rank of each name (hash scan order)
  std::vector<std::vector<CompiledStep>> programs;
  std::array<std::uint8_t, kMaxDevices> external_opens{};
  /// What of a State the model changes (the disk data only when some process writes).
  Significant significant;
  std::uint8_t internal_suspender = 0;  ///< name index the internal suspender acts on, 0 = none
  /// Some program asks for a target status: only then does a device keep kVerityCorrupt.
  bool queries_status = false;
  /// The calls user properties compare a process's last call with (`last is`), in dmsetup's
  /// words; Process::last_call numbers them from 1.
  std::vector<std::string> watched_calls;
  /// Config::user_properties' expressions, resolved and flattened (model/expression_eval.h).
  std::vector<FlatExpr> user_exprs;
  /// Their premises (model/expression.h premise()), empty for a property without one.
  std::vector<FlatExpr> user_premises;
  /// The data disk of each pool (Kernel::pools is indexed alike): the disks thin-pool targets
  /// sit on, in the order the tables name them.
  std::vector<int> pool_disks;
  /// The thin device ids thin targets and messages name (PoolMetadata's bits are indexed alike).
  std::vector<std::uint32_t> thin_ids;
  /// The groups of interchangeable processes (ProcessSpec::copy_of), in process order.
  std::vector<CopyGroup> copy_groups;
  /// Config::catalogue_texts' expressions, resolved and flattened.
  std::vector<FlatExpr> catalogue_exprs;
  /// Their premises (CataloguePremise::text), empty for a property without one.
  std::vector<FlatExpr> catalogue_premises;
  /// What partial-order reduction may rely on (model/ample.cpp).
  PartialOrderPlan por;

  [[nodiscard]] const TableDef& table(std::uint8_t t) const { return config.tables.at(t - 1); }
  [[nodiscard]] int disk_index(std::string_view name) const;
  [[nodiscard]] std::uint8_t name_index(std::string_view name) const;  ///< 0 if unknown
  /// The pool whose data disk is `disk`, or -1.
  [[nodiscard]] int pool_index(int disk) const;
  /// The bit of thin id `id` in PoolMetadata (its index in thin_ids).
  [[nodiscard]] int thin_index(std::uint32_t id) const;
  /// The table called `name` as the state refers to it (index + 1), 0 if unknown.
  [[nodiscard]] std::uint8_t table_ref(std::string_view name) const;
  /// The call a process is at, or nullptr when it has finished its program.
  [[nodiscard]] const CompiledCall* call_at(std::size_t pid, const Process& p) const;
  /// Positions on entering step `pc` when the process's previous call returned `err` (the
  /// program's end gives one finished position). A reacting step whose body does not run is
  /// passed over: the next step reacts to the same call.
  [[nodiscard]] Positions enter(std::size_t pid, std::uint8_t pc, std::uint8_t err) const;
  /// Positions after the call at `p` completes with `err`.
  [[nodiscard]] Positions after(std::size_t pid, const Process& p, std::uint8_t err) const;
  /// This configuration's processes in `s` (the State has room for more, all zero).
  [[nodiscard]] std::span<const Process> processes(const State& s) const {
    return {s.processes.data(), programs.size()};
  }
};

/// Resolves names and tables; `config` must have passed validate().
Compiled compile(const Config& config);

}  // namespace dmcheck::model::detail
