/// The engine benchmark: a synthetic model with a known number of reachable states, explored
/// exhaustively; prints states, seconds, states/s and bytes/state, and fails if the count is off.

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "checker/check.h"
#include "zoo/counters.h"

int main(int argc, char** argv) {
  CLI::App app{"dmcheck engine benchmark: width counters modulo m, m^width states"};
  unsigned width = 8;
  unsigned modulus = 8;
  std::string strategy = "bfs";
  app.add_option("--width", width, "Number of counters")
      ->check(CLI::Range(1u, static_cast<unsigned>(dmcheck::zoo::Counters::kMaxWidth)))
      ->capture_default_str();
  app.add_option("--modulus", modulus, "Values per counter")
      ->check(CLI::Range(2u, 255u))
      ->capture_default_str();
  app.add_option("--strategy", strategy, "bfs or dfs")
      ->check(CLI::IsMember({"bfs", "dfs"}))
      ->capture_default_str();
  unsigned threads = 0;
  app.add_option("--threads", threads, "Threads exploring (bfs); 0: one per core")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  const dmcheck::zoo::Counters model(static_cast<std::uint8_t>(width),
                                     static_cast<std::uint8_t>(modulus));
  dmcheck::checker::Options options;
  options.strategy = *dmcheck::checker::parse_strategy(strategy);
  options.check_deadlock = false;
  options.threads = threads;
  const auto result = dmcheck::checker::check(model, options);
  if (!result) {
    fmt::print(stderr, "bench: {}\n", result.error().describe());
    return 4;
  }
  const auto& s = result->stats;
  fmt::print("model           counters width={} modulus={} ({}, {} threads)\n", width, modulus,
             strategy, result->stats.threads);
  fmt::print("states          {}\n", s.states);
  fmt::print("transitions     {}\n", s.transitions);
  fmt::print("seconds         {:.2f}\n", s.seconds);
  fmt::print("states/s        {:.0f}\n", s.states_per_second);
  fmt::print("transitions/s   {:.0f}\n", s.seconds > 0 ? s.transitions / s.seconds : 0.0);
  fmt::print("bytes/state     {:.1f} (visited set)\n", s.bytes_per_state);
  fmt::print("peak frontier   {} states ({} MiB)\n", s.peak_frontier,
             (s.peak_frontier * sizeof(dmcheck::zoo::Counters::State)) >> 20);
  fmt::print("peak RSS        {} MiB\n", s.peak_rss_bytes >> 20);
  if (s.states != model.reachable_states()) {
    fmt::print(stderr, "bench: explored {} states, but the model has {}\n", s.states,
               model.reachable_states());
    return 1;
  }
  return 0;
}
