#include "conformance/trace.h"

#include "reports/json_in.h"

namespace dmcheck::conformance {

using nlohmann::json;

json to_json(const Trace& trace) {
  json out = {{"schema", kTraceSchema}, {"name", trace.name}, {"calls", trace.calls}};
  out["scenario"] = trace.scenario.empty() ? json(nullptr) : json(trace.scenario);
  if (!trace.kernel_version.empty()) {
    out["kernel_version"] = trace.kernel_version;
  }
  return out;
}

tl::expected<Trace, Error> trace_from_json(const json& in, const std::string& file) {
  return reports::read_checked(file, [&] {
    const reports::JsonIn root(in);
    root["schema"].one_of({kTraceSchema});
    Trace trace;
    trace.name = root.optional("name") ? root["name"].string() : "trace";
    trace.calls = root["calls"].strings();
    if (const auto scenario = root.optional("scenario")) {
      trace.scenario = scenario->string();
    }
    if (const auto version = root.optional("kernel_version")) {
      trace.kernel_version = version->string();
    }
    // "divergence" is written by conform for the reader's eyes and not read back.
    return trace;
  });
}

}  // namespace dmcheck::conformance
