#include "checker/options.h"

namespace dmcheck::checker {

std::string_view to_string(Strategy strategy) {
  switch (strategy) {
    case Strategy::bfs:
      return "bfs";
    case Strategy::dfs:
      return "dfs";
    case Strategy::random_walk:
      return "random";
  }
  return "?";
}

std::optional<Strategy> parse_strategy(std::string_view text) {
  for (Strategy s : {Strategy::bfs, Strategy::dfs, Strategy::random_walk}) {
    if (text == to_string(s)) {
      return s;
    }
  }
  return std::nullopt;
}

std::string_view to_string(Reduction reduction) {
  switch (reduction) {
    case Reduction::none:
      return "none";
    case Reduction::symmetry:
      return "symmetry";
    case Reduction::por:
      return "por";
    case Reduction::all:
      return "all";
  }
  return "?";
}

std::optional<Reduction> parse_reduction(std::string_view text) {
  for (Reduction r : {Reduction::none, Reduction::symmetry, Reduction::por, Reduction::all}) {
    if (text == to_string(r)) {
      return r;
    }
  }
  return std::nullopt;
}

}  // namespace dmcheck::checker
