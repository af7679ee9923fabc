#pragma once
/// The subcommands that run the real kernel: conform and replay.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <tl/expected.hpp>

namespace dmcheck::cli {

void add_conform_command(CLI::App& app, int& exit_code);
void add_replay_command(CLI::App& app, int& exit_code);

/// Reads option `name`'s value `text` as a whole number in [min, max]; the error is the message
/// "--walks must be a whole number from 0 to 1000000 (got 'x')".
tl::expected<std::uint64_t, std::string> whole_option(const std::string& name,
                                                      const std::string& text, std::uint64_t min,
                                                      std::uint64_t max);
/// Reads a positive, finite number of seconds up to `max`; the error names the option.
tl::expected<double, std::string> seconds_option(const std::string& name, const std::string& text,
                                                 double max);

}  // namespace dmcheck::cli
