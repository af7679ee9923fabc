#include "reports/json.h"

#include <fmt/format.h>

namespace dmcheck::reports {

using nlohmann::json;

namespace {

template <class Enum, std::size_t N>
std::optional<Enum> parse_enum(const std::string& text, const Enum (&values)[N]) {
  for (Enum v : values) {
    if (text == to_string(v)) {
      return v;
    }
  }
  return std::nullopt;
}

constexpr checker::Verdict kVerdicts[] = {checker::Verdict::holds, checker::Verdict::violated,
                                          checker::Verdict::reached, checker::Verdict::unreachable,
                                          checker::Verdict::unknown};
constexpr checker::StopReason kStops[] = {
    checker::StopReason::completed,       checker::StopReason::depth_bound,
    checker::StopReason::state_limit,     checker::StopReason::time_limit,
    checker::StopReason::memory_limit,    checker::StopReason::interrupted,
    checker::StopReason::first_violation, checker::StopReason::walks_done,
    checker::StopReason::out_of_memory};
constexpr checker::Strategy kStrategies[] = {checker::Strategy::bfs, checker::Strategy::dfs,
                                             checker::Strategy::random_walk};
constexpr checker::PropertyKind kKinds[] = {checker::PropertyKind::always,
                                            checker::PropertyKind::sometimes};

json stats_json(const checker::Stats& s) {
  return {{"states", s.states},
          {"transitions", s.transitions},
          {"max_depth", s.max_depth},
          {"seconds", s.seconds},
          {"states_per_second", s.states_per_second},
          {"bytes_per_state", s.bytes_per_state},
          {"peak_frontier", s.peak_frontier},
          {"peak_rss_bytes", s.peak_rss_bytes},
          {"collision_probability", s.collision_probability}};
}

}  // namespace

json to_json(const Report& r) {
  json properties = json::array();
  for (const auto& p : r.properties) {
    json entry = {
        {"name", p.name},
        {"kind", to_string(p.kind)},
        {"meaning", p.meaning},
        {"verdict", to_string(p.verdict)},
        {"expected", p.expected ? json(to_string(*p.expected)) : json(nullptr)},
        {"expected_shortest", p.expected_shortest ? json(*p.expected_shortest) : json(nullptr)},
        {"outcome", to_string(p.outcome())}};
    if (p.has_trace()) {
      json steps = json::array();
      for (const auto& step : p.trace) {
        steps.push_back({{"action", step.action},
                         {"successor", step.successor},
                         {"state", step.state},
                         {"changed", step.changed}});
      }
      entry["trace"] = {
          {"initial", p.trace_initial}, {"length", p.trace_length()}, {"steps", steps}};
    } else {
      entry["trace"] = nullptr;
    }
    properties.push_back(std::move(entry));
  }
  return {{"schema", kSchema},
          {"scenario", r.name},
          {"file", r.file},
          {"description", r.description},
          {"variant", r.variant},
          {"strategy", to_string(r.strategy)},
          {"stop", to_string(r.stop)},
          {"complete", r.stop == checker::StopReason::completed},
          {"outcome", to_string(r.outcome())},
          {"stats", stats_json(r.stats)},
          {"properties", properties}};
}

std::string json_text(const json& j) {
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

json to_json(const std::vector<Report>& reports) {
  json runs = json::array();
  for (const auto& r : reports) {
    runs.push_back(to_json(r));
  }
  return {{"schema", kSchema}, {"runs", runs}};
}

tl::expected<Report, Error> report_from_json(const json& j, const std::string& file) {
  const auto bad = [&](std::string message) {
    return tl::unexpected(Error{ErrorKind::bad_input, std::move(message), SourceLocation{file}});
  };
  try {
    if (j.value("schema", "") != kSchema) {
      return bad(fmt::format("not a dmcheck report: expected \"schema\": \"{}\"", kSchema));
    }
    Report r;
    r.name = j.at("scenario").get<std::string>();
    r.file = j.at("file").get<std::string>();
    r.description = j.value("description", "");
    r.variant = j.at("variant").get<std::string>();
    const auto strategy = parse_enum(j.at("strategy").get<std::string>(), kStrategies);
    const auto stop = parse_enum(j.at("stop").get<std::string>(), kStops);
    if (!strategy || !stop) {
      return bad("unknown strategy or stop reason");
    }
    r.strategy = *strategy;
    r.stop = *stop;
    const json& s = j.at("stats");
    r.stats.states = s.at("states");
    r.stats.transitions = s.at("transitions");
    r.stats.max_depth = s.at("max_depth");
    r.stats.seconds = s.at("seconds");
    r.stats.states_per_second = s.at("states_per_second");
    r.stats.bytes_per_state = s.at("bytes_per_state");
    r.stats.peak_frontier = s.at("peak_frontier");
    r.stats.peak_rss_bytes = s.at("peak_rss_bytes");
    r.stats.collision_probability = s.at("collision_probability");
    for (const json& p : j.at("properties")) {
      PropertyReport pr;
      pr.name = p.at("name").get<std::string>();
      pr.meaning = p.value("meaning", "");
      const auto kind = parse_enum(p.at("kind").get<std::string>(), kKinds);
      const auto verdict = parse_enum(p.at("verdict").get<std::string>(), kVerdicts);
      if (!kind || !verdict) {
        return bad(fmt::format("property '{}': unknown kind or verdict", pr.name));
      }
      pr.kind = *kind;
      pr.verdict = *verdict;
      if (!p.at("expected").is_null()) {
        pr.expected = parse_enum(p.at("expected").get<std::string>(), kVerdicts);
        if (!pr.expected) {
          return bad(fmt::format("property '{}': unknown expected verdict", pr.name));
        }
      }
      if (!p.at("expected_shortest").is_null()) {
        pr.expected_shortest = p.at("expected_shortest").get<std::size_t>();
      }
      if (!p.at("trace").is_null()) {
        pr.trace_initial = p.at("trace").at("initial");
        for (const json& step : p.at("trace").at("steps")) {
          pr.trace.push_back({step.at("action"), step.at("state"),
                              step.at("changed").get<std::vector<std::string>>(),
                              step.at("successor")});
        }
      }
      r.properties.push_back(std::move(pr));
    }
    return r;
  } catch (const json::exception& e) {
    return bad(std::string("malformed report: ") + e.what());
  }
}

}  // namespace dmcheck::reports
