#pragma once
/// Tables as the configuration defines them: a table is a list of targets, referenced by name.
/// The state refers to a table by its index in Config::tables, so a table is immutable data;
/// what changes at run time (a crypt key, the device it was loaded onto) lives in the state.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dmcheck::model {

/// The target types the model knows. All of them are bio-based, so every table has the same md
/// type and the load rule "a table may not change the device's type" (EINVAL; request-based
/// multipath, DAX-capable tables) never applies; only the immutable-target rule does. A
/// request-based target would be needed to make that rule observable.
enum class TargetKind : std::uint8_t {
  linear,     ///< onto a backing disk, or onto another DM device (which it then holds open)
  zero,       ///< reads zeros
  error,      ///< every I/O fails; the wildcard that may replace an immutable type
  verity,     ///< needs a read-only table; immutable; singleton; carries a root hash
  crypt,      ///< preresume fails with EAGAIN while its key is wiped
  thin_pool,  ///< preresume fails with EINVAL when shorter than the pool; immutable; singleton
  generic,    ///< a target whose preresume may fail (when Failures allow), for failure paths
  thin,       ///< a thin device of the pool on the device `onto`; its blocks come from the pool
};

/// "linear", "thin-pool", ...
std::string_view to_string(TargetKind kind);

/// Targets whose type a device keeps once bound (only another of the same type or `error`).
bool is_immutable(TargetKind kind);
/// Targets that must be alone in their table.
bool is_singleton(TargetKind kind);

/// One target of a table.
struct Target {
  TargetKind kind = TargetKind::linear;
  /// The device underneath: the name of a Config::disks entry, or of a DM device (linear only).
  /// Empty for zero and error.
  std::string onto;
  /// Length in the model's units. Linear onto a disk longer than the disk fails the size check
  /// (at load for a device's first table, at the swap for later ones); a thin-pool shorter than
  /// its pool fails preresume.
  std::uint8_t length = 1;
  /// linear: where on the device below the target starts, in the model's units. The size check
  /// takes offset + length; a read or write of the target's unit k reaches unit offset + k.
  std::uint8_t offset = 0;
  std::uint8_t root_hash = 1;  ///< verity: which root hash (a small id, never 0)
  bool signature = false;      ///< verity: a valid root-hash signature was given
  bool hash_matches = true;    ///< verity: false means reads fail with EIO (corruption)
  bool key_set = true;         ///< crypt: the key is set (false: wiped)
  std::uint32_t thin_id = 0;   ///< thin: the device id in the pool's metadata
};

/// The largest thin device id the kernel takes (MAX_DEV_ID, 24 bits).
inline constexpr std::uint32_t kMaxThinId = (1U << 24) - 1;

/// A named table definition.
struct TableDef {
  std::string name;
  std::vector<Target> targets;
};

/// A backing block device (a loop device or UML ubd disk in a real run).
struct Disk {
  std::string name;
  std::uint8_t size = 1;
};

}  // namespace dmcheck::model
