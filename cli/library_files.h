#pragma once
/// The scenario files of a folder that `dmcheck ci` runs: every *.toml in it and in its
/// subfolders, in sorted path order, each named by its path below the folder.

#include <string>
#include <tl/expected.hpp>
#include <vector>

namespace dmcheck::cli {

/// One *.toml under the folder given to ci.
struct LibraryFile {
  std::string path;  ///< as found: the folder given, then the path below it
  /// The path below the folder, without ".toml" ("races/open-remove"); a file directly in the
  /// folder is named by its stem alone, so a flat library keeps its names.
  std::string name;
  bool nested = false;  ///< in a subfolder rather than directly in the folder given
};

/// The *.toml files under `dir`, recursively, sorted by their path below it. An entry that cannot
/// be told apart (a loop of symbolic links, a broken one named *.toml), a *.toml that is not a
/// regular file, a folder that cannot be read, and a folder reached twice (a symbolic link back
/// into the tree) are refused rather than skipped: the library would silently shrink or run
/// twice. No *.toml at all is refused too.
tl::expected<std::vector<LibraryFile>, std::string> list_library(const std::string& dir);

}  // namespace dmcheck::cli
