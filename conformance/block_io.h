#pragma once
/// The guest agent's reads and writes of a block device, unit by unit (a unit is the model's
/// length unit, kSectorsPerUnit sectors), with O_DIRECT so that every byte comes from or goes to
/// the device and not the page cache.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace dmcheck::conformance {

/// Units the fixtures filled with an image, by digest (unit_digest): the pattern letter each
/// stands for (Fixtures::known_units).
using KnownUnits = std::map<std::uint64_t, char>;
KnownUnits known_units_from(const nlohmann::json& known);

/// Reads the first unit, or with `whole` every unit up to the device's end, through `fd`.
/// Returns {"errno", "data"} for one unit; with `whole`, {"errno", "units": [{"errno", "data"}]}
/// with errno EIO when any unit failed. data is "zeros", "pattern X" (one repeated byte, or an
/// image of `known` standing for X), "mixed" or "empty" (no byte: the read began at the
/// device's end).
nlohmann::json read_units(int fd, bool whole, const KnownUnits& known);

/// Writes `letter` over the first unit, or with `whole` over every unit in turn up to the first
/// that fails, through `fd`. Returns {"errno"}: 0, or the first failure's errno.
nlohmann::json write_units(int fd, char letter, bool whole);

/// Fills each disk of `fill` (Fixtures::fill_on_reset) with its patterns again, and its first
/// unit with its image where it has one. Returns what failed, or "".
std::string refill(const nlohmann::json& fill);

}  // namespace dmcheck::conformance
