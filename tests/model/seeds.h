#pragma once
/// The two seed threads as configurations, shared by the verdict-table tests.

#include "tests/model/fixtures.h"

namespace dmcheck::model::testing {

/// Seed 000, the one-shot encrypted swap: the owner creates the swap device, opens it once
/// (swapon) and asks for removal on last close in the way its variant offers; at the end it
/// either just closes, or (as a holder may) opens it again before closing both. A second
/// process and the udev-like prober may open the device at any time.
inline Config seed000(const std::string& variant) {
  Config c = base_config(variant);
  c.actors.prober = true;
  std::vector<std::string> owner;
  if (variant.find("create-open-limit") != std::string::npos) {
    owner = {"create swap --table crypt --open-limit 1", "open swap", "remove swap --deferred"};
  } else if (variant.find("open-limit-ioctl") != std::string::npos) {
    owner = {"create swap --table crypt", "set_open_limit swap 1", "open swap",
             "remove swap --deferred"};
  } else if (variant.find("no-open-flag") != std::string::npos) {
    owner = {"create swap --table crypt", "open swap", "remove swap --deferred --no-open"};
  } else {
    owner = {"create swap --table crypt", "open swap", "remove swap --deferred"};
  }
  owner.push_back("choose { close swap | open swap ; close swap ; close swap }");
  c.processes = {process("owner", owner), process("other", {"open swap", "close swap"})};
  c.properties = {"one-shot-device", "no-open-after-no-open-mark", "holder-can-reopen",
                  "no-open-flag-implies-deferred"};
  return c;
}

/// The seed-002 situations: what happens to a verity device `v` (root hash 1, live) when a
/// reload to root hash 2 meets a failure, or when it is reloaded with an `error` table.
/// `refused`: another security module refuses one of verity's calls into them, which fails the
/// hook where the variant runs it (preresume, or finalize inside the swap under finalize-hook).
enum class Seed002 { refused, failed_swap, alloc_failure, error_table };

/// The situation's label in `variant`: the refusal fails a preresume or, under finalize-hook,
/// a finalize.
inline std::string to_string(Seed002 s, const std::string& variant) {
  switch (s) {
    case Seed002::refused:
      return variant.find("finalize-hook") != std::string::npos ? "failed finalize"
                                                                : "failed preresume";
    case Seed002::failed_swap:
      return "failed swap";
    case Seed002::alloc_failure:
      return "allocation failure";
    case Seed002::error_table:
      return "swap to error";
  }
  return "?";
}

/// The owner reloads and resumes, and resumes again to recover after a failure.
inline Config seed002(const std::string& variant, Seed002 situation) {
  Config c = base_config(variant);
  c.devices = {{"v", "", "ver1", true, 0, 0, "", false}};
  switch (situation) {
    case Seed002::refused:
      c.failures.integrity_refused = true;
      break;
    case Seed002::failed_swap:
      c.failures.swap_size = true;
      break;
    case Seed002::alloc_failure:
      c.failures.integrity_alloc = true;
      break;
    case Seed002::error_table:
      break;
  }
  const std::string table = situation == Seed002::error_table ? "err" : "ver2 --readonly";
  c.processes = {process("owner", {"load v " + table, "resume v", "resume v"})};
  c.properties = {"integrity-matches-live-table", "integrity-after-failed-resume",
                  "failed-resume-leaves-suspended"};
  return c;
}

}  // namespace dmcheck::model::testing
