#include "conformance/generate.h"

#include <fmt/format.h>

#include <cstring>
#include <random>
#include <unordered_set>

#include "checker/fingerprint.h"
#include "conformance/predict.h"
#include "model/sequential.h"

namespace dmcheck::conformance {

namespace {

/// What a run of `calls` alone leads to: the settled state, or nothing when it cannot run.
struct Outcome {
  bool runnable = false;
  model::State state{};
};

tl::expected<Outcome, Error> run_alone(const model::Config& config,
                                       const std::vector<std::string>& calls,
                                       const std::vector<Injection>& injections = {}) {
  std::vector<std::size_t> failing;
  for (const Injection& i : injections) {
    failing.push_back(i.call);
  }
  model::Config with = config;
  with.failures.integrity_alloc = with.failures.integrity_alloc || !injections.empty();
  auto run = model::run_sequential(with, calls, failing);
  if (!run) {
    return tl::unexpected(run.error());
  }
  Outcome out;
  out.runnable = unrunnable_alone(*run, calls).empty();
  if (out.runnable && !run->steps.empty()) {
    out.state = run->steps.back().after;
  }
  return out;
}

/// The part of a settled state the kernel would show: where the process is in its program, its
/// last observation and the properties' ghost history are not.
std::uint64_t situation(model::State s) {
  for (model::Process& p : s.processes) {
    p.pc = p.branch = p.sub = p.iter = 0;
    p.last = {};
  }
  for (model::Device& d : s.devices) {
    d.ghost = 0;
  }
  return checker::fingerprint(s);
}

}  // namespace

tl::expected<Generated, Error> generate_exhaustive(const model::Config& config,
                                                   const std::vector<std::string>& calls,
                                                   std::uint32_t depth) {
  Generated out;
  std::vector<std::vector<std::string>> frontier = {{}};
  auto initial = run_alone(config, {});
  if (!initial) {
    return tl::unexpected(initial.error());
  }
  std::unordered_set<std::uint64_t> seen = {situation(initial->state)};
  for (std::uint32_t level = 0; level < depth; ++level) {
    std::vector<std::vector<std::string>> next;
    for (const auto& prefix : frontier) {
      ++out.states;
      for (const std::string& call : calls) {
        std::vector<std::string> trace = prefix;
        trace.push_back(call);
        auto outcome = run_alone(config, trace);
        if (!outcome) {
          return tl::unexpected(outcome.error());
        }
        if (!outcome->runnable) {
          ++out.dropped;
          continue;
        }
        if (seen.insert(situation(outcome->state)).second) {
          next.push_back(trace);
        }
        out.traces.push_back({fmt::format("exhaustive-{}", out.traces.size() + 1), trace, ""});
      }
    }
    frontier = std::move(next);
  }
  return out;
}

tl::expected<Generated, Error> generate_random(const model::Config& config,
                                               const std::vector<std::string>& calls,
                                               std::uint32_t walks, std::uint32_t length,
                                               std::uint64_t seed, bool inject) {
  Generated out;
  if (calls.empty()) {
    return out;
  }
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::size_t> pick(0, calls.size() - 1);
  std::uniform_int_distribution<int> allocation(0, 2 * kIntegrityAllocations - 1);
  for (std::uint32_t w = 0; w < walks; ++w) {
    Trace trace;
    trace.name = fmt::format("{}-{}-{}", inject ? "integrity" : "random", seed, w + 1);
    for (std::uint32_t i = 0; i < length; ++i) {
      for (int attempt = 0; attempt < 8; ++attempt) {
        trace.calls.push_back(calls[pick(rng)]);
        // With `inject`, drawn for every call, so that the calls do not depend on the injections.
        const int drawn = inject ? allocation(rng) : kIntegrityAllocations;
        const bool injected =
            inject && trace.calls.back().starts_with("resume ") && drawn < kIntegrityAllocations;
        if (injected) {
          trace.injections.push_back({trace.calls.size() - 1, kIntegrityAllocFailure, drawn + 1});
        }
        auto outcome = run_alone(config, trace.calls, trace.injections);
        if (!outcome) {
          return tl::unexpected(outcome.error());
        }
        if (outcome->runnable) {
          break;
        }
        trace.calls.pop_back();
        if (injected) {
          trace.injections.pop_back();
        }
        ++out.dropped;
      }
    }
    out.traces.push_back(std::move(trace));
  }
  return out;
}

}  // namespace dmcheck::conformance
