#pragma once
/// The real devices behind a model configuration: one User-Mode Linux disk per model disk, each
/// filled with its own byte ('A', 'B', ...) so a read tells which disk served it; a verity hash
/// disk per verity target (built by veritysetup on the host); a metadata disk per thin-pool data
/// disk, zeroed before every trace. Also each table's target lines and the signature by which a
/// live table is recognised in the kernel's reply.
///
/// A disk under a verity target holds, in its first unit, a small ext4 filesystem of its own
/// (the probe filesystem: one file, `probe`) instead of its pattern, so that the agent can mount
/// the verity device and ask IPE which root hash it holds for it (conformance/integrity_probe.h).
/// Its bytes are recognised by their digest and read back as the unit's pattern letter.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <tl/expected.hpp>
#include <tuple>
#include <utility>
#include <vector>

#include "checker/error.h"
#include "model/config.h"
#include "model/state.h"

namespace dmcheck::conformance {

/// One model length unit in 512-byte sectors: a thin-pool's smallest block (64 KiB).
inline constexpr std::uint64_t kSectorsPerUnit = 128;

class Fixtures {
 public:
  /// Writes the disk images for `config` into `dir` (which must exist).
  static tl::expected<Fixtures, Error> make(const model::Config& config, const std::string& dir);

  /// Host image files, in the order the guest sees them (ubda, ubdb, ...).
  [[nodiscard]] const std::vector<std::string>& files() const { return files_; }
  /// Guest disks to zero before each trace (thin-pool metadata).
  [[nodiscard]] const std::vector<std::string>& zero_on_reset() const { return zero_; }
  /// The byte unit `unit` of model disk `disk` is filled with: 'A' + disk for unit 0, 8 letters
  /// on per unit, so every unit the model tracks is told apart; a digit past those units.
  /// Written data is lower case, so nothing a write leaves looks like a disk's own data.
  [[nodiscard]] static char pattern(std::size_t disk, std::size_t unit) {
    return unit < model::kMaxDiskUnits ? static_cast<char>('A' + disk + 8 * unit)
                                       : static_cast<char>('0' + disk);
  }
  /// The model disks as the agent refills them after a trace that wrote: guest path, unit
  /// size in bytes, and each unit's pattern.
  [[nodiscard]] nlohmann::json fill_on_reset() const;
  /// Units holding an image (a probe filesystem) rather than one repeated byte: {"digest"
  /// (unit_digest, as a decimal string), "pattern"} for the agent's reads.
  [[nodiscard]] nlohmann::json known_units() const;
  /// The root hash (hex) of every verity target the fixtures built, and the model's root hash id
  /// it stands for: what an integrity probe reports is read through this.
  [[nodiscard]] const std::map<std::string, std::uint8_t>& root_hashes() const {
    return root_hashes_;
  }
  /// Whether model disk `disk` holds a probe filesystem in its first unit.
  [[nodiscard]] bool has_probe_filesystem(std::size_t disk) const { return images_.contains(disk); }

  /// The target lines of `table` as the agent loads them ("dm:NAME" for a device-mapper device
  /// below, which the agent resolves to its number at load time).
  [[nodiscard]] nlohmann::json targets(const std::string& table) const;
  /// The same table as it reads back once live, with a DM device below called `lower_name`
  /// (the name may have changed since the load): type, length and the devices and root hashes
  /// among the parameters, which is what tells tables apart whatever the target's formatting.
  [[nodiscard]] std::string signature(const std::string& table,
                                      const std::string& lower_name) const;
  /// The signature of a live table the agent reported.
  [[nodiscard]] static std::string signature_of(const nlohmann::json& live);

 private:
  static std::string guest_disk(std::size_t index);
  /// A zeroed image file of `bytes` bytes in `dir`; its index among the guest's disks.
  tl::expected<std::size_t, Error> add_file(const std::string& dir, const std::string& stem,
                                            std::uint64_t bytes);
  /// The disks target `t` needs besides its own: a thin-pool's metadata, verity's hash tree.
  tl::expected<void, Error> add_target_disks(const model::Target& t, const std::string& dir);
  /// Writes a probe filesystem into the first unit of each disk under a verity target.
  tl::expected<void, Error> add_probe_filesystems(const std::string& dir);
  /// One target's type and parameters as the agent loads them, on the guest's disks.
  [[nodiscard]] std::pair<std::string, std::string> type_and_params(const model::Target& t) const;

  model::Config config_;
  std::vector<std::string> files_;
  std::vector<std::string> zero_;
  std::map<std::size_t, std::size_t> metadata_disk_;  ///< data disk -> ubd index of its metadata
  std::map<std::size_t, std::string> images_;  ///< model disk -> its probe filesystem's image
  std::map<std::uint64_t, char> known_units_;  ///< image digest -> the unit's pattern letter
  std::map<std::string, std::uint8_t> root_hashes_;
  /// (data disk, length, root hash id) -> (ubd index of the hash disk, root hash hex)
  std::map<std::tuple<std::size_t, std::uint8_t, std::uint8_t>, std::pair<std::size_t, std::string>>
      verity_;
};

}  // namespace dmcheck::conformance
