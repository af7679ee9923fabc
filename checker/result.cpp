#include "checker/result.h"

namespace dmcheck::checker {

std::string_view to_string(StopReason reason) {
  switch (reason) {
    case StopReason::completed:
      return "completed";
    case StopReason::depth_bound:
      return "depth bound";
    case StopReason::state_limit:
      return "state limit";
    case StopReason::time_limit:
      return "time limit";
    case StopReason::memory_limit:
      return "memory limit";
    case StopReason::out_of_memory:
      return "memory exhausted";
    case StopReason::spill_full:
      return "spill disk full";
    case StopReason::interrupted:
      return "interrupted";
    case StopReason::first_violation:
      return "first violation";
    case StopReason::walks_done:
      return "random walks done";
  }
  return "?";
}

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::holds:
      return "holds";
    case Verdict::violated:
      return "violated";
    case Verdict::reached:
      return "reached";
    case Verdict::unreachable:
      return "unreachable";
    case Verdict::unknown:
      return "unknown";
    case Verdict::holds_vacuously:
      return "holds vacuously";
  }
  return "?";
}

}  // namespace dmcheck::checker
