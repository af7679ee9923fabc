#pragma once
/// The JSON form of reports (schema "dmcheck-report/1", documented in docs/reports.md): written
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

/// Reads one report back, checking every field; errors name `file` and the JSON path of what is
/// wrong, `path` being where `json` sits in its document ("$", "$.runs[2]").
tl::expected<Report, Error> report_from_json(const nlohmann::json& json, const std::string& file,
                                             const std::string& path = "$");

}  // namespace dmcheck::reports
