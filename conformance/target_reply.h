#pragma once
/// A `status` or `table` reply's target lines, reduced to what the model owns, in one form for
/// the model's prediction and the kernel's observation, so that the two compare as text:
///   status: per target "V" or "C" (verity), "USED/TOTAL" data blocks (thin-pool), "-" (a target
///           whose status line is empty), blank-separated;
///   table:  per target "TYPE UNITS" (its length in the model's units), comma-separated;
///   either: "no targets" when the queried table is absent.
/// A line the reduction does not expect is kept whole, in brackets, so that it differs.

#include <nlohmann/json.hpp>
#include <string>

#include "conformance/fixtures.h"
#include "model/dm_model.h"
#include "model/state.h"
#include "model/step.h"

namespace dmcheck::conformance {

/// The reduced targets of the agent's reply to a status or table query (its "targets").
std::string kernel_targets_text(const nlohmann::json& observation, model::Op op);

/// The reduced targets the model predicts for `call` (a status or table query) that observed
/// `obs`, with `after` the state after it (the query changes no table).
std::string model_targets_text(const model::DmModel& m, const Fixtures& fixtures,
                               const model::State& after, const model::Call& call,
                               const model::Observation& obs);

}  // namespace dmcheck::conformance
