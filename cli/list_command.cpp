#include <fmt/format.h>

#include "checker/result.h"
#include "cli/scenario_commands.h"
#include "model/catalogue.h"
#include "scenarios/coverage.h"

namespace dmcheck::cli {

namespace {

/// The catalogue, each property with its reading, its definition (its text in the property
/// language, or what the language lacks where code defines it) and the variants it applies to.
void print_properties() {
  fmt::print("\n\nProperties:\n");
  for (const auto& entry : model::catalogue()) {
    fmt::print("  {:<40} {:<9} {}\n", entry.name, checker::to_string(entry.kind), entry.meaning);
    if (!entry.reading.empty()) {
      fmt::print("  {:<40} {:<9} reading: {}\n", "", "", entry.reading);
    }
    if (!entry.text.empty()) {
      fmt::print("  {:<40} {:<9} {}: {}\n", "", "", checker::to_string(entry.kind), entry.text);
    } else {
      fmt::print("  {:<40} {:<9} defined in code: needs {}\n", "", "", entry.needs);
    }
    if (!entry.applies_to.empty()) {
      fmt::print("  {:<40} {:<9} applies to: {}\n", "", "", entry.applies_to);
    }
    if (const auto premise = model::catalogue_premise(entry.name); !premise.meaning.empty()) {
      fmt::print("  {:<40} {:<9} vacuous unless: {} ({})\n", "", "", premise.meaning, premise.text);
    }
  }
  fmt::print("  {:<40} {:<9} {}\n", checker::kDeadlockProperty, "always",
             "every state without successors is a proper end (all processes done)");
}

int run_list() {
  fmt::print("Variants: a base kernel, optionally followed by +patch for each patch\n");
  fmt::print("  6.1                Debian's User-Mode Linux kernel 6.1.176, with its backports\n");
  fmt::print(
      "  6.12               adds verity's preresume integrity hook and the internal-resume "
      "change\n");
  fmt::print(
      "  +no-open-flag      remove --deferred --no-open: later opens fail with ENXIO (seed 000)\n");
  fmt::print(
      "  +open-limit-ioctl  set_open_limit NAME N: opens beyond N fail with EBUSY (seed 000)\n");
  fmt::print("  +create-open-limit create --open-limit N, enforced at open (seed 000)\n");
  fmt::print(
      "  +finalize-hook     verity metadata attached inside the table swap (seed 002 v18)\n\n");
  fmt::print("Steps (dmsetup's words):\n");
  static const char* const steps[] = {
      "create NAME (--table T | --notable) [--uuid U] [--readonly] [--open-limit N]",
      "load NAME T [--readonly]",
      "clear NAME",
      "suspend NAME [--noflush] [--nolockfs]",
      "resume NAME [--noflush] [--nolockfs]",
      "remove NAME [--deferred] [--no-open]",
      "remove_all [--deferred] [--no-open]",
      "message NAME 0 @cancel_deferred_remove",
      "message NAME 0 key (set|wipe)",
      "rename NAME NEW",
      "info NAME",
      "open NAME",
      "close NAME",
      "read NAME",
      "set_open_limit NAME N",
      "choose { CALL ; CALL | CALL }    one alternative, chosen nondeterministically",
      "repeat N { CALL ; CALL }         the body 1 to N times",
      "if ok { CALL ; CALL } [else { CALL ; CALL }]   by the previous call's result",
      "on ERRNO { CALL ; CALL }         only after the previous call failed with ERRNO",
      "retry N [on ERRNO] { CALL ; CALL }   again while its last call fails, N attempts at most",
      "remove --retry NAME              libdevmapper: retry 25 on EBUSY { remove NAME }",
      "remove --force NAME              dmsetup: error table, resume, remove (docs/scenarios.md)",
  };
  for (const char* step : steps) {
    fmt::print("  {}\n", step);
  }
  fmt::print("\nCoverage units (dmcheck ci requires each to fire):\n ");
  for (const auto& unit : scenarios::all_coverage_units()) {
    fmt::print(" [{}]", unit);
  }
  print_properties();
  return 0;
}

}  // namespace

void add_list_command(CLI::App& app, int& exit_code) {
  CLI::App* cmd =
      app.add_subcommand("list", "List variants, steps with their flags, and properties");
  cmd->footer("Example:\n  dmcheck list");
  cmd->callback([&exit_code] { exit_code = run_list(); });
}

}  // namespace dmcheck::cli
