#include "checker/property.h"

namespace dmcheck::checker {

std::string_view to_string(PropertyKind kind) {
  switch (kind) {
    case PropertyKind::always:
      return "always";
    case PropertyKind::sometimes:
      return "sometimes";
  }
  return "?";
}

}  // namespace dmcheck::checker
