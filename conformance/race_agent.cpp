#include "conformance/race_agent.h"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "conformance/agent.h"

namespace dmcheck::conformance {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

constexpr std::size_t kMinThreads = 2;
constexpr std::size_t kMaxThreads = 3;
constexpr std::size_t kMaxCalls = 16;
constexpr std::size_t kMaxSetup = 256;
constexpr std::uint64_t kMaxIterations = 100'000'000;
constexpr std::uint64_t kDefaultBudgetMs = 60'000;
constexpr std::uint64_t kMaxBudgetMs = 86'400'000;
constexpr std::uint64_t kDefaultCallLimitMs = 10'000;
constexpr std::uint64_t kMaxCallLimitMs = 600'000;

struct RaceRequest {
  std::vector<json> setup;
  std::vector<std::vector<json>> threads;
  std::uint64_t iterations = 0;
  milliseconds budget{kDefaultBudgetMs};
  milliseconds call_limit{kDefaultCallLimitMs};
  std::uint64_t seed = 0;
  json reset = json::object();
};

/// "call 2 (remove a)": the request's "call" when it has one, else its op and name.
std::string label(const json& request) {
  if (const auto call = request.find("call"); call != request.end() && call->is_string()) {
    return call->get<std::string>();
  }
  std::string text = request.value("op", std::string("?"));
  if (const auto name = request.find("name"); name != request.end() && name->is_string()) {
    text += " " + name->get<std::string>();
  }
  return text;
}

/// Why `r` is not a call request a race may perform, or "".
std::string bad_call(const json& r) {
  if (!r.is_object() || !r.contains("op") || !r["op"].is_string()) {
    return "a request must be an object with a string \"op\"";
  }
  const std::string op = r["op"].get<std::string>();
  if (op == "reset" || op == "race") {
    return "\"" + op + "\" cannot be part of a race";
  }
  return "";
}

/// The whole number `key` of `r` in [min, max], or `fallback` when absent; "" or why not.
std::string read_whole(const json& r, const char* key, std::uint64_t min, std::uint64_t max,
                       std::uint64_t fallback, std::uint64_t& out) {
  const auto it = r.find(key);
  if (it == r.end()) {
    out = fallback;
    return "";
  }
  if (!it->is_number_unsigned() || it->get<std::uint64_t>() < min ||
      it->get<std::uint64_t>() > max) {
    return std::string("\"") + key + "\" must be a whole number from " + std::to_string(min) +
           " to " + std::to_string(max);
  }
  out = it->get<std::uint64_t>();
  return "";
}

std::string read_threads(const json& r, RaceRequest& out) {
  const auto threads = r.find("threads");
  if (threads == r.end() || !threads->is_array() || threads->size() < kMinThreads ||
      threads->size() > kMaxThreads) {
    return "\"threads\" must be an array of 2 or 3 threads";
  }
  for (std::size_t t = 0; t < threads->size(); ++t) {
    const json& calls = (*threads)[t];
    if (!calls.is_array() || calls.empty() || calls.size() > kMaxCalls) {
      return "thread " + std::to_string(t + 1) + " must be an array of 1 to 16 requests";
    }
    for (std::size_t c = 0; c < calls.size(); ++c) {
      if (const std::string why = bad_call(calls[c]); !why.empty()) {
        return "thread " + std::to_string(t + 1) + ", call " + std::to_string(c + 1) + ": " + why;
      }
    }
    out.threads.emplace_back(calls.begin(), calls.end());
  }
  return "";
}

/// Reads and checks a race request; "" or why it is malformed.
std::string read_race(const json& r, RaceRequest& out) {
  const json setup = r.value("setup", json::array());
  if (!setup.is_array() || setup.size() > kMaxSetup) {
    return "\"setup\" must be an array of at most 256 requests";
  }
  for (std::size_t i = 0; i < setup.size(); ++i) {
    if (const std::string why = bad_call(setup[i]); !why.empty()) {
      return "setup request " + std::to_string(i + 1) + ": " + why;
    }
  }
  out.setup.assign(setup.begin(), setup.end());
  if (std::string why = read_threads(r, out); !why.empty()) {
    return why;
  }
  std::uint64_t budget = 0;
  std::uint64_t limit = 0;
  for (std::string why :
       {read_whole(r, "iterations", 1, kMaxIterations, 0, out.iterations),
        read_whole(r, "budget_ms", 1, kMaxBudgetMs, kDefaultBudgetMs, budget),
        read_whole(r, "call_limit_ms", 1, kMaxCallLimitMs, kDefaultCallLimitMs, limit),
        read_whole(r, "seed", 0, UINT64_MAX, 0, out.seed)}) {
    if (!why.empty()) {
      return why;
    }
  }
  if (!r.contains("iterations")) {
    return "\"iterations\" is missing";
  }
  out.budget = milliseconds(budget);
  out.call_limit = milliseconds(limit);
  if (const auto zero = r.find("zero"); zero != r.end()) {
    if (!zero->is_array() ||
        !std::all_of(zero->begin(), zero->end(), [](const json& d) { return d.is_string(); })) {
      return "\"zero\" must be an array of disk paths";
    }
    out.reset["zero"] = *zero;
  }
  return "";
}

/// Agent::act, with a malformed request (a missing or mistyped field) as an agent error.
json act_checked(Agent& agent, const json& request) {
  try {
    return agent.act(request);
  } catch (const std::exception& e) {
    return {{"agent_error", std::string("bad request: ") + e.what()}};
  }
}

/// splitmix64: the start order of each iteration, from the race's seed.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// One thread's part of an iteration. `calls` never changes; the rest is written by the
/// thread while it runs and read by the main thread once it has finished (under Shared::mutex).
struct Lane {
  std::vector<json> calls;
  std::vector<int> errnos;
  std::string failure;          ///< an agent error of one of its calls
  bool yields = false;          ///< yields once before its first call: varies who starts first
  bool done = false;            ///< finished this iteration
  std::atomic<std::size_t> at;  ///< the call it is in, for a message if it never returns
};

/// State shared by the main thread and the race's threads. Owned jointly, so that a thread left
/// stuck in the kernel after its race never touches freed memory.
struct Shared {
  std::mutex mutex;
  std::condition_variable start;  ///< a new iteration (generation) or quit
  std::condition_variable done;   ///< a lane finished
  std::uint64_t generation = 0;
  bool quit = false;
  std::size_t finished = 0;
  std::vector<std::unique_ptr<Lane>> lanes;
};

void perform_calls(Agent& agent, Lane& lane) {
  for (std::size_t c = 0; c < lane.calls.size(); ++c) {
    lane.at.store(c);
    const json out = act_checked(agent, lane.calls[c]);
    if (out.contains("agent_error")) {
      lane.failure = "call " + std::to_string(c + 1) + " (" + label(lane.calls[c]) +
                     "): " + out["agent_error"].dump();
      return;
    }
    const auto err = out.find("errno");
    lane.errnos[c] = err != out.end() && err->is_number_integer() ? err->get<int>() : -1;
  }
}

/// A race thread: waits for each iteration, performs its calls, and reports. All threads are
/// woken by one broadcast and are runnable together; on a uniprocessor kernel without
/// preemption the first to run keeps the CPU until its call sleeps, so a thread chosen to yield
/// once lets the others go first. (A spinning barrier halved the iterations per second there,
/// and two suspends met in the window between their checks twenty times less often.)
void lane_main(const std::shared_ptr<Shared>& shared, Agent& agent, std::size_t t) {
  Lane& lane = *shared->lanes[t];
  std::uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock lock(shared->mutex);
      shared->start.wait(lock, [&] { return shared->quit || shared->generation != seen; });
      if (shared->quit) {
        return;
      }
      seen = shared->generation;
    }
    if (lane.yields) {
      ::sched_yield();
    }
    perform_calls(agent, lane);
    {
      const std::lock_guard lock(shared->mutex);
      lane.done = true;
      ++shared->finished;
    }
    shared->done.notify_one();
  }
}

/// The race's threads, made once and reused for every iteration.
class Crew {
 public:
  Crew(Agent& agent, const RaceRequest& race) : agent_(agent), shared_(std::make_shared<Shared>()) {
    for (const auto& calls : race.threads) {
      auto lane = std::make_unique<Lane>();
      lane->calls = calls;
      lane->errnos.assign(calls.size(), 0);
      shared_->lanes.push_back(std::move(lane));
    }
    for (std::size_t t = 0; t < shared_->lanes.size(); ++t) {
      threads_.emplace_back(lane_main, shared_, std::ref(agent_), t);
    }
  }
  Crew(const Crew&) = delete;
  Crew& operator=(const Crew&) = delete;
  ~Crew() {
    {
      const std::lock_guard lock(shared_->mutex);
      shared_->quit = true;
    }
    shared_->start.notify_all();
    for (std::thread& t : threads_) {
      if (t.joinable()) {
        t.join();
      }
    }
  }

  /// Releases every thread for one iteration; bit t of `order` says whether thread t yields once
  /// before its first call.
  void release(std::uint64_t order) {
    const std::lock_guard lock(shared_->mutex);
    const std::size_t n = shared_->lanes.size();
    for (std::size_t t = 0; t < n; ++t) {
      Lane& lane = *shared_->lanes[t];
      lane.failure.clear();
      lane.done = false;
      lane.at.store(0);
      lane.yields = ((order >> t) & 1U) != 0;
    }
    shared_->finished = 0;
    ++shared_->generation;
    shared_->start.notify_all();
  }

  /// Waits up to `limit` for every thread to finish the iteration.
  bool wait(milliseconds limit) {
    std::unique_lock lock(shared_->mutex);
    return shared_->done.wait_for(lock, limit,
                                  [&] { return shared_->finished == shared_->lanes.size(); });
  }

  /// "thread 2's call 1 (read a)" for each thread that has not finished.
  std::string unfinished() {
    const std::lock_guard lock(shared_->mutex);
    std::string out;
    for (std::size_t t = 0; t < shared_->lanes.size(); ++t) {
      const Lane& lane = *shared_->lanes[t];
      if (!lane.done) {
        const std::size_t c = lane.at.load();
        out += (out.empty() ? "" : ", ") + ("thread " + std::to_string(t + 1)) + "'s call " +
               std::to_string(c + 1) + " (" + label(lane.calls[c]) + ")";
      }
    }
    return out;
  }

  /// Gives the threads up: they may never return from the kernel.
  void abandon() {
    for (std::thread& t : threads_) {
      t.detach();
    }
  }

  /// The first agent error of the iteration, "thread T, call C (...): WHY", or "".
  [[nodiscard]] std::string failure() const {
    for (std::size_t t = 0; t < shared_->lanes.size(); ++t) {
      if (!shared_->lanes[t]->failure.empty()) {
        return "thread " + std::to_string(t + 1) + ", " + shared_->lanes[t]->failure;
      }
    }
    return "";
  }

  [[nodiscard]] std::vector<std::vector<int>> results() const {
    std::vector<std::vector<int>> out;
    for (const auto& lane : shared_->lanes) {
      out.push_back(lane->errnos);
    }
    return out;
  }

 private:
  Agent& agent_;
  std::shared_ptr<Shared> shared_;
  std::vector<std::thread> threads_;
};

json refusal(const std::string& why) { return {{"agent_error", why}}; }

/// The reset and the setup of iteration `k`; "" or why they failed.
std::string prepare(Agent& agent, const RaceRequest& race, std::uint64_t k) {
  const std::string at = "iteration " + std::to_string(k + 1) + ": ";
  const json reset = agent.reset(race.reset);
  if (reset.value("errno", -1) != 0) {
    return at + "reset failed: " + reset.value("agent_error", reset.dump());
  }
  for (std::size_t i = 0; i < race.setup.size(); ++i) {
    const json out = act_checked(agent, race.setup[i]);
    const auto err = out.find("errno");
    if (out.contains("agent_error") || err == out.end() || *err != 0) {
      return at + "setup request " + std::to_string(i + 1) + " (" + label(race.setup[i]) +
             ") failed: " +
             (out.contains("agent_error") ? out["agent_error"].dump()
                                          : "errno " + (err == out.end() ? "?" : err->dump()));
    }
  }
  return "";
}

/// Threads that have not finished within the call limit: every device is resumed (and removed)
/// from another thread, which releases a call waiting for I/O on a suspended device. Returns the
/// agent error; sets `stuck` when a thread, or the rescue itself, still has not returned.
std::string rescue(Agent& agent, Crew& crew, const RaceRequest& race, std::uint64_t k,
                   std::string& stuck) {
  const std::string who = "iteration " + std::to_string(k + 1) + ": " + crew.unfinished() +
                          " had not returned after " + std::to_string(race.call_limit.count()) +
                          " ms";
  auto rescued = std::make_shared<std::atomic<bool>>(false);
  std::thread resumer([&agent, rescued] {
    agent.reset(json::object());
    rescued->store(true);
  });
  const bool finished = crew.wait(race.call_limit);
  const auto deadline = Clock::now() + race.call_limit;
  while (!rescued->load() && Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(1));
  }
  if (finished && rescued->load()) {
    resumer.join();
    return who + " (resuming every device released it): a call that waits forever cannot race";
  }
  resumer.detach();
  crew.abandon();
  stuck = who + (finished ? "; resuming every device did not return either"
                          : " and was not released by resuming every device");
  return stuck;
}

using OutcomeKey = std::pair<std::vector<std::vector<int>>, std::string>;

json observation(const std::map<OutcomeKey, std::size_t>& counts, std::uint64_t done,
                 Clock::time_point started) {
  json outcomes = json::array();
  for (const auto& [key, count] : counts) {
    outcomes.push_back(
        {{"results", key.first}, {"devices", json::parse(key.second)}, {"count", count}});
  }
  return {{"iterations", done},
          {"seconds", std::chrono::duration<double>(Clock::now() - started).count()},
          {"outcomes", outcomes}};
}

}  // namespace

json run_race(Agent& agent, const json& request, std::string& stuck) {
  RaceRequest race;
  if (const std::string why = read_race(request, race); !why.empty()) {
    return refusal("bad race request: " + why);
  }
  Crew crew(agent, race);
  std::map<OutcomeKey, std::size_t> counts;
  const auto started = Clock::now();
  std::uint64_t done = 0;
  for (; done < race.iterations; ++done) {
    if (done > 0 && Clock::now() - started >= race.budget) {
      json out = observation(counts, done, started);
      out["stopped"] = "the time budget of " + std::to_string(race.budget.count()) +
                       " ms ran out after " + std::to_string(done) + " of " +
                       std::to_string(race.iterations) + " iterations";
      return out;
    }
    if (const std::string why = prepare(agent, race, done); !why.empty()) {
      return refusal(why);
    }
    crew.release(mix(race.seed + done));
    if (!crew.wait(race.call_limit)) {
      return refusal(rescue(agent, crew, race, done, stuck));
    }
    if (const std::string why = crew.failure(); !why.empty()) {
      return refusal("iteration " + std::to_string(done + 1) + ", " + why);
    }
    ++counts[{crew.results(), agent.settled_devices().dump()}];
  }
  return observation(counts, done, started);
}

}  // namespace dmcheck::conformance
