#include "conformance/trace.h"

namespace dmcheck::conformance {

using nlohmann::json;

json to_json(const Trace& trace) {
  json out = {{"schema", "dmcheck-trace/1"}, {"name", trace.name}, {"calls", trace.calls}};
  out["scenario"] = trace.scenario.empty() ? json(nullptr) : json(trace.scenario);
  return out;
}

tl::expected<Trace, Error> trace_from_json(const json& in, const std::string& file) {
  auto bad = [&](const std::string& what) {
    return tl::unexpected(Error{ErrorKind::bad_input, what, SourceLocation{file, 0, 0}});
  };
  if (!in.is_object() || in.value("schema", "") != "dmcheck-trace/1") {
    return bad("not a trace: expected an object with \"schema\": \"dmcheck-trace/1\"");
  }
  if (!in.contains("calls") || !in["calls"].is_array()) {
    return bad("\"calls\" must be an array of calls in dmsetup's words");
  }
  Trace trace;
  trace.name = in.value("name", "trace");
  for (const json& call : in["calls"]) {
    if (!call.is_string()) {
      return bad("every entry of \"calls\" must be a string");
    }
    trace.calls.push_back(call.get<std::string>());
  }
  if (in.contains("scenario") && in["scenario"].is_string()) {
    trace.scenario = in["scenario"].get<std::string>();
  }
  return trace;
}

}  // namespace dmcheck::conformance
