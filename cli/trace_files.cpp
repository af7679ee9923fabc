#include "cli/trace_files.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <set>

#include "reports/json.h"

namespace dmcheck::cli {

namespace fs = std::filesystem;

std::vector<std::string> trace_prefixes(const std::vector<std::string>& files) {
  std::vector<std::string> prefixes;
  for (const auto& file : files) {
    prefixes.push_back(fs::path(file).stem().string());
  }
  // A name shared by several files gets each file's position; repeated in the unlikely case
  // that this makes it equal to another file's stem ("x-2").
  for (bool clash = true; clash;) {
    std::map<std::string, int> count;
    for (const auto& p : prefixes) {
      ++count[p];
    }
    clash = false;
    for (std::size_t i = 0; i < prefixes.size(); ++i) {
      if (count[prefixes[i]] > 1) {
        prefixes[i] += fmt::format("-{}", i + 1);
        clash = true;
      }
    }
  }
  return prefixes;
}

tl::expected<void, std::string> prepare_trace_dir(const std::string& dir,
                                                  const std::vector<std::string>& prefixes,
                                                  const RunInputs& inputs) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir, ec)) {
    return tl::unexpected(fmt::format("--trace-dir {}: cannot create the directory: {}", dir,
                                      ec ? ec.message() : "a file is in the way"));
  }
  const std::set<std::string> ours(prefixes.begin(), prefixes.end());
  for (const auto& input : inputs.inside(dir)) {
    // A trace is <prefix>.<property>.json; prefixes may contain dots, properties do not.
    const std::string stem = input.stem().string();
    const auto last = stem.rfind('.');
    if (input.extension() == ".json" && last != std::string::npos &&
        ours.contains(stem.substr(0, last))) {
      return tl::unexpected(fmt::format(
          "--trace-dir {}: a trace could overwrite {}, an input of this run; choose another "
          "directory",
          dir, input.string()));
    }
  }
  return {};
}

tl::expected<void, std::string> write_traces(const reports::Report& report, const std::string& dir,
                                             const std::string& prefix) {
  for (const auto& p : report.properties) {
    if (!p.has_trace()) {
      continue;
    }
    reports::Report one = report;
    one.properties = {p};
    const fs::path path = fs::path(dir) / fmt::format("{}.{}.json", prefix, p.name);
    auto written = write_text_file(path, reports::json_text(reports::to_json(one)));
    if (!written) {
      return written;
    }
  }
  return {};
}

}  // namespace dmcheck::cli
