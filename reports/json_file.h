#pragma once
/// Reading a JSON input file (a trace or a report) safely: it must be a regular file (a FIFO or
/// a device is refused, never waited on or read without end), at most kMaxJsonFileBytes long,
/// and nested at most kMaxJsonDepth deep, checked before the parser sees the text.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <tl/expected.hpp>

#include "checker/error.h"

namespace dmcheck::reports {

/// The largest trace or report file read (16 MiB): far above any trace dmcheck writes.
inline constexpr std::uint64_t kMaxJsonFileBytes = 16ULL << 20;
/// The deepest nesting of arrays and objects accepted (dmcheck's own files nest 5 deep).
inline constexpr std::size_t kMaxJsonDepth = 64;

/// Reads and parses `file`; errors name the file and what is wrong (bad_input).
tl::expected<nlohmann::json, Error> read_json_file(const std::string& file,
                                                   std::uint64_t limit = kMaxJsonFileBytes);

/// Parses `text`, refusing nesting deeper than kMaxJsonDepth; errors name `file`.
tl::expected<nlohmann::json, Error> parse_json_text(const std::string& text,
                                                    const std::string& file);

}  // namespace dmcheck::reports
