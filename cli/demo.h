#pragma once
/// `dmcheck demo`: the engine on its zoo of small models with known answers.

#include <CLI/CLI.hpp>

namespace dmcheck::cli {

/// Adds the subcommand; its callback stores the exit status in `exit_code`.
void add_demo_command(CLI::App& app, int& exit_code);

}  // namespace dmcheck::cli
