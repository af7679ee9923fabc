#pragma once
/// The limits a scenario file's text must keep before the TOML parser sees it: a regular file
/// of at most kMaxScenarioBytes, nested at most kMaxNesting levels deep. A FIFO, a device such
/// as /dev/zero or a huge file is refused without being read to its end, and deep nesting is
/// refused before the parser could exhaust its stack on it.

#include <cstddef>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "checker/error.h"

namespace dmcheck::scenarios {

inline constexpr std::size_t kMaxScenarioBytes = std::size_t{1} << 20;  ///< 1 MiB
/// Arrays, inline tables, table headers and dotted keys, counted together.
inline constexpr std::size_t kMaxNesting = 32;

/// The text of the scenario file at `path`: refused unless it is a regular file of at most
/// kMaxScenarioBytes (at most that many bytes plus one are ever read).
tl::expected<std::string, Error> read_scenario_text(const std::string& path);

/// Refuses text nested deeper than kMaxNesting, at the line and column where it goes past.
/// `file` names it in the message. Strings and comments are skipped as TOML defines them.
tl::expected<void, Error> check_nesting(std::string_view text, const std::string& file);

}  // namespace dmcheck::scenarios
