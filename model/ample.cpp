// Partial-order reduction for the DM model (checker/partial_order.h): in a state, a process
// whose next moves commute with everything the other actors can do until it moves, and change
// no checked property, may be explored alone. docs/reductions.md gives the argument.

#include <array>
#include <cstring>

#include "model/compiled.h"
#include "model/dm_model.h"
#include "model/footprint.h"
#include "model/machine.h"

namespace dmcheck::model {
namespace {

using detail::Footprint;

struct Moves {
  static constexpr std::size_t kMax = 16;
  std::array<Action, kMax> actions;
  std::array<State, kMax> states;  // the first `size` are written; the rest are never read
  std::size_t size = 0;
  bool overflow = false;  ///< more than kMax: judged not alone
};

/// Process `pid`'s moves in `s`, or with `probed`, the prober's move on that device.
Moves moves_of(const detail::Compiled& c, const State& s, std::size_t pid, std::uint8_t probed) {
  Moves out;
  const auto keep = [&](const Action& a, const State& n) {
    if (probed != 0 && a.device != probed) {
      return;
    }
    if (out.size == Moves::kMax) {
      out.overflow = true;
      return;
    }
    out.actions[out.size] = a;
    out.states[out.size++] = n;
  };
  detail::Machine machine(c, keep);
  if (probed != 0) {
    machine.prober(s);
  } else {
    machine.process(s, pid);
  }
  return out;
}

bool same(const Action& a, const Action& b) {
  return a.actor == b.actor && a.event == b.event && a.phase == b.phase && a.pc == b.pc &&
         a.branch == b.branch && a.sub == b.sub && a.device == b.device && a.name == b.name &&
         a.obs == b.obs;
}

bool same(const State& a, const State& b) { return std::memcmp(&a, &b, sizeof(State)) == 0; }

/// The states the footprint can be in before the process moves: `s`, then each one the
/// prober's next move leads to while it concerns the probed device (its close of a device
/// outside first, if it holds one; then close, open, close at most: only the process can raise
/// a new uevent there), with those moves.
struct Chain {
  static constexpr std::size_t kMax = 4;
  std::array<State, kMax + 1> states;
  std::array<Action, kMax> prober;  ///< prober[i] leads from states[i] to states[i + 1]
  std::size_t moves = 0;            ///< prober moves: states[0 .. moves] are written
  bool bounded = false;             ///< a prober move passes a bound: judged not alone
};

Chain probed_states(const detail::Compiled& c, const State& s, const Footprint& w) {
  Chain out;
  out.states[0] = s;
  for (std::size_t i = 0; i < Chain::kMax && w.probed != 0; ++i) {
    const std::uint8_t held = out.states[i].kernel.prober_md;
    const Moves next = moves_of(c, out.states[i], w.process, held != 0 ? held : w.probed);
    if (next.size == 0) {
      break;
    }
    out.bounded = next.size != 1 || next.states[0].bound != Bound::none;
    if (out.bounded) {
      break;
    }
    out.prober[i] = next.actions[0];
    out.states[i + 1] = next.states[0];
    out.moves = i + 1;
  }
  return out;
}

/// The process's moves in each state of a chain.
using ChainMoves = std::array<Moves, Chain::kMax + 1>;

/// Each move of the process commutes with each of the prober's moves in the chain: taken after
/// the process's move, the prober's move is the same and ends where the process's move taken
/// after the prober's does.
bool commutes_with_prober(const detail::Compiled& c, const Chain& chain, const ChainMoves& moves,
                          const Footprint& w) {
  for (std::size_t i = 0; i < chain.moves; ++i) {
    const std::uint8_t held = chain.states[i].kernel.prober_md;
    for (std::size_t m = 0; m < moves[i].size; ++m) {
      const Moves after = moves_of(c, moves[i].states[m], w.process, held != 0 ? held : w.probed);
      if (after.size != 1 || !same(after.actions[0], chain.prober[i]) ||
          !same(after.states[0], moves[i + 1].states[m])) {
        return false;
      }
    }
  }
  return true;
}

/// Whether process `pid` can be explored alone in `s`: it has a move; in each state the prober
/// can bring its footprint to first, it has the same moves, and each stays inside the footprint
/// and is invisible; and each commutes with the prober's move there.
bool acts_alone(const detail::Compiled& c, const State& s, const detail::Watch& watch,
                std::size_t pid) {
  const std::optional<Footprint> w = detail::footprint(c, s, pid);
  if (!w) {
    return false;
  }
  const Chain chain = probed_states(c, s, *w);
  if (chain.bounded) {
    return false;
  }
  ChainMoves moves;
  for (std::size_t k = 0; k <= chain.moves; ++k) {
    const State& x = chain.states[k];
    moves[k] = moves_of(c, x, pid, 0);
    const Moves& m = moves[k];
    if (m.overflow || m.size == 0 || m.size != moves[0].size) {
      return false;
    }
    for (std::size_t i = 0; i < m.size; ++i) {
      if (!same(m.actions[i], moves[0].actions[i]) ||
          !detail::stays_inside(c, x, m.states[i], *w) ||
          !detail::invisible(c, watch, x, m.states[i], *w)) {
        return false;
      }
    }
  }
  return commutes_with_prober(c, chain, moves, *w);
}

}  // namespace

std::uint32_t DmModel::actor_of(const Action& action) const { return action.actor; }

std::optional<std::uint32_t> DmModel::ample_actor(const State& state) const {
  const detail::Compiled& c = *c_;
  if (!c.por.enabled || state.bound != Bound::none) {
    return std::nullopt;
  }
  const detail::Watch watch(c, state);
  for (std::size_t pid = 0; pid < c.programs.size(); ++pid) {
    if (c.por.isolated[pid] != 0 && acts_alone(c, state, watch, pid)) {
      return static_cast<std::uint32_t>(pid);
    }
  }
  return std::nullopt;
}

}  // namespace dmcheck::model
