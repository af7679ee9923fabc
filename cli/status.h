#pragma once
/// Combining exit statuses of several runs: the most serious wins.

#include <string>

#include "checker/error.h"
#include "checker/interrupt.h"
#include "cli/exit_codes.h"
#include "reports/report.h"

namespace dmcheck::cli {

/// Seriousness order: bad input, model error, verdict changed, incomplete, as expected.
inline int worse(int a, int b) {
  const auto rank = [](int s) {
    switch (s) {
      case kBadInput:
        return 4;
      case kModelError:
        return 3;
      case kVerdictChanged:
        return 2;
      case kIncomplete:
        return 1;
      default:
        return 0;
    }
  };
  return rank(a) >= rank(b) ? a : b;
}

inline int status_of(reports::Outcome outcome) {
  switch (outcome) {
    case reports::Outcome::changed:
      return kVerdictChanged;
    case reports::Outcome::incomplete:
      return kIncomplete;
    default:
      return kAsExpected;
  }
}

inline int status_of(const Error& error) {
  return error.kind == ErrorKind::model ? kModelError : kBadInput;
}

/// Why the rest of a run was not run: "interrupted by SIGTERM".
inline std::string interruption() {
  return std::string("interrupted by ") + checker::signal_name(checker::interrupt_signal());
}

}  // namespace dmcheck::cli
