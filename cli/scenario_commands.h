#pragma once
/// The subcommands that work on scenario files: check, ci, matrix, list, outcomes.

#include <CLI/CLI.hpp>

namespace dmcheck::cli {

void add_check_command(CLI::App& app, int& exit_code);
void add_ci_command(CLI::App& app, int& exit_code);
void add_matrix_command(CLI::App& app, int& exit_code);
void add_list_command(CLI::App& app, int& exit_code);
void add_outcomes_command(CLI::App& app, int& exit_code);

}  // namespace dmcheck::cli
