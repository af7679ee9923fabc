/// The engine benchmark: a synthetic model explored exhaustively, printing states, transitions,
/// seconds, states/s and bytes/state. `counters` (width counters modulo m, m^width states: the
/// count is checked), `philosophers` (N dining philosophers, zoo/philosophers.h) or
/// `private-work` (width workers taking `steps` private steps and then publishing,
/// zoo/private_work.h: what a partial-order reduction cuts, with `--reduction all`). bench/spin
/// runs the same state spaces in SPIN.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "checker/check.h"
#include "zoo/counters.h"
#include "zoo/philosophers.h"
#include "zoo/private_work.h"

namespace {

template <class M>
int explore(const M& model, const std::string& name, const dmcheck::checker::Options& options,
            std::optional<std::uint64_t> expected) {
  const auto result = dmcheck::checker::check(model, options);
  if (!result) {
    fmt::print(stderr, "bench: {}\n", result.error().describe());
    return 4;
  }
  const auto& s = result->stats;
  fmt::print("model           {} ({}, {} threads)\n", name, to_string(options.strategy), s.threads);
  fmt::print("states          {}\n", s.states);
  fmt::print("transitions     {}\n", s.transitions);
  fmt::print("seconds         {:.3f}\n", s.seconds);
  fmt::print("states/s        {:.0f}\n", s.states_per_second);
  fmt::print("transitions/s   {:.0f}\n", s.seconds > 0 ? s.transitions / s.seconds : 0.0);
  fmt::print("bytes/state     {:.1f} (visited set)\n", s.bytes_per_state);
  fmt::print("peak frontier   {} states ({} MiB)\n", s.peak_frontier,
             (s.peak_frontier * sizeof(typename M::State)) >> 20);
  fmt::print("peak RSS        {} MiB\n", s.peak_rss_bytes >> 20);
  fmt::print("reduction       {}\n", to_string(s.reduction));
  for (const auto& p : result->properties) {
    fmt::print("verdict         {} {}\n", p.name, to_string(p.verdict));
  }
  if (expected && s.states != *expected) {
    fmt::print(stderr, "bench: explored {} states, but the model has {}\n", s.states, *expected);
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"dmcheck engine benchmark: counters (m^width states) or dining philosophers"};
  std::string model = "counters";
  unsigned width = 8;
  unsigned modulus = 8;
  unsigned philosophers = 19;
  std::string strategy = "bfs";
  unsigned threads = 0;
  unsigned steps = 3;
  std::string reduction = "none";
  bool stop_at_first = false;
  app.add_option("--model", model, "counters, philosophers or private-work")
      ->check(CLI::IsMember({"counters", "philosophers", "private-work"}))
      ->capture_default_str();
  app.add_option("--width", width, "Number of counters (private-work: of workers, at most 8)")
      ->check(CLI::Range(1u, static_cast<unsigned>(dmcheck::zoo::Counters::kMaxWidth)))
      ->capture_default_str();
  app.add_option("--modulus", modulus, "Values per counter")
      ->check(CLI::Range(2u, 255u))
      ->capture_default_str();
  app.add_option("--philosophers", philosophers, "Number of philosophers")
      ->check(CLI::Range(2u, static_cast<unsigned>(dmcheck::zoo::Philosophers::kMax)))
      ->capture_default_str();
  app.add_option("--strategy", strategy, "bfs or dfs")
      ->check(CLI::IsMember({"bfs", "dfs"}))
      ->capture_default_str();
  app.add_option("--threads", threads, "Threads exploring (bfs); 0: one per core")
      ->capture_default_str();
  app.add_option("--steps", steps, "private-work: private steps per worker")
      ->check(CLI::Range(1u, 250u))
      ->capture_default_str();
  app.add_option("--reduction", reduction, "none, symmetry, por or all")
      ->check(CLI::IsMember({"none", "symmetry", "por", "all"}))
      ->capture_default_str();
  app.add_flag("--stop-at-first", stop_at_first, "Stop at the first violation");
  CLI11_PARSE(app, argc, argv);

  dmcheck::checker::Options options;
  options.strategy = *dmcheck::checker::parse_strategy(strategy);
  options.check_deadlock = false;
  options.threads = threads;
  options.reduction = *dmcheck::checker::parse_reduction(reduction);
  options.stop_at_first_violation = stop_at_first;
  if (model == "private-work") {
    if (width > dmcheck::zoo::PrivateWork::kMaxWorkers) {
      fmt::print(stderr, "bench: --width {}: private-work has at most {} workers\n", width,
                 dmcheck::zoo::PrivateWork::kMaxWorkers);
      return 2;
    }
    return explore(dmcheck::zoo::PrivateWork(static_cast<std::uint8_t>(width),
                                             static_cast<std::uint8_t>(steps)),
                   fmt::format("private-work width={} steps={}", width, steps), options,
                   std::nullopt);
  }
  if (model == "philosophers") {
    return explore(dmcheck::zoo::Philosophers(static_cast<std::uint8_t>(philosophers)),
                   fmt::format("philosophers {}", philosophers), options, std::nullopt);
  }
  const dmcheck::zoo::Counters counters(static_cast<std::uint8_t>(width),
                                        static_cast<std::uint8_t>(modulus));
  return explore(counters, fmt::format("counters width={} modulus={}", width, modulus), options,
                 counters.reachable_states());
}
