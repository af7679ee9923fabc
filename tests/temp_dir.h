#pragma once
/// A directory of its own for a test (the product's conformance::TempDir), removed with
/// everything in it when the test ends.

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <utility>

#include "conformance/temp_dir.h"

namespace dmcheck::testing {

struct TempDir {
  conformance::TempDir owned = made();
  std::filesystem::path path = owned.path();

  [[nodiscard]] std::string file(const std::string& name) const { return (path / name).string(); }

 private:
  static conformance::TempDir made() {
    auto dir = conformance::TempDir::make("dmcheck-test");
    REQUIRE(dir);
    return std::move(*dir);
  }
};

}  // namespace dmcheck::testing
