#include "model/table.h"

namespace dmcheck::model {

std::string_view to_string(TargetKind kind) {
  switch (kind) {
    case TargetKind::linear:
      return "linear";
    case TargetKind::zero:
      return "zero";
    case TargetKind::error:
      return "error";
    case TargetKind::verity:
      return "verity";
    case TargetKind::crypt:
      return "crypt";
    case TargetKind::thin_pool:
      return "thin-pool";
    case TargetKind::generic:
      return "generic";
    case TargetKind::thin:
      return "thin";
  }
  return "?";
}

bool is_immutable(TargetKind kind) {
  return kind == TargetKind::verity || kind == TargetKind::thin_pool;
}

bool is_singleton(TargetKind kind) {
  return kind == TargetKind::verity || kind == TargetKind::thin_pool;
}

}  // namespace dmcheck::model
