/// dmcheck: a model checker for the Linux device-mapper lifecycle.

#include <CLI/CLI.hpp>

#include "cli/conformance_commands.h"
#include "cli/demo.h"
#include "cli/exit_codes.h"
#include "cli/scenario_commands.h"

int main(int argc, char** argv) {
  CLI::App app{"dmcheck: explore the device-mapper lifecycle over every interleaving"};
  app.set_version_flag("--version", std::string("dmcheck ") + DMCHECK_VERSION);
  app.require_subcommand(1);
  int exit_code = dmcheck::cli::kAsExpected;
  dmcheck::cli::add_check_command(app, exit_code);
  dmcheck::cli::add_ci_command(app, exit_code);
  dmcheck::cli::add_matrix_command(app, exit_code);
  dmcheck::cli::add_list_command(app, exit_code);
  dmcheck::cli::add_demo_command(app, exit_code);
  dmcheck::cli::add_conform_command(app, exit_code);
  dmcheck::cli::add_replay_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? 0 : dmcheck::cli::kBadInput;
  }
  return exit_code;
}
