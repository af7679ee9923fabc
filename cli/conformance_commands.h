#pragma once
/// The subcommands that run the real kernel: conform and replay.

#include <CLI/CLI.hpp>

namespace dmcheck::cli {

void add_conform_command(CLI::App& app, int& exit_code);
void add_replay_command(CLI::App& app, int& exit_code);

}  // namespace dmcheck::cli
