#pragma once
/// The JSON form of reports (schema "dmcheck-report/2", documented in docs/reports.md): written
/// by `dmcheck check --format json` and for trace files, and read back (e.g. for replay).

#include <nlohmann/json.hpp>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "checker/error.h"
#include "reports/report.h"

namespace dmcheck::reports {

nlohmann::json to_json(const Report& report);
/// Several runs: {"schema": ..., "runs": [...]}.
nlohmann::json to_json(const std::vector<Report>& reports);

/// The text of a JSON document as dmcheck writes it: indented, ending in a newline. Bytes that
/// are not UTF-8 (e.g. from a file name) become U+FFFD instead of failing the whole output.
std::string json_text(const nlohmann::json& json);

/// Reads one report back, checking every field; errors name `file` and the JSON path of what is
/// wrong, `path` being where `json` sits in its document ("$", "$.runs[2]").
tl::expected<Report, Error> report_from_json(const nlohmann::json& json, const std::string& file,
                                             const std::string& path = "$");

}  // namespace dmcheck::reports
