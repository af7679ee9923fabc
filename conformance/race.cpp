#include "conformance/race.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "checker/interrupt.h"
#include "conformance/compare.h"
#include "conformance/guest_protocol.h"
#include "conformance/temp_dir.h"

namespace dmcheck::conformance {

using nlohmann::json;
using std::chrono::milliseconds;

namespace {

/// The agent's own bounds on a race's times (conformance/race_agent.h).
constexpr milliseconds kMaxBudget{86'400'000};
constexpr milliseconds kMaxCallLimit{600'000};
/// Beyond a race's budget and call limits: its last iteration's reset, setup and settling.
constexpr milliseconds kRaceSlack{5'000};
/// A thread's handle ids: (t + 1) * kThreadHandles + k for its k-th open, far above the ids of
/// the opens its setup holds (setup_for: from 1000 on).
constexpr int kThreadHandles = 1'000'000;

Error bad_race(const Race& race, const std::string& what) {
  return Error{ErrorKind::bad_input, fmt::format("race {}: {}", race.name, what), {}};
}

/// Each process's calls, or why one is not a list of plain calls.
tl::expected<std::vector<std::vector<model::Call>>, Error> plain_calls(const Race& race) {
  std::vector<std::vector<model::Call>> out;
  for (const model::ProcessSpec& p : race.config.processes) {
    if (p.program.empty() || p.program.size() > kMaxRaceCalls) {
      return tl::unexpected(bad_race(race, fmt::format("process {} has {} calls; a thread of a "
                                                       "race performs 1 to {}",
                                                       p.name, p.program.size(), kMaxRaceCalls)));
    }
    std::vector<model::Call> calls;
    for (std::size_t k = 0; k < p.program.size(); ++k) {
      const model::Step& step = p.program[k];
      if (step.form != model::Step::Form::call || step.sequences.size() != 1 ||
          step.sequences.front().size() != 1) {
        return tl::unexpected(bad_race(
            race, fmt::format("process {}, step {} ('{}'): a race performs plain calls only, not "
                              "choose or repeat",
                              p.name, k + 1, model::to_string(step))));
      }
      calls.push_back(step.sequences.front().front());
    }
    out.push_back(std::move(calls));
  }
  return out;
}

/// Why the kernel side of `race` differs from its model side by construction, or "".
std::string actors_problem(const model::Actors& actors) {
  if (actors.prober) {
    return "it has a prober, which the real kernel lacks (the race's threads are all that runs)";
  }
  if (!actors.internal_suspender.empty()) {
    return "it has an internal suspender of " + actors.internal_suspender +
           ", which nothing in the race's kernel does";
  }
  if (!actors.deferred_remove_worker) {
    return "it has no deferred-remove worker, but the kernel's always runs";
  }
  return "";
}

bool same_targets(const model::Target& a, const model::Target& b) {
  return std::tie(a.kind, a.onto, a.length, a.offset, a.root_hash, a.signature, a.hash_matches,
                  a.key_set) == std::tie(b.kind, b.onto, b.length, b.offset, b.root_hash,
                                         b.signature, b.hash_matches, b.key_set);
}

tl::expected<void, Error> check_options(const RaceOptions& options) {
  if (options.budget.count() < 1 || options.budget > kMaxBudget) {
    return tl::unexpected(Error{ErrorKind::bad_input,
                                fmt::format("a race's time budget must be from 1 ms to {} ms "
                                            "(got {} ms)",
                                            kMaxBudget.count(), options.budget.count()),
                                {}});
  }
  if (options.call_limit.count() < 1 || options.call_limit > kMaxCallLimit) {
    return tl::unexpected(Error{ErrorKind::bad_input,
                                fmt::format("a race's call limit must be from 1 ms to {} ms "
                                            "(got {} ms)",
                                            kMaxCallLimit.count(), options.call_limit.count()),
                                {}});
  }
  return {};
}

/// The requests of one thread: `calls` with handle ids of thread `t`'s own.
json thread_requests(const std::vector<model::Call>& calls, std::size_t t,
                     const Fixtures& fixtures) {
  std::map<std::string, std::vector<int>> opened;  // name -> ids, newest first
  json out = json::array();
  for (std::size_t k = 0; k < calls.size(); ++k) {
    const model::Call& call = calls[k];
    Handles unused;
    json r = request_for(call, {}, fixtures, unused);
    r["call"] = model::to_string(call);
    if (call.op == model::Op::open) {
      const int id = static_cast<int>((t + 1) * kThreadHandles + k);
      r["handle"] = id;
      auto& ids = opened[call.device];
      ids.insert(ids.begin(), id);
    } else if (call.op == model::Op::close || call.op == model::Op::read ||
               call.op == model::Op::write) {
      r.erase("handle");
      r["handles"] = opened[call.device];
    }
    out.push_back(std::move(r));
  }
  return out;
}

bool outcome_less(const KernelOutcome& a, const KernelOutcome& b) {
  return std::tie(a.results, a.devices) < std::tie(b.results, b.devices);
}

/// Runs races [begin, end) (sharing disks and tables) in one boot, appending their results.
tl::expected<void, Error> run_boot(const std::vector<Race>& races, std::size_t begin,
                                   std::size_t end, const RaceOptions& options,
                                   RaceReport& report) {
  auto dir = TempDir::make("dmcheck-fixtures");
  if (!dir) {
    return tl::unexpected(dir.error());
  }
  auto fixtures = Fixtures::make(races[begin].config, dir->path().string());
  if (!fixtures) {
    return tl::unexpected(fixtures.error());
  }
  UmlOptions uml = options.uml;
  uml.disks = fixtures->files();
  std::vector<json> requests;
  for (std::size_t i = begin; i < end; ++i) {
    requests.push_back(race_request(races[i], *fixtures, options, options.seed + i));
    uml.timeout += options.budget + 3 * options.call_limit + kRaceSlack;
  }
  ++report.boots;
  auto run = run_in_uml(uml, requests);
  if (!run) {
    return tl::unexpected(run.error());
  }
  for (std::size_t i = 0; i < run->observations.size(); ++i) {
    auto result = race_result(races[begin + i], run->observations[i]);
    if (!result) {
      return tl::unexpected(result.error());
    }
    report.races.push_back(std::move(*result));
  }
  report.interrupted = run->interrupted;
  return {};
}

}  // namespace

bool same_fixtures(const model::Config& a, const model::Config& b) {
  if (a.disks.size() != b.disks.size() || a.tables.size() != b.tables.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.disks.size(); ++i) {
    if (a.disks[i].name != b.disks[i].name || a.disks[i].size != b.disks[i].size) {
      return false;
    }
  }
  for (std::size_t i = 0; i < a.tables.size(); ++i) {
    const model::TableDef& x = a.tables[i];
    const model::TableDef& y = b.tables[i];
    if (x.name != y.name || x.targets.size() != y.targets.size() ||
        !std::equal(x.targets.begin(), x.targets.end(), y.targets.begin(), same_targets)) {
      return false;
    }
  }
  return true;
}

tl::expected<void, Error> check_race(const Race& race) {
  const std::size_t threads = race.config.processes.size();
  if (threads < 2 || threads > kMaxRaceThreads) {
    return tl::unexpected(bad_race(
        race, fmt::format("it has {} processes; a race runs 2 or 3, one thread each", threads)));
  }
  if (race.iterations < 1 || race.iterations > kMaxRaceIterations) {
    return tl::unexpected(bad_race(race, fmt::format("iterations must be from 1 to {} (got {})",
                                                     kMaxRaceIterations, race.iterations)));
  }
  const auto calls = plain_calls(race);
  if (!calls) {
    return tl::unexpected(calls.error());
  }
  std::vector<model::Call> all;
  for (const auto& thread : *calls) {
    all.insert(all.end(), thread.begin(), thread.end());
  }
  if (const std::string why = needs_patch(race.config, all); !why.empty()) {
    return tl::unexpected(bad_race(race, why));
  }
  if (const std::string why = actors_problem(race.config.actors); !why.empty()) {
    return tl::unexpected(bad_race(race, why));
  }
  if (auto valid = model::validate(race.config); !valid) {
    return tl::unexpected(bad_race(race, valid.error().message));
  }
  return {};
}

json race_request(const Race& race, const Fixtures& fixtures, const RaceOptions& options,
                  std::uint64_t seed) {
  Handles setup_handles;
  json setup = json::array();
  for (StepPrediction& s : setup_for(race.config, fixtures, setup_handles)) {
    s.request["call"] = s.call;
    setup.push_back(std::move(s.request));
  }
  json threads = json::array();
  const auto calls = plain_calls(race);
  for (std::size_t t = 0; calls && t < calls->size(); ++t) {
    threads.push_back(thread_requests((*calls)[t], t, fixtures));
  }
  return {{"op", "race"},
          {"call", "race " + race.name},
          {"setup", setup},
          {"threads", threads},
          {"iterations", race.iterations},
          {"budget_ms", options.budget.count()},
          {"call_limit_ms", options.call_limit.count()},
          {"seed", seed},
          {"zero", fixtures.zero_on_reset()}};
}

tl::expected<RaceResult, Error> race_result(const Race& race, const json& o) {
  if (o.contains("agent_error")) {
    return tl::unexpected(Error{ErrorKind::system,
                                fmt::format("race {}: the guest agent could not run it: {}",
                                            race.name, o["agent_error"].get<std::string>()),
                                {}});
  }
  RaceResult r;
  r.name = race.name;
  r.requested = race.iterations;
  r.iterations = o["iterations"].get<std::size_t>();
  r.stopped = o.value("stopped", std::string());
  r.seconds = o["seconds"].get<double>();
  for (const json& seen : o["outcomes"]) {
    KernelOutcome k;
    for (const json& thread : seen["results"]) {
      auto& names = k.results.emplace_back();
      for (const json& err : thread) {
        names.push_back(kernel_errno_name(err.get<int>()));
      }
    }
    for (const json& d : seen["devices"]) {
      // Listed, then gone or failing when its status was read, even after the agent retried.
      if (d["errno"] != 0) {
        return tl::unexpected(Error{
            ErrorKind::system,
            fmt::format("race {}: the status of device {} could not be read after an iteration "
                        "({}), so its end state is unknown",
                        race.name, d["name"].get<std::string>(),
                        kernel_errno_name(d["errno"].get<int>())),
            {}});
      }
    }
    k.devices = kernel_devices(json{{"devices", seen["devices"]}});
    k.count = seen["count"].get<std::size_t>();
    const auto same = std::find_if(r.outcomes.begin(), r.outcomes.end(),
                                   [&](const KernelOutcome& x) { return x.same_end(k); });
    if (same != r.outcomes.end()) {
      same->count += k.count;
    } else {
      r.outcomes.push_back(std::move(k));
    }
  }
  std::sort(r.outcomes.begin(), r.outcomes.end(), outcome_less);
  return r;
}

tl::expected<RaceReport, Error> run_races(const std::vector<Race>& races,
                                          const RaceOptions& options) {
  const checker::InterruptGuard interrupts;
  if (auto ok = check_options(options); !ok) {
    return tl::unexpected(ok.error());
  }
  for (const Race& race : races) {
    if (auto ok = check_race(race); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  if (auto ready = check_uml(options.uml); !ready) {
    return tl::unexpected(ready.error());
  }
  RaceReport report;
  const auto started = std::chrono::steady_clock::now();
  for (std::size_t begin = 0; begin < races.size() && !report.interrupted;) {
    std::size_t end = begin + 1;
    while (end < races.size() && same_fixtures(races[begin].config, races[end].config)) {
      ++end;
    }
    if (checker::interrupt_requested()) {
      report.interrupted = true;
      break;
    }
    if (auto ran = run_boot(races, begin, end, options, report); !ran) {
      return tl::unexpected(ran.error());
    }
    begin = end;
  }
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace dmcheck::conformance
