#pragma once
/// Where each part of a scenario's configuration is written, so that an error model::check_config
/// reports about a part (a section, an entry, a target or step, a field) is placed at its line
/// and column in the file, found once rather than searched for.

#include <toml++/toml.h>

#include <vector>

#include "model/config.h"
#include "scenarios/reader.h"

namespace dmcheck::scenarios {

/// Nodes of the parsed file, which outlives the loading, one per part of model::Config.
struct Places {
  std::vector<const toml::table*> disks;
  std::vector<const toml::table*> tables;
  std::vector<std::vector<const toml::node*>> targets;  ///< per table, per target
  std::vector<const toml::table*> devices;
  std::vector<const toml::table*> processes;
  std::vector<std::vector<const toml::node*>> steps;  ///< per process, per step
  std::vector<const toml::node*> extra_names;
  const toml::table* actors = nullptr;
  std::vector<SourceLocation> properties;  ///< per Config::properties entry, its expectation
  std::vector<const toml::table*> user_properties;  ///< per [[properties]] entry
};

/// Where the file states `part`: its field's value when the field is written there, else the
/// entry, target or step itself; the file alone (line 0) for the configuration as a whole.
SourceLocation place(const Reader& r, const Places& places, const model::ConfigPart& part);

}  // namespace dmcheck::scenarios
