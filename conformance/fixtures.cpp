#include "conformance/fixtures.h"

#include <fmt/format.h>

#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include "conformance/fixture_tools.h"
#include "conformance/unit_digest.h"
#include "conformance/words.h"

namespace dmcheck::conformance {

using model::TargetKind;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxDisks = 16;  ///< UML's ubd limit
constexpr std::uint64_t kMetadataBytes = 1 << 20;
/// Verity's data blocks are 1 KiB: the device's logical block size follows them, and the probe
/// filesystem (1 KiB blocks, to fit a unit) can only be mounted on a device whose logical
/// blocks are no larger than its own.
constexpr std::uint64_t kVerityDataBlock = 1024;
constexpr std::uint64_t kVerityBlocksPerUnit = kSectorsPerUnit * 512 / kVerityDataBlock;

Error fixture_error(std::string message) {
  return Error{ErrorKind::system, std::move(message), {}};
}

/// A file of `units` units of kSectorsPerUnit sectors, unit u filled with fill(u).
template <typename Fill>
bool write_file(const std::string& path, std::uint64_t units, Fill fill) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for (std::uint64_t u = 0; u < units && out; ++u) {
    const std::string unit(kSectorsPerUnit * 512, fill(u));
    out.write(unit.data(), static_cast<std::streamsize>(unit.size()));
  }
  return static_cast<bool>(out);
}

bool write_file(const std::string& path, std::uint64_t bytes, char fill) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  const std::string chunk(1 << 16, fill);
  for (std::uint64_t done = 0; done < bytes && out; done += chunk.size()) {
    out.write(chunk.data(),
              static_cast<std::streamsize>(std::min<std::uint64_t>(chunk.size(), bytes - done)));
  }
  return static_cast<bool>(out);
}

/// The root hash a table with hash_matches = false gives: one digit changed.
std::string mismatched(std::string root) {
  root[0] = root[0] == '0' ? '1' : '0';
  return root;
}

bool is_device_word(const std::string& word) {
  return word.starts_with("/dev/") || word.starts_with("dm:");
}

bool is_digest(const std::string& word) {
  return word.size() == 64 && word.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

std::string Fixtures::guest_disk(std::size_t index) {
  return std::string("/dev/ubd") + static_cast<char>('a' + index);
}

tl::expected<std::size_t, Error> Fixtures::add_file(const std::string& dir, const std::string& stem,
                                                    std::uint64_t bytes) {
  const std::string path = fmt::format("{}/{}.img", dir, stem);
  if (!write_file(path, bytes, '\0')) {
    return tl::unexpected(fixture_error("cannot write " + path));
  }
  files_.push_back(path);
  return files_.size() - 1;
}

tl::expected<void, Error> Fixtures::add_target_disks(const model::Target& t,
                                                     const std::string& dir) {
  const int disk = config_.disk_index(t.onto);
  if (disk < 0) {
    return {};
  }
  const auto d = static_cast<std::size_t>(disk);
  if (t.kind == TargetKind::thin_pool && !metadata_disk_.contains(d)) {
    const auto added = add_file(dir, fmt::format("thin-metadata{}", d), kMetadataBytes);
    if (!added) {
      return tl::unexpected(added.error());
    }
    metadata_disk_[d] = *added;
    zero_.push_back(guest_disk(*added));
  }
  const auto key = std::make_tuple(d, t.length, t.root_hash);
  if (t.kind == TargetKind::verity && !verity_.contains(key)) {
    const auto added =
        add_file(dir, fmt::format("verity-hash{}-{}-{}", d, t.length, t.root_hash), 0);
    if (!added) {
      return tl::unexpected(added.error());
    }
    // Each root hash id gets its own salt, so distinct ids are distinct hash trees.
    const auto root = verity_format(files_[d], files_[*added], kVerityDataBlock,
                                    t.length * kVerityBlocksPerUnit, t.root_hash);
    if (!root) {
      return tl::unexpected(root.error());
    }
    verity_[key] = {*added, *root};
    // The model's root hash id stands for the hash a table gives, matching or not.
    root_hashes_[*root] = t.root_hash;
    root_hashes_[mismatched(*root)] = t.root_hash;
  }
  return {};
}

tl::expected<Fixtures, Error> Fixtures::make(const model::Config& config, const std::string& dir) {
  Fixtures f;
  f.config_ = config;
  for (std::size_t i = 0; i < config.disks.size(); ++i) {
    const std::string path = fmt::format("{}/disk{}-{}.img", dir, i, config.disks[i].name);
    if (!write_file(path, config.disks[i].size, [i](std::uint64_t u) { return pattern(i, u); })) {
      return tl::unexpected(fixture_error("cannot write " + path));
    }
    f.files_.push_back(path);
  }
  if (auto probes = f.add_probe_filesystems(dir); !probes) {
    return tl::unexpected(probes.error());
  }
  for (const model::TableDef& table : config.tables) {
    for (const model::Target& t : table.targets) {
      if (auto added = f.add_target_disks(t, dir); !added) {
        return tl::unexpected(added.error());
      }
    }
  }
  if (f.files_.size() > kMaxDisks) {
    return tl::unexpected(fixture_error(fmt::format(
        "the configuration needs {} disks (its disks, verity hash disks, thin-pool metadata); "
        "User-Mode Linux offers {}",
        f.files_.size(), kMaxDisks)));
  }
  return f;
}

tl::expected<void, Error> Fixtures::add_probe_filesystems(const std::string& dir) {
  std::set<std::size_t> under_verity;
  for (const model::TableDef& table : config_.tables) {
    for (const model::Target& t : table.targets) {
      if (const int disk = config_.disk_index(t.onto); disk >= 0 && t.kind == TargetKind::verity) {
        under_verity.insert(static_cast<std::size_t>(disk));
      }
    }
  }
  constexpr std::uint64_t kUnitBytes = kSectorsPerUnit * 512;
  for (const std::size_t d : under_verity) {
    const std::string image = fmt::format("{}/probe-fs{}.img", dir, d);
    const char letter = pattern(d, 0);
    auto made = make_probe_filesystem(image, kUnitBytes, fmt::format("dmcheck-{}", letter),
                                      fmt::format("{}/probe-root{}", dir, d));
    if (!made) {
      return made;
    }
    std::vector<unsigned char> bytes(kUnitBytes);
    std::ifstream in(image, std::ios::binary);
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    std::fstream disk(files_[d], std::ios::binary | std::ios::in | std::ios::out);
    disk.write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
    if (!in || !disk) {
      return tl::unexpected(fixture_error("cannot copy " + image + " into " + files_[d]));
    }
    images_[d] = image;
    known_units_[unit_digest(bytes.data(), bytes.size())] = letter;
  }
  return {};
}

json Fixtures::fill_on_reset() const {
  json disks = json::array();
  for (std::size_t i = 0; i < config_.disks.size(); ++i) {
    std::string units;
    for (std::size_t u = 0; u < config_.disks[i].size; ++u) {
      units += pattern(i, u);
    }
    json disk = {
        {"path", guest_disk(i)}, {"unit_bytes", kSectorsPerUnit * 512}, {"patterns", units}};
    if (const auto image = images_.find(i); image != images_.end()) {
      disk["first_unit_image"] = image->second;  // a host path: the guest's root is the host's
    }
    disks.push_back(disk);
  }
  return disks;
}

json Fixtures::known_units() const {
  json out = json::array();
  for (const auto& [digest, letter] : known_units_) {
    out.push_back({{"digest", std::to_string(digest)}, {"pattern", std::string(1, letter)}});
  }
  return out;
}

json Fixtures::targets(const std::string& table_name) const {
  json lines = json::array();
  const model::TableDef* table = nullptr;
  for (const model::TableDef& t : config_.tables) {
    if (t.name == table_name) {
      table = &t;
    }
  }
  if (table == nullptr) {
    return lines;
  }
  std::uint64_t start = 0;
  for (const model::Target& t : table->targets) {
    const std::uint64_t length = t.length * kSectorsPerUnit;
    const auto [type, params] = type_and_params(t);
    lines.push_back({{"start", start}, {"length", length}, {"type", type}, {"params", params}});
    start += length;
  }
  return lines;
}

std::pair<std::string, std::string> Fixtures::type_and_params(const model::Target& t) const {
  const int disk = config_.disk_index(t.onto);
  const std::string below = disk >= 0 ? guest_disk(static_cast<std::size_t>(disk)) : "dm:" + t.onto;
  std::string type(model::to_string(t.kind));
  switch (t.kind) {
    case TargetKind::linear:
      return {type, fmt::format("{} {}", below, t.offset * kSectorsPerUnit)};
    case TargetKind::zero:
    case TargetKind::error:
      return {type, ""};
    case TargetKind::verity: {
      const auto& [hash_disk, root] =
          verity_.at({static_cast<std::size_t>(disk), t.length, t.root_hash});
      // A wrong root hash is how a corrupt device looks: the load succeeds, reads fail.
      const std::string used = t.hash_matches ? root : mismatched(root);
      return {type,
              fmt::format("1 {} {} {} 4096 {} 0 sha256 {} {:02x}", below, guest_disk(hash_disk),
                          kVerityDataBlock, t.length * kVerityBlocksPerUnit, used, t.root_hash)};
    }
    case TargetKind::crypt:
      // The null cipher reads the disk's bytes back unchanged; its key is "-", which a
      // "key wipe" clears and "key set -" restores.
      return {type, fmt::format("cipher_null-ecb - 0 {} 0", below)};
    case TargetKind::thin_pool:
      // One block is one unit. A full pool fails writes at once (error_if_no_space) instead
      // of queueing them for a minute, as the model's ENOSPC says.
      return {type, fmt::format("{} {} {} 0 1 error_if_no_space",
                                guest_disk(metadata_disk_.at(static_cast<std::size_t>(disk))),
                                below, kSectorsPerUnit)};
    case TargetKind::thin:
      return {type, fmt::format("{} {}", below, t.thin_id)};
    case TargetKind::generic:
      // A target whose preresume may fail in the model; the real kernel's stand-in never
      // fails, which is the outcome a sequential prediction takes.
      if (disk >= 0) {
        return {"linear", below + " 0"};
      }
      return {"error", ""};
  }
  return {type, ""};
}

std::string Fixtures::signature(const std::string& table, const std::string& lower_name) const {
  json lines = targets(table);
  for (json& line : lines) {
    line["params"] = map_words(line["params"].get<std::string>(), [&](const std::string& word) {
      return word.starts_with("dm:") ? "dm:" + lower_name : word;
    });
  }
  return signature_of(lines);
}

std::string Fixtures::signature_of(const json& live) {
  std::string out;
  for (const json& line : live) {
    out += (out.empty() ? "" : "; ") + line.value("type", std::string()) + " " +
           std::to_string(line.value("length", std::uint64_t{0}));
    std::istringstream words(line.value("params", std::string()));
    const bool linear = line.value("type", std::string()) == "linear";
    for (std::string word, previous; words >> word; previous = word) {
      // A linear target's offset follows its device.
      if (is_device_word(word) || is_digest(word) || (linear && is_device_word(previous))) {
        out += " " + word;
      }
    }
  }
  return out.empty() ? "none" : out;
}

}  // namespace dmcheck::conformance
