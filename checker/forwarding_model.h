#pragma once
/// What a model wrapper passes through from the model it wraps, unchanged: properties,
/// descriptions, final states, fingerprints, packing and bounds. A wrapper derives from
/// ForwardingModel<Wrapper, M>, says `inner()`, and defines what it changes.

#include <cstddef>
#include <string>
#include <vector>

#include "checker/fingerprint.h"
#include "checker/model.h"

namespace dmcheck::checker {

template <class Wrapper, Model M>
class ForwardingModel {
 public:
  using State = typename M::State;
  using Action = typename M::Action;

  [[nodiscard]] std::vector<Property<State>> properties() const { return in().properties(); }
  [[nodiscard]] std::string describe_action(const Action& a) const {
    return in().describe_action(a);
  }
  [[nodiscard]] std::string describe_state(const State& s) const { return in().describe_state(s); }
  [[nodiscard]] bool is_final(const State& s) const { return is_final_state(in(), s); }
  /// The inner model's fingerprint (its own, when it has one).
  [[nodiscard]] Fingerprint fingerprint(const State& s) const { return state_fingerprint(in(), s); }
  /// The inner model's packing, when it packs its states.
  [[nodiscard]] std::size_t pack(const State& s, unsigned char* to) const requires PacksStates<M> {
    return in().pack(s, to);
  }
  void unpack(const unsigned char* from, std::size_t size,
              State& out) const requires PacksStates<M> {
    in().unpack(from, size, out);
  }
  /// The inner model's bounds still apply.
  [[nodiscard]] std::string exceeded_bound(const State& s) const {
    return checker::exceeded_bound(in(), s);
  }

 private:
  const M& in() const { return static_cast<const Wrapper&>(*this).inner(); }
};

}  // namespace dmcheck::checker
