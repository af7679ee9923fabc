#include "conformance/fixtures.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "conformance/words.h"

namespace dmcheck::conformance {

using model::TargetKind;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxDisks = 16;  ///< UML's ubd limit
constexpr std::uint64_t kMetadataBytes = 1 << 20;
constexpr std::uint64_t kVerityBlocksPerUnit = kSectorsPerUnit * 512 / 4096;

Error fixture_error(std::string message) {
  return Error{ErrorKind::system, std::move(message), {}};
}

int disk_index(const model::Config& config, const std::string& name) {
  for (std::size_t i = 0; i < config.disks.size(); ++i) {
    if (config.disks[i].name == name) {
      return static_cast<int>(i);
    }
  }
  return -1;
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

/// Runs veritysetup format and returns the root hash it printed.
tl::expected<std::string, Error> verity_format(const std::string& data, const std::string& hash,
                                               std::uint64_t blocks, std::uint8_t salt) {
  // cryptsetup-bin installs it under /usr/sbin, which a non-root PATH may lack.
  const char* tool =
      ::access("/usr/sbin/veritysetup", X_OK) == 0 ? "/usr/sbin/veritysetup" : "veritysetup";
  const std::string command = fmt::format(
      "{} format '{}' '{}' --no-superblock --hash=sha256 --data-block-size=4096 "
      "--hash-block-size=4096 --data-blocks={} --salt={:02x} 2>&1",
      tool, data, hash, blocks, salt);
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return tl::unexpected(fixture_error("cannot run veritysetup"));
  }
  std::string output;
  char buffer[256];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    output += buffer;
  }
  const int status = ::pclose(pipe);
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("Root hash:")) {
      std::istringstream words(line.substr(10));
      std::string root;
      words >> root;
      return root;
    }
  }
  return tl::unexpected(fixture_error(fmt::format(
      "veritysetup format failed (status {}; is cryptsetup-bin installed? scripts/setup "
      "installs it):\n{}",
      status, output)));
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

tl::expected<Fixtures, Error> Fixtures::make(const model::Config& config, const std::string& dir) {
  Fixtures f;
  f.config_ = config;
  auto add_file = [&](const std::string& stem, std::uint64_t bytes,
                      char fill) -> tl::expected<std::size_t, Error> {
    const std::string path = fmt::format("{}/{}.img", dir, stem);
    if (!write_file(path, bytes, fill)) {
      return tl::unexpected(fixture_error("cannot write " + path));
    }
    f.files_.push_back(path);
    return f.files_.size() - 1;
  };
  for (std::size_t i = 0; i < config.disks.size(); ++i) {
    const std::string path = fmt::format("{}/disk{}-{}.img", dir, i, config.disks[i].name);
    if (!write_file(path, config.disks[i].size, [i](std::uint64_t u) { return pattern(i, u); })) {
      return tl::unexpected(fixture_error("cannot write " + path));
    }
    f.files_.push_back(path);
  }
  for (const model::TableDef& table : config.tables) {
    for (const model::Target& t : table.targets) {
      const int disk = disk_index(config, t.onto);
      if (disk < 0) {
        continue;
      }
      const auto d = static_cast<std::size_t>(disk);
      if (t.kind == TargetKind::thin_pool && !f.metadata_disk_.contains(d)) {
        const auto added = add_file(fmt::format("thin-metadata{}", d), kMetadataBytes, '\0');
        if (!added) {
          return tl::unexpected(added.error());
        }
        f.metadata_disk_[d] = *added;
        f.zero_.push_back(guest_disk(*added));
      }
      const auto key = std::make_tuple(d, t.length, t.root_hash);
      if (t.kind == TargetKind::verity && !f.verity_.contains(key)) {
        const std::string stem = fmt::format("verity-hash{}-{}-{}", d, t.length, t.root_hash);
        const auto added = add_file(stem, 0, '\0');
        if (!added) {
          return tl::unexpected(added.error());
        }
        // Each root hash id gets its own salt, so distinct ids are distinct hash trees.
        const auto root = verity_format(f.files_[d], f.files_[*added],
                                        t.length * kVerityBlocksPerUnit, t.root_hash);
        if (!root) {
          return tl::unexpected(root.error());
        }
        f.verity_[key] = {*added, *root};
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

json Fixtures::fill_on_reset() const {
  json disks = json::array();
  for (std::size_t i = 0; i < config_.disks.size(); ++i) {
    std::string units;
    for (std::size_t u = 0; u < config_.disks[i].size; ++u) {
      units += pattern(i, u);
    }
    disks.push_back(
        {{"path", guest_disk(i)}, {"unit_bytes", kSectorsPerUnit * 512}, {"patterns", units}});
  }
  return disks;
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
  const int disk = disk_index(config_, t.onto);
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
      std::string used = root;
      if (!t.hash_matches) {
        used[0] = used[0] == '0' ? '1' : '0';
      }
      return {type,
              fmt::format("1 {} {} 4096 4096 {} 0 sha256 {} {:02x}", below, guest_disk(hash_disk),
                          t.length * kVerityBlocksPerUnit, used, t.root_hash)};
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
