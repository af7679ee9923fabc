#pragma once
/// A temporary directory under $TMPDIR (or /tmp) that is removed with everything in it when its
/// owner goes away, on every path out: a return, an error, an exception, an interrupted run.

#include <filesystem>
#include <string>
#include <tl/expected.hpp>

#include "checker/error.h"

namespace dmcheck::conformance {

class TempDir {
 public:
  /// Makes "$TMPDIR/PREFIX-XXXXXX".
  static tl::expected<TempDir, Error> make(const std::string& prefix);

  TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempDir& operator=(TempDir&&) = delete;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  explicit TempDir(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

}  // namespace dmcheck::conformance
