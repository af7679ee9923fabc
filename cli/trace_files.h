#pragma once
/// The trace files of `dmcheck check --trace-dir`: one JSON report per counterexample or
/// witness, named `<prefix>.<property>.json`. The prefix is the scenario file's stem; when
/// several files of one run share a stem, each of them gets its position on the command line
/// too (`x-1`, `x-2`), so no scenario's traces overwrite another's (docs/reports.md).

#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "cli/output_files.h"
#include "reports/report.h"

namespace dmcheck::cli {

/// The prefix of each file's traces, in the order of `files`; all different.
std::vector<std::string> trace_prefixes(const std::vector<std::string>& files);

/// Creates `dir` if needed and refuses it when a trace could overwrite an input of the run
/// (an input inside it named like a trace of one of `prefixes`). The error is a message.
tl::expected<void, std::string> prepare_trace_dir(const std::string& dir,
                                                  const std::vector<std::string>& prefixes,
                                                  const RunInputs& inputs);

/// Writes a file per trace in `report`: the report narrowed to that property, readable by
/// reports::report_from_json. Stops at the first failure, whose message names the file.
tl::expected<void, std::string> write_traces(const reports::Report& report, const std::string& dir,
                                             const std::string& prefix);

}  // namespace dmcheck::cli
