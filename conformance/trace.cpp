#include "conformance/trace.h"

#include <fmt/format.h>

#include "reports/json_in.h"

namespace dmcheck::conformance {

using nlohmann::json;

std::string call_label(const Trace& trace, std::size_t index) {
  const std::string call = index < trace.calls.size() ? trace.calls[index] : "?";
  const Injection* injected = trace.injection(index);
  return injected == nullptr ? call
                             : fmt::format("{} [{} fails, allocation {}]", call, injected->failure,
                                           injected->allocation);
}

json to_json(const Trace& trace) {
  json out = {{"schema", kTraceSchema}, {"name", trace.name}, {"calls", trace.calls}};
  if (!trace.injections.empty()) {
    json inject = json::array();
    for (const Injection& i : trace.injections) {
      inject.push_back(
          {{"call", i.call + 1}, {"failure", i.failure}, {"allocation", i.allocation}});
    }
    out["inject"] = inject;
  }
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
    if (const auto inject = root.optional("inject")) {
      for (const reports::JsonIn& i : inject->items()) {
        Injection one;
        one.call = i["call"].whole(1, trace.calls.size()) - 1;
        one.failure = i["failure"].one_of({kIntegrityAllocFailure});
        one.allocation = static_cast<int>(i["allocation"].whole(1, kIntegrityAllocations));
        if (trace.injection(one.call) != nullptr ||
            (!trace.injections.empty() && trace.injections.back().call > one.call)) {
          i["call"].fail("must name a later call than the injection before it");
        }
        trace.injections.push_back(one);
      }
    }
    // "divergence" is written by conform for the reader's eyes and not read back.
    return trace;
  });
}

}  // namespace dmcheck::conformance
