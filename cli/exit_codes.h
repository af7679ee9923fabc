#pragma once
/// The exit statuses every subcommand shares (documented in README.md).

namespace dmcheck::cli {

enum ExitCode : int {
  kAsExpected = 0,      ///< every verdict is the expected one
  kVerdictChanged = 1,  ///< some verdict differs from its expectation (conform, replay: the
                        ///< kernel diverged from the model)
  kBadInput = 2,        ///< bad command line or input file
  kIncomplete = 3,      ///< a limit, exhausted memory or a signal (SIGINT, SIGTERM) stopped
                        ///< a run before it decided a verdict; replay: the kernel agreed but
                        ///< could not show the counterexample's state
  kModelError = 4,      ///< the model broke the engine's contract, or an internal error
  kKernelFailed = 5,    ///< the real kernel could not be run (missing, hung, crashed)
};

}  // namespace dmcheck::cli
