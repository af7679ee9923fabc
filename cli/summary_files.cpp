#include "cli/summary_files.h"

#include <fmt/format.h>

#include <utility>

#include "cli/exit_codes.h"
#include "cli/output_files.h"
#include "reports/junit.h"
#include "reports/markdown.h"

namespace dmcheck::cli {

void SummaryFiles::declare(CLI::App& command) {
  command.add_option("--junit", junit, "Write JUnit XML here");
  command.add_option("--markdown", markdown, "Write a Markdown summary here");
}

tl::expected<void, std::string> SummaryFiles::check(const std::vector<std::string>& inputs) const {
  const RunInputs read(inputs);
  for (const auto& [option, path] :
       {std::pair{"--junit", junit}, std::pair{"--markdown", markdown}}) {
    if (!path.empty()) {
      if (auto ok = check_output_file(option, path, read); !ok) {
        return ok;
      }
    }
  }
  if (!junit.empty() && !markdown.empty() && RunInputs({junit}).overwritten_by(markdown)) {
    return tl::unexpected(fmt::format("--junit and --markdown both name {}", junit));
  }
  return {};
}

int SummaryFiles::write(const reports::LibraryRun& run) const {
  int status = kAsExpected;
  for (const auto& [path, text] :
       {std::pair{junit, junit.empty() ? "" : reports::render_junit(run)},
        std::pair{markdown, markdown.empty() ? "" : reports::render_markdown(run)}}) {
    if (!path.empty()) {
      if (auto written = write_text_file(path, text); !written) {
        fmt::print(stderr, "dmcheck: {}\n", written.error());
        status = kBadInput;
      }
    }
  }
  return status;
}

}  // namespace dmcheck::cli
