#pragma once
/// A design variant as data: a base kernel plus a set of patches. Steps that a variant changes
/// branch on it; there is one model, never a fork per variant.

#include <cstdint>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "checker/error.h"

namespace dmcheck::model {

/// The kernel the variant starts from.
///
/// Internal resume (dm-semantics §4 "Internal suspend", §8(b)): base 6.1 models it as 6.1.0
/// released it — the targets' preresume and resume are not called, so postsuspend and resume do
/// not pair — and base 6.12 as 6.9+ does it (65e8fbde6452, CVE-2024-26880): preresume and
/// resume run, and a failed preresume leaves the device SUSPENDED (a "fake user suspend").
/// Debian's 6.1.176 carries that fix (backported to 6.1.y in 2024), so here, and only here,
/// base 6.1 is 6.1.0 rather than 6.1.176. Chosen because the issue defines the internal-resume
/// change as what 6.12 adds, so 6.1 against 6.12 shows it; and no replay can diverge on it, as
/// internal suspend needs a target of another device (thin-pool over its thins) that neither the
/// model's tables nor the conformance agent drive. Every other backport stays in base 6.1: the
/// do_resume fix (7a636b4f03af) that puts the table back after a failed implicit suspend is in
/// both bases.
enum class Base : std::uint8_t {
  v6_1,   ///< Debian's UML 6.1.176 with its stable backports, internal resume as in 6.1.0 (above)
  v6_12,  ///< adds verity's preresume integrity hook (IPE) and the internal-resume change
};

/// Patches, combinable with any base (bits of Variant::patches).
enum Patch : std::uint8_t {
  kNoOpenFlag = 1U << 0,       ///< seed 000: `remove --deferred --no-open`
  kOpenLimitIoctl = 1U << 1,   ///< seed 000 alternative: a new ioctl sets a maximum open count
  kCreateOpenLimit = 1U << 2,  ///< seed 000 alternative: the limit is given at create time
  kFinalizeHook = 1U << 3,     ///< seed 002 v18: verity metadata attached in the table swap
};

/// A base kernel and a set of patches, e.g. "6.12+finalize-hook".
struct Variant {
  Base base = Base::v6_1;
  std::uint8_t patches = 0;

  [[nodiscard]] bool has(Patch patch) const { return (patches & patch) != 0; }
  /// Whether some step attaches verity's integrity metadata to the block device.
  [[nodiscard]] bool has_integrity() const { return base == Base::v6_12 || has(kFinalizeHook); }
  /// Whether verity attaches the metadata at preresume (the merged 6.12 design).
  [[nodiscard]] bool integrity_at_preresume() const {
    return base == Base::v6_12 && !has(kFinalizeHook);
  }
  /// Whether internal resume runs the targets' preresume and resume (6.9+, CVE-2024-26880) and
  /// sets SUSPENDED when a preresume fails; see Base for why base 6.1 does not.
  [[nodiscard]] bool internal_resume_runs_preresume() const { return base == Base::v6_12; }
  /// Whether dm_resume refuses a device being freed (FREEING: EINVAL), as 6.12 and 6.1.192 do;
  /// Debian's 6.1.176, which base 6.1 follows, resumes it.
  [[nodiscard]] bool resume_refuses_freeing() const { return base == Base::v6_12; }
  /// Whether a table naming a device that does not exist fails ENOENT (6.12: dm_get_device
  /// passes on the path lookup's error) rather than ENODEV (6.1 answers ENODEV for any path it
  /// cannot resolve).
  [[nodiscard]] bool missing_device_is_enoent() const { return base == Base::v6_12; }
  /// Whether a target message to a device with no live table fails EINVAL ("the device has no
  /// table", as 6.12 answers) rather than succeeding without effect (as Debian's 6.1.176 does,
  /// observed by conformance).
  [[nodiscard]] bool message_needs_live_table() const { return base == Base::v6_12; }
  /// Whether a table naming the device it is loaded into is refused (EINVAL from dm_get_device,
  /// since 6.2: 077a4033541f). 6.1 accepts it: the table opens the device itself, which then
  /// pins itself (open count 1, remove EBUSY) until the table is cleared or replaced.
  [[nodiscard]] bool refuses_self_map() const { return base == Base::v6_12; }
  /// Whether an open-count limit exists (either seed-000 alternative).
  [[nodiscard]] bool has_open_limit() const {
    return has(kOpenLimitIoctl) || has(kCreateOpenLimit);
  }
  friend bool operator==(const Variant&, const Variant&) = default;
};

/// Parses "6.1", "6.12", "6.1+no-open-flag+finalize-hook"; names the unknown part on error.
tl::expected<Variant, Error> parse_variant(std::string_view text);

/// The canonical spelling: the base, then the patches in a fixed order.
std::string to_string(const Variant& variant);

}  // namespace dmcheck::model
