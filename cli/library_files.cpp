#include "cli/library_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

namespace dmcheck::cli {

namespace {

namespace fs = std::filesystem;

/// Walks one folder, then each of its subfolders; `seen` holds the folders read so far, by their
/// canonical path, so a symbolic link back into the tree is refused instead of followed forever.
class Walk {
 public:
  tl::expected<void, std::string> folder(const fs::path& dir, const fs::path& below) {
    std::error_code ec;
    const fs::path canonical = fs::canonical(dir, ec);
    if (ec) {
      return tl::unexpected(fmt::format("{}: {}", dir.string(), ec.message()));
    }
    if (!seen_.insert(canonical).second) {
      return tl::unexpected(fmt::format(
          "{}: this folder is reached twice (a symbolic link leads back into the folders ci "
          "reads); its scenarios would run twice",
          dir.string()));
    }
    fs::directory_iterator it(dir, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
      if (auto ok = entry(it->path(), below / it->path().filename()); !ok) {
        return ok;
      }
    }
    if (ec) {
      return tl::unexpected(fmt::format("{}: {}", dir.string(), ec.message()));
    }
    return {};
  }

  std::vector<LibraryFile> take() { return std::move(files_); }

 private:
  tl::expected<void, std::string> entry(const fs::path& path, const fs::path& below) {
    const bool toml = path.extension() == ".toml";
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec && (toml || ec == std::errc::too_many_symbolic_link_levels)) {
      return tl::unexpected(
          fmt::format("{}: cannot tell what it is: {}", path.string(), ec.message()));
    }
    if (ec) {
      return {};  // a broken symbolic link not named *.toml is no scenario
    }
    if (toml && !fs::is_regular_file(status)) {
      return tl::unexpected(fmt::format("{}: not a regular file", path.string()));
    }
    if (toml) {
      const fs::path name = below.parent_path() / below.stem();
      files_.push_back({path.string(), name.generic_string(), below.has_parent_path()});
      return {};
    }
    if (fs::is_directory(status)) {
      return folder(path, below);
    }
    return {};
  }

  std::set<fs::path> seen_;
  std::vector<LibraryFile> files_;
};

}  // namespace

tl::expected<std::vector<LibraryFile>, std::string> list_library(const std::string& dir) {
  Walk walk;
  if (auto ok = walk.folder(dir, {}); !ok) {
    return tl::unexpected(ok.error());
  }
  std::vector<LibraryFile> files = walk.take();
  if (files.empty()) {
    return tl::unexpected(
        fmt::format("{}: no scenario files (*.toml) in it or its subfolders", dir));
  }
  // Every path starts with `dir`, so this is the order of the paths below it.
  std::sort(files.begin(), files.end(),
            [](const LibraryFile& a, const LibraryFile& b) { return a.path < b.path; });
  return files;
}

}  // namespace dmcheck::cli
