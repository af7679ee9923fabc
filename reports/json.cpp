#include "reports/json.h"

#include <fmt/format.h>

#include <limits>

#include "reports/json_in.h"

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

constexpr checker::Verdict kVerdicts[] = {
    checker::Verdict::holds,       checker::Verdict::violated, checker::Verdict::reached,
    checker::Verdict::unreachable, checker::Verdict::unknown,  checker::Verdict::holds_vacuously};
constexpr checker::StopReason kStops[] = {
    checker::StopReason::completed,       checker::StopReason::depth_bound,
    checker::StopReason::state_limit,     checker::StopReason::time_limit,
    checker::StopReason::memory_limit,    checker::StopReason::interrupted,
    checker::StopReason::first_violation, checker::StopReason::walks_done,
    checker::StopReason::out_of_memory,   checker::StopReason::spill_full};
constexpr checker::Strategy kStrategies[] = {checker::Strategy::bfs, checker::Strategy::dfs,
                                             checker::Strategy::random_walk};
/// What a run may have applied (`all` is a request, never a result).
constexpr checker::Reduction kAppliedReductions[] = {
    checker::Reduction::none, checker::Reduction::symmetry, checker::Reduction::por};
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
          {"spill_bytes", s.spill_bytes},
          {"collision_probability", s.collision_probability},
          {"threads", s.threads},
          {"reduction", checker::to_string(s.reduction)}};
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
        {"antecedent", p.antecedent.empty() ? json(nullptr) : json(p.antecedent)},
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

namespace {

template <class Enum, std::size_t N>
Enum read_enum(const JsonIn& in, const Enum (&values)[N]) {
  std::vector<std::string> names;
  for (Enum v : values) {
    names.emplace_back(to_string(v));
  }
  return *parse_enum(in.one_of(names), values);
}

checker::Stats read_stats(const JsonIn& s) {
  constexpr std::uint64_t kAny = std::numeric_limits<std::uint64_t>::max();
  checker::Stats stats;
  stats.states = s["states"].whole(0, kAny);
  stats.transitions = s["transitions"].whole(0, kAny);
  stats.max_depth = static_cast<std::uint32_t>(
      s["max_depth"].whole(0, std::numeric_limits<std::uint32_t>::max()));
  stats.seconds = s["seconds"].number(0);
  stats.states_per_second = s["states_per_second"].number(0);
  stats.bytes_per_state = s["bytes_per_state"].number(0);
  stats.peak_frontier = s["peak_frontier"].whole(0, kAny);
  stats.peak_rss_bytes = s["peak_rss_bytes"].whole(0, kAny);
  stats.collision_probability = s["collision_probability"].number(0);
  if (const auto spill = s.optional("spill_bytes")) {  // reports before spilling say nothing
    stats.spill_bytes = spill->whole(0, kAny);
  }
  if (const auto threads = s.optional("threads")) {  // reports before threads say nothing
    stats.threads = static_cast<unsigned>(threads->whole(1, checker::kMaxThreads));
  }
  if (const auto reduction = s.optional("reduction")) {  // nor do those before reductions
    stats.reduction = read_enum(*reduction, kAppliedReductions);
  }
  return stats;
}

PropertyReport read_property(const JsonIn& p) {
  constexpr std::uint64_t kIndex = std::numeric_limits<std::uint32_t>::max();
  PropertyReport pr;
  pr.name = p["name"].string();
  pr.meaning = p.optional("meaning") ? p["meaning"].string() : "";
  pr.kind = read_enum(p["kind"], kKinds);
  pr.verdict = read_enum(p["verdict"], kVerdicts);
  if (const auto antecedent = p.optional("antecedent")) {
    pr.antecedent = antecedent->string();
  }
  if (const auto expected = p.optional("expected")) {
    pr.expected = read_enum(*expected, kVerdicts);
  }
  if (const auto shortest = p.optional("expected_shortest")) {
    pr.expected_shortest = shortest->whole(0, std::numeric_limits<std::uint32_t>::max());
  }
  if (const auto trace = p.optional("trace")) {
    pr.trace_initial = static_cast<std::uint32_t>((*trace)["initial"].whole(0, kIndex));
    for (const JsonIn& step : (*trace)["steps"].items()) {
      pr.trace.push_back({step["action"].string(), step["state"].string(),
                          step["changed"].strings(),
                          static_cast<std::uint32_t>(step["successor"].whole(0, kIndex))});
    }
  }
  return pr;
}

}  // namespace

tl::expected<Report, Error> report_from_json(const json& j, const std::string& file,
                                             const std::string& path) {
  return read_checked(file, [&] {
    const JsonIn in(j, path);
    in["schema"].one_of({std::string(kSchema), std::string(kSchemaV1)});
    Report r;
    r.name = in["scenario"].string();
    r.file = in["file"].string();
    r.description = in.optional("description") ? in["description"].string() : "";
    r.variant = in["variant"].string();
    r.strategy = read_enum(in["strategy"], kStrategies);
    r.stop = read_enum(in["stop"], kStops);
    r.stats = read_stats(in["stats"]);
    for (const JsonIn& p : in["properties"].items()) {
      r.properties.push_back(read_property(p));
    }
    return r;
  });
}

}  // namespace dmcheck::reports
