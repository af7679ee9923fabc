#pragma once
/// A run's result from what its search recorded: the first state hitting each property, whether
/// each premise ever held, the first deadlock, why it stopped, and a way to rebuild the trace to
/// a state. Every strategy ends here, whatever its visited set.

#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "checker/error.h"
#include "checker/fingerprint.h"
#include "checker/memory.h"
#include "checker/model.h"
#include "checker/options.h"
#include "checker/result.h"

namespace dmcheck::checker {

/// What a search found, by state id.
template <class Id>
struct Findings {
  std::vector<std::optional<Id>> hits;  ///< per property: the state deciding it
  std::vector<bool> premise_seen;       ///< per property: its antecedent held in some state
  std::optional<Id> deadlock;
};

/// A run's statistics from its counts; `started` is when the run began.
inline Stats run_stats(std::uint64_t states, std::uint64_t transitions, std::uint32_t max_depth,
                       std::chrono::steady_clock::time_point started, std::uint64_t store_bytes,
                       std::uint64_t peak_frontier, unsigned threads) {
  Stats stats;
  stats.states = states;
  stats.transitions = transitions;
  stats.max_depth = max_depth;
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  stats.states_per_second = stats.seconds > 0 ? stats.states / stats.seconds : 0;
  stats.store_bytes = store_bytes;
  stats.bytes_per_state = stats.states ? double(stats.store_bytes) / stats.states : 0;
  stats.peak_frontier = peak_frontier;
  stats.peak_rss_bytes = peak_rss_bytes();
  stats.collision_probability = collision_probability(stats.states);
  stats.threads = threads;
  return stats;
}

/// The verdicts and their traces. `trace_of(id)` rebuilds the trace to a state.
template <Model M, class Id, class TraceOf>
tl::expected<RunResult<M>, Error> assemble_result(
    const Options& options, const std::vector<Property<typename M::State>>& properties,
    const Findings<Id>& found, StopReason stop, Stats stats, TraceOf&& trace_of) {
  RunResult<M> result;
  result.strategy = options.strategy;
  result.stop = stop;
  result.stats = stats;
  const bool complete = stop == StopReason::completed;
  const auto verdict = [&](std::string name, PropertyKind kind, std::string meaning,
                           std::optional<Id> hit) -> tl::expected<PropertyResult<M>, Error> {
    PropertyResult<M> r{std::move(name),  kind,         std::move(meaning),
                        Verdict::unknown, std::nullopt, {}};
    if (hit) {
      r.verdict = kind == PropertyKind::always ? Verdict::violated : Verdict::reached;
      auto trace = trace_of(*hit);
      if (!trace) {
        return tl::unexpected(trace.error());
      }
      r.trace = std::move(*trace);
    } else if (complete) {
      r.verdict = kind == PropertyKind::always ? Verdict::holds : Verdict::unreachable;
    }
    return r;
  };
  for (std::size_t i = 0; i < properties.size(); ++i) {
    const auto& p = properties[i];
    auto entry = verdict(p.name, p.kind, p.meaning, found.hits[i]);
    if (!entry) {
      return tl::unexpected(entry.error());
    }
    entry->antecedent = p.antecedent_meaning;
    if (entry->verdict == Verdict::holds && p.antecedent && !found.premise_seen[i]) {
      entry->verdict = Verdict::holds_vacuously;
    }
    result.properties.push_back(std::move(*entry));
  }
  if (options.check_deadlock) {
    auto entry =
        verdict(std::string(kDeadlockProperty), PropertyKind::always,
                "every state without successors is a declared final state", found.deadlock);
    if (!entry) {
      return tl::unexpected(entry.error());
    }
    result.properties.push_back(std::move(*entry));
  }
  return result;
}

/// The model error for a state past one of its bounds: `what` was exceeded, and the trace.
template <Model M, class TraceOf, class Id>
Error bound_error(const M& model, const std::string& what, Id id, TraceOf&& trace_of) {
  std::string message = what + "; reached by:";
  auto trace = trace_of(id);
  if (!trace) {
    return trace.error();
  }
  if (trace->actions.empty()) {
    message += " the initial state";
  }
  for (std::size_t i = 0; i < trace->actions.size(); ++i) {
    message += fmt::format("\n  {}. {}", i + 1, model.describe_action(trace->actions[i]));
  }
  return Error{ErrorKind::model, std::move(message), {}};
}

}  // namespace dmcheck::checker
