#include "scenarios/places.h"

#include <optional>

namespace dmcheck::scenarios {

namespace {

template <class Node>
const toml::node* nth(const std::vector<Node*>& nodes, std::size_t i) {
  return i < nodes.size() ? nodes[i] : nullptr;
}

template <class Node>
const toml::node* nth(const std::vector<std::vector<Node*>>& nodes, std::size_t i,
                      std::optional<std::size_t> j) {
  return i < nodes.size() && j ? nth(nodes[i], *j) : nullptr;
}

/// The node a part of the configuration was read from; null when there is none.
const toml::node* node_of(const Places& places, const model::ConfigPart& part) {
  using Section = model::ConfigPart::Section;
  switch (part.section) {
    case Section::disks:
      return nth(places.disks, part.index);
    case Section::tables:
      return part.item ? nth(places.targets, part.index, part.item)
                       : nth(places.tables, part.index);
    case Section::devices:
      return nth(places.devices, part.index);
    case Section::processes:
      return part.item ? nth(places.steps, part.index, part.item)
                       : nth(places.processes, part.index);
    case Section::extra_names:
      return nth(places.extra_names, part.index);
    case Section::actors:
      return places.actors;
    case Section::user_properties:
      return nth(places.user_properties, part.index);
    case Section::properties:  // placed by their expectations, not by a node
    case Section::whole:
      break;
  }
  return nullptr;
}

}  // namespace

SourceLocation place(const Reader& r, const Places& places, const model::ConfigPart& part) {
  if (part.section == model::ConfigPart::Section::properties &&
      part.index < places.properties.size()) {
    return places.properties[part.index];
  }
  const toml::node* node = node_of(places, part);
  if (node == nullptr) {
    return SourceLocation{r.file(), 0, 0};
  }
  if (const toml::table* t = node->as_table(); t != nullptr && !part.field.empty()) {
    if (const toml::node* field = t->get(part.field)) {
      return r.at(*field);
    }
  }
  return r.at(*node);
}

}  // namespace dmcheck::scenarios
