/// dmcheck: a model checker for the Linux device-mapper lifecycle.

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "cli/conformance_commands.h"
#include "cli/demo.h"
#include "cli/exit_codes.h"
#include "cli/scenario_commands.h"

namespace {

/// The last resort for an exception no command handled: what was already printed is flushed
/// (so no verdict is lost), then a one-line message. Plain stdio, which cannot throw.
int internal_error(const char* what) {
  std::fflush(stdout);
  std::fprintf(stderr, "dmcheck: internal error: %s\n", what);
  std::fflush(stderr);
  return dmcheck::cli::kModelError;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"dmcheck: explore the device-mapper lifecycle over every interleaving"};
  app.set_version_flag("--version", std::string("dmcheck ") + DMCHECK_VERSION);
  app.require_subcommand(1);
  int exit_code = dmcheck::cli::kAsExpected;
  try {
    dmcheck::cli::add_check_command(app, exit_code);
    dmcheck::cli::add_ci_command(app, exit_code);
    dmcheck::cli::add_matrix_command(app, exit_code);
    dmcheck::cli::add_list_command(app, exit_code);
    dmcheck::cli::add_outcomes_command(app, exit_code);
    dmcheck::cli::add_demo_command(app, exit_code);
    dmcheck::cli::add_conform_command(app, exit_code);
    dmcheck::cli::add_replay_command(app, exit_code);
    app.parse(argc, argv);
    // Output that cannot be written (a full disk, a closed pipe) is an error, not a success.
    if (std::fflush(stdout) != 0) {
      const std::string reason = std::string("cannot write the output: ") + std::strerror(errno);
      return internal_error(reason.c_str());
    }
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? 0 : dmcheck::cli::kBadInput;
  } catch (const std::exception& e) {
    return internal_error(e.what());
  } catch (...) {
    return internal_error("an exception of unknown type");
  }
  return exit_code;
}
