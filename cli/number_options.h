#pragma once
/// Numeric command-line options, checked strictly: a value is a plain decimal number within the
/// option's range, or it is refused with a sentence naming the option, the range and what was
/// given. CLI11's own conversions accept nan, wrap negative values into unsigned ones and print
/// ranges as 309-digit doubles; these do not.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace dmcheck::cli {

/// A whole number from `min` to `max` written in decimal digits only (no sign, no exponent, no
/// spaces). `unit` (e.g. "MiB") is named in the message. The error reads e.g. "--seed must be a
/// whole number from 0 to 18446744073709551615 (got '-1')".
tl::expected<std::uint64_t, std::string> parse_whole_number(std::string_view flag,
                                                            std::string_view text,
                                                            std::uint64_t min, std::uint64_t max,
                                                            std::string_view unit = {});

/// A finite number of seconds greater than zero, in decimal or scientific notation ("0.5",
/// "1e10"), and at most `max` when given. The error reads "--max-time must be a positive number
/// of seconds (got 'nan')", or "... of seconds, at most 86400 (got '1e9')".
tl::expected<double, std::string> parse_seconds(std::string_view flag, std::string_view text,
                                                std::optional<double> max = std::nullopt);

/// Declares `flag` on `command` as a whole number from `min` to `max`, stored in `target`.
/// A bad value fails the command line (exit status 2) with parse_whole_number's message.
CLI::Option* add_whole_number_option(CLI::App& command, const std::string& flag,
                                     std::optional<std::uint64_t>& target, std::uint64_t min,
                                     std::uint64_t max, const std::string& description,
                                     std::string_view unit = {});
/// The same for an option with a default value (named in the help text).
CLI::Option* add_whole_number_option(CLI::App& command, const std::string& flag,
                                     std::uint64_t& target, std::uint64_t min, std::uint64_t max,
                                     const std::string& description, std::string_view unit = {});

/// Declares `flag` on `command` as a positive number of seconds, stored in `target`.
CLI::Option* add_seconds_option(CLI::App& command, const std::string& flag,
                                std::optional<double>& target, const std::string& description);

}  // namespace dmcheck::cli
