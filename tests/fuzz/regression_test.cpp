// Inputs the fuzz targets found (tests/fuzz/regressions/TARGET/NAME.input): each goes through
// the same entry point as in its fuzz target and must come back as an answer, not a crash; the
// answer must hold NAME.expected, a fragment of the message (or "(accepted)": no error at all).

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bench/fuzzers/targets.h"

#ifndef DMCHECK_SOURCE_DIR
#error "DMCHECK_SOURCE_DIR must name the source tree (the test binary's compile definitions set it)"
#endif

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The fuzz targets' entry points, by the name of their directory.
const std::map<std::string, std::function<std::string(std::string_view)>>& entry_points() {
  static const std::map<std::string, std::function<std::string(std::string_view)>> kEntryPoints = {
      {"loader", dmcheck::fuzz::run_loader},
      {"step", dmcheck::fuzz::run_step},
      {"trace", dmcheck::fuzz::run_trace},
      {"report", dmcheck::fuzz::run_report},
  };
  return kEntryPoints;
}

/// Runs in the source tree, as bench/fuzz does: a report names its scenario relative to it.
class InSourceTree {
 public:
  InSourceTree() : before_(fs::current_path()) { fs::current_path(DMCHECK_SOURCE_DIR); }
  ~InSourceTree() { fs::current_path(before_); }
  InSourceTree(const InSourceTree&) = delete;
  InSourceTree& operator=(const InSourceTree&) = delete;

 private:
  fs::path before_;
};

}  // namespace

TEST_CASE("every input a fuzz target crashed on is now answered with its expected message") {
  const fs::path root = fs::path(DMCHECK_SOURCE_DIR) / "tests" / "fuzz" / "regressions";
  REQUIRE(fs::is_directory(root));
  std::vector<fs::path> inputs;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path().extension() == ".input") {
      inputs.push_back(entry.path());
    }
  }
  REQUIRE_FALSE(inputs.empty());
  std::sort(inputs.begin(), inputs.end());
  const InSourceTree here;
  for (const fs::path& input : inputs) {
    const std::string target = input.parent_path().filename().string();
    CAPTURE(input.string());
    const auto run = entry_points().find(target);
    REQUIRE_MESSAGE(run != entry_points().end(), "no fuzz target named ", target);
    fs::path expected_file = input;
    expected_file.replace_extension(".expected");
    REQUIRE_MESSAGE(fs::exists(expected_file), "missing ", expected_file.string());
    std::string expected = slurp(expected_file);
    while (!expected.empty() && expected.back() == '\n') {
      expected.pop_back();
    }
    const std::string said = run->second(slurp(input));
    if (expected == "(accepted)") {
      CHECK_MESSAGE(said.empty(), "refused: ", said);
    } else {
      CHECK_MESSAGE(said.find(expected) != std::string::npos, "expected \"", expected,
                    "\" in: ", said);
    }
  }
}
