#pragma once
/// What the scenario loader keeps while it reads a file: the scenario so far, where each part of
/// it was written, and each declaration of a device name or uuid, checked once all are read.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scenarios/places.h"
#include "scenarios/scenario.h"

namespace dmcheck::scenarios {

struct Loading {
  Scenario s;
  Places places;
  /// Where each declaration of a device name or a uuid was written, in file order.
  std::vector<std::pair<std::string, SourceLocation>> name_places;
  std::vector<std::pair<std::string, SourceLocation>> uuid_places;
  std::optional<SourceLocation> suspender;  ///< [actors] internal_suspender's value
};

}  // namespace dmcheck::scenarios
