#pragma once
/// Properties are named data: the model lists them, the engine checks them on every state.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace dmcheck::checker {

enum class PropertyKind : std::uint8_t {
  always,     ///< an invariant: must hold in every reachable state
  sometimes,  ///< a goal: some reachable state must satisfy it (proves a model is not vacuous)
};

std::string_view to_string(PropertyKind kind);

template <class State>
struct Property {
  std::string name;
  PropertyKind kind;
  std::function<bool(const State&)> condition;
  std::string meaning;  ///< one sentence for listings and reports
  /// For an invariant of the form "A implies B": A. The engine records whether A held in some
  /// explored state; an invariant whose A never did holds only vacuously, and says so. Empty
  /// for an invariant with no such premise and for a goal.
  std::function<bool(const State&)> antecedent = {};
  std::string antecedent_meaning = {};  ///< A in words, for reports ("a no-open mark was set")
};

template <class State>
Property<State> always(std::string name, std::function<bool(const State&)> condition,
                       std::string meaning = {}) {
  return {std::move(name), PropertyKind::always, std::move(condition), std::move(meaning)};
}

template <class State>
Property<State> sometimes(std::string name, std::function<bool(const State&)> condition,
                          std::string meaning = {}) {
  return {std::move(name), PropertyKind::sometimes, std::move(condition), std::move(meaning)};
}

}  // namespace dmcheck::checker
