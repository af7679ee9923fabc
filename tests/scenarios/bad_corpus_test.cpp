// The corpus of malformed scenario files (tests/scenarios/bad/*.toml): each must be refused as
// bad input, at the right line and column, with a message that says what was expected. And the
// other way round: every file of the scenario library (scenarios/*.toml) must load.

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/loader.h"

#ifndef DMCHECK_SOURCE_DIR
#error "DMCHECK_SOURCE_DIR must name the source tree (the test binary's compile definitions set it)"
#endif

namespace scenarios = dmcheck::scenarios;
using dmcheck::ErrorKind;

namespace {

/// One malformed file and what the loader must say about it.
struct BadCase {
  std::string_view file;      ///< under tests/scenarios/bad/, without ".toml"
  std::uint32_t line;         ///< 1-based
  std::uint32_t column;       ///< 1-based
  std::string_view fragment;  ///< a distinctive part of the message
};

// clang-format off
constexpr BadCase kCases[] = {
    // TOML itself
    {"syntax-error",                   2, 15, "Error while parsing string"},
    // keys the format does not have, per section: the location is the key
    {"unknown-top-level-key",           3,  1, "unknown key 'timeout' in the scenario; expected one of: description"},
    {"unknown-key-disks",               6,  1, "unknown key 'sise' in [[disks]]; expected one of: name, size"},
    {"unknown-key-tables",            10,  1, "unknown key 'target' in [[tables]]; expected one of: name, targets"},
    {"unknown-key-target",            10, 47, "unknown key 'size' in a target; expected one of: type, onto, length"},
    {"unknown-key-devices",           15,  1, "unknown key 'opened' in [[devices]]; expected one of: name, uuid"},
    {"unknown-key-processes",         14,  1, "unknown key 'step' in [[processes]]; expected one of: name, steps"},
    {"unknown-key-actors",            17,  1, "unknown key 'udev' in [actors]; expected one of: worker, prober"},
    {"unknown-key-failures",          17,  1, "unknown key 'resume' in [failures]; expected one of: preresume"},
    {"unknown-key-bounds",            17,  1, "unknown key 'max_time' in [bounds]; expected one of: max_states"},
    {"unknown-key-expect",            17,  1, "unknown key 'reached' in [expect]; expected one of: holds"},
    // the variant
    {"missing-variant",                1,  1, "the scenario needs 'variant'"},
    {"unknown-variant",                2, 11, "unknown base kernel '6.5': expected 6.1 or 6.12"},
    {"unknown-patch",                  2, 11, "unknown patch 'no-open': expected no-open-flag"},
    // values
    {"unknown-target-type",           10, 21, "unknown target type 'striped'; expected linear"},
    {"bad-key-value",                 10, 64, "'key' is 'maybe'; expected \"set\" or \"wiped\""},
    {"size-zero",                      6,  8, "'size' is 0, out of range; expected 1 to 255"},
    {"length-out-of-range",           10, 56, "'length' is 300, out of range; expected 1 to 255"},
    {"max-depth-zero",                17, 13, "'max_depth' is 0, out of range; expected 1 to 100000"},
    {"wrong-type-size",                6,  8, "'size' must be an integer"},
    {"steps-not-array",               14,  9, "'steps' must be an array"},
    {"empty-targets",                 10, 11, "table 'lin' has no targets"},
    {"device-unknown-table",          14,  9, "unknown table 'linear'; define it under [[tables]] first"},
    {"process-name-space",            13,  8, "a process name must be one word"},
    // steps: the location is the step's string in the array
    {"unknown-step-word",             14, 34, "unknown step 'mount': expected create, load"},
    {"step-unknown-flag",             14, 44, "unexpected '--verbose' in 'remove'"},
    {"step-missing-device",           14, 34, "'open' expects a device NAME"},
    {"malformed-choose",              14, 34, "expected '{ ... }' after 'choose'"},
    {"malformed-repeat",              14, 34, "'repeat' takes one sequence; use ';' between its calls"},
    {"repeat-zero",                   14, 34, "a repeat bound must be at least 1"},
    {"step-unknown-table",            14, 34, "unknown table 'nosuch'"},
    // names: declared before a step uses them, and valid for the kernel, placed where written
    {"step-unknown-device",           14, 23, "unknown device 'sawp'; a step names only devices the scenario declares ([[devices]], a create, a rename's new name, or 'names' for one that never exists); did you mean 'swap'?"},
    {"close-never-opened",            18, 20, "process 'closer' closes 'a' but never opens it; a close, read or write needs an 'open a' in the same process"},
    {"suspender-unknown",             17, 22, "internal_suspender names 'thni', which is no device this scenario declares; did you mean 'thin'?"},
    {"name-too-long",                  6, 10, "device name 'xxxxxxxxxxxxxxxxxxxxxxxx...' is 128 bytes; the kernel takes at most 127"},
    {"name-with-slash",                9,  8, "device name 'vg/lv' contains '/', which the kernel refuses"},
    {"name-dot-dot",                   6, 32, "device name '..' is refused by the kernel (\"control\", \".\" and \"..\" are reserved)"},
    {"name-with-nul",                  4, 10, "device name 'ab\\0c' contains a NUL byte, which would cut it short"},
    {"uuid-too-long",                 10,  8, "uuid 'uuuuuuuuuuuuuuuuuuuuuuuu...' is 129 bytes; the kernel takes at most 128"},
    // the model's bounds that a file shows (docs/scenarios.md lists every bound)
    {"too-many-names",                 4, 210, "too many distinct device names: the model holds at most 31"},
    {"open-count-over-bound",         11, 14, "'open_count' is 249, out of range; expected 0 to 248"},
    {"nesting-too-deep",               3, 41, "nesting deeper than 32 levels (arrays, inline tables, table headers and dotted keys count together)"},
    // steps the variant lacks
    {"no-open-on-6.1",                14, 44, "--no-open needs the no-open-flag patch (variant 6.1)"},
    {"set-open-limit-without-patch",  14, 34, "set_open_limit needs the open-limit-ioctl patch (variant 6.1)"},
    {"open-limit-without-patch",      14, 10, "--open-limit needs the create-open-limit patch (variant 6.1)"},
    // expectations
    {"unknown-property",              17, 10, "unknown property 'no-zombies'"},
    {"invariant-under-reachable",     17, 41, "'unique-names' is an invariant; list it under holds, holds_vacuously or violated"},
    {"goal-under-holds",              17, 10, "'device-freed' is a goal; list it under reachable or unreachable"},
    {"property-twice",                18, 16, "'deferred-remove-pending' is expected twice"},
    {"expect-missing",                 1,  1, "the scenario has no [expect] section"},
    {"no-reachable-goal",             16,  1, "[expect] names no reachable goal"},
    {"expect-any",                    19,  7, "'any' names properties without a verdict; dmcheck ci needs every verdict stated"},
    {"shortest-not-expected",         21, 16, "a shortest length for 'unique-names', which is not expected violated or reachable"},
    // errors model::check_config finds, placed at the part it names: the field at fault, else the
    // entry, target or step (a duplicate at its second occurrence, a count at the first past it)
    {"device-open-limit-without-patch", 15, 14, "device 'a': an open limit needs variant open-limit-ioctl or create-open-limit"},
    {"duplicate-device", 18, 8, "device 'a' is defined twice"},
    {"table-verity-onto-device", 11, 38,
     "table 'lin': 'a' is not a disk; only linear and thin may sit on another DM device"},
    {"too-many-processes", 41, 1, "too many processes: the model runs at most 6"},
    {"onto-typo", 9, 12, "'onto' names 'disk9', which is neither a disk nor a device"},
    {"program-too-long", 19, 2024, "process 'owner': program too long; at most 200 steps"},
    {"too-many-devices", 20, 1, "too many devices: the model holds at most 8"},
    {"too-many-disks", 5, 61, "too many disks: the model holds at most 8"},
    {"too-many-tables", 69, 3, "too many tables: the model holds at most 64"},
    {"too-many-targets", 6, 88, "table 'z' must have 1 to 4 targets"},
    {"choose-too-many", 6, 32, "process 'p': a choice takes 1 to 8 alternatives"},
    {"sequence-too-long", 6, 32, "process 'p': a call sequence of 201 calls; the model holds at most 200"},
    // with [actors] naming an internal suspender, still placed at the entry that is wrong
    {"open-limit-with-suspender", 20, 14, "device 'b': an open limit needs variant open-limit-ioctl or create-open-limit"},
};
// clang-format on

std::string bad_path(std::string_view name) {
  return std::string(DMCHECK_SOURCE_DIR "/tests/scenarios/bad/") + std::string(name) + ".toml";
}

/// Loads a file that must fail and checks kind, place and message.
void check_refused(const std::string& path, std::uint32_t line, std::uint32_t column,
                   std::string_view fragment) {
  auto loaded = scenarios::load_scenario(path);
  REQUIRE_MESSAGE(!loaded.has_value(), path << " loaded, but it is malformed");
  const dmcheck::Error& error = loaded.error();
  INFO(error.describe());
  CHECK(error.kind == ErrorKind::bad_input);
  REQUIRE(error.where.has_value());
  CHECK(error.where->file == path);
  CHECK(error.where->line == line);
  CHECK(error.where->column == column);
  CHECK_MESSAGE(error.message.find(fragment) != std::string::npos, "expected: " << fragment);
  // describe() leads with file:line:column (just file: when there is no place), as every
  // command-line message does.
  const std::string lead =
      line == 0 ? path + ": "
                : path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
  CHECK(error.describe().rfind(lead, 0) == 0);
}

std::vector<std::filesystem::path> toml_files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".toml") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_SUITE("scenarios/bad") {
  TEST_CASE("each malformed file is refused at its place with a message saying what was expected") {
    for (const BadCase& c : kCases) {
      SUBCASE(std::string(c.file).c_str()) {
        check_refused(bad_path(c.file), c.line, c.column, c.fragment);
      }
    }
  }

  TEST_CASE("the table and the corpus name the same files") {
    std::set<std::string> in_table;
    for (const BadCase& c : kCases) {
      CHECK_MESSAGE(in_table.insert(std::string(c.file)).second, "listed twice: " << c.file);
    }
    std::set<std::string> on_disk;
    for (const auto& path : toml_files(DMCHECK_SOURCE_DIR "/tests/scenarios/bad")) {
      on_disk.insert(path.stem().string());
    }
    CHECK(on_disk.size() >= 20);
    CHECK(in_table == on_disk);
  }

  TEST_CASE("a missing file is bad input, not a crash") {
    auto loaded = scenarios::load_scenario(bad_path("no-such-file"));
    REQUIRE(!loaded.has_value());
    CHECK(loaded.error().kind == ErrorKind::bad_input);
  }
}

TEST_SUITE("scenarios/library") {
  TEST_CASE("every file of the scenario library loads") {
    const auto files = toml_files(DMCHECK_SOURCE_DIR "/scenarios");
    CHECK(files.size() >= 25);
    for (const auto& path : files) {
      SUBCASE(path.filename().string().c_str()) {
        auto loaded = scenarios::load_scenario(path.string());
        REQUIRE_MESSAGE(loaded.has_value(), (loaded ? "" : loaded.error().describe()));
        CHECK_MESSAGE(!loaded->description.empty(), path.filename().string()
                                                        << " has no description");
        const bool has_goal = std::any_of(
            loaded->expectations.begin(), loaded->expectations.end(),
            [](const auto& e) { return e.verdict == dmcheck::checker::Verdict::reached; });
        CHECK(has_goal);
      }
    }
  }
}
