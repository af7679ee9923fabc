#include "conformance/guest_protocol.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <limits>

#include "model/observation.h"
#include "reports/json_in.h"

namespace dmcheck::conformance {

using nlohmann::json;
using reports::JsonIn;

namespace {

constexpr std::uint64_t kU32 = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t kI32 = std::numeric_limits<std::int32_t>::max();
constexpr std::uint64_t kU64 = std::numeric_limits<std::uint64_t>::max();

Error protocol_error(const std::string& what) {
  return Error{ErrorKind::system, "guest protocol error: " + what, {}};
}

std::string request_label(const std::vector<json>& requests, std::size_t index) {
  if (index >= requests.size()) {
    return fmt::format("request {}", index + 1);
  }
  const json& r = requests[index];
  const auto call = r.find("call");
  const auto op = r.find("op");
  std::string text = call != r.end() && call->is_string()
                         ? call->get<std::string>()
                         : (op != r.end() && op->is_string() ? op->get<std::string>() : "?");
  return fmt::format("request {}: {}", index + 1, text);
}

void check_device(const JsonIn& d) {
  d["name"].string();
  d["errno"].whole(0, kMaxErrno);
  d["flags"].whole(0, kU32);
  d["open_count"].whole(0, kI32);
  for (const JsonIn& t : d["live"].items()) {
    t["start"].whole(0, kU64);
    t["length"].whole(0, kU64);
    t["type"].string();
    t["params"].string();
  }
  if (const auto probe = d.optional("integrity")) {
    if (probe->optional("root_hash")) {
      (*probe)["root_hash"].whole(0, 255);
    } else if (probe->optional("root_hash_hex")) {
      (*probe)["root_hash_hex"].string();
    } else {
      (*probe)["probe_error"].string();
    }
  }
}

/// The number of calls of each thread of a race request (conformance/race_agent.h).
std::vector<std::size_t> race_shape(const json& request) {
  std::vector<std::size_t> shape;
  if (const auto threads = request.find("threads");
      threads != request.end() && threads->is_array()) {
    for (const json& calls : *threads) {
      shape.push_back(calls.is_array() ? calls.size() : 0);
    }
  }
  return shape;
}

/// One outcome of a race: results shaped as the request's threads, the devices, a count.
std::uint64_t check_outcome(const JsonIn& outcome, const std::vector<std::size_t>& shape,
                            std::uint64_t iterations) {
  const std::vector<JsonIn> results = outcome["results"].items();
  if (results.size() != shape.size()) {
    outcome["results"].fail(
        fmt::format("must list {} threads (the request's), got {}", shape.size(), results.size()));
  }
  for (std::size_t t = 0; t < results.size(); ++t) {
    const std::vector<JsonIn> errnos = results[t].items();
    if (errnos.size() != shape[t]) {
      results[t].fail(
          fmt::format("must list {} errnos (the thread's calls), got {}", shape[t], errnos.size()));
    }
    for (const JsonIn& e : errnos) {
      e.whole(0, kMaxErrno);
    }
  }
  for (const JsonIn& d : outcome["devices"].items()) {
    check_device(d);
  }
  return outcome["count"].whole(1, std::max<std::uint64_t>(iterations, 1));
}

/// A race's observation (conformance/race_agent.h): outcomes whose counts sum to the iterations
/// run, as many as the request asked unless the time budget stopped the race and it says so.
void check_race(const JsonIn& o, const json& request) {
  if (o.optional("agent_error")) {
    o["agent_error"].string();
    return;
  }
  // A request built on the host holds a signed number where the guest reads an unsigned one.
  const auto asked = request.find("iterations");
  const bool known = asked != request.end() && asked->is_number_integer() && *asked >= 0;
  const std::uint64_t wanted = known ? asked->get<std::uint64_t>() : kU64;
  const std::uint64_t iterations = o["iterations"].whole(0, wanted);
  if (iterations < wanted && known) {
    if (!o.optional("stopped")) {
      o["iterations"].fail(
          fmt::format("is {}, fewer than the {} asked for, with no \"stopped\" saying why",
                      iterations, wanted));
    }
    o["stopped"].string();
  }
  o["seconds"].number(0);
  const std::vector<std::size_t> shape = race_shape(request);
  std::uint64_t sum = 0;
  for (const JsonIn& outcome : o["outcomes"].items()) {
    const std::uint64_t count = check_outcome(outcome, shape, iterations);
    if (count > iterations - sum) {
      o["outcomes"].fail(fmt::format("counts sum to more than the {} iterations", iterations));
    }
    sum += count;
  }
  if (sum != iterations) {
    o["outcomes"].fail(fmt::format("counts sum to {}, not to the {} iterations", sum, iterations));
  }
}

/// Checks one observation's fields against its request; throws reports::JsonShapeError.
void check_observation(const JsonIn& o, const json& request) {
  const std::string op = o["op"].string();
  if (const auto wanted = request.find("op");
      wanted != request.end() && wanted->is_string() && op != wanted->get<std::string>()) {
    o["op"].fail(fmt::format("must be \"{}\" (the request's op), got \"{}\"",
                             wanted->get<std::string>(), op));
  }
  if (op == "race") {
    return check_race(o, request);
  }
  const bool agent_error = o.optional("agent_error").has_value();
  if (agent_error) {
    o["agent_error"].string();
  }
  if (!agent_error || o.optional("errno")) {
    o["errno"].whole(0, kMaxErrno);
  }
  if (o.optional("flags")) {
    o["flags"].whole(0, kU32);
  }
  if (o.optional("open_count")) {
    o["open_count"].whole(0, kI32);
  }
  if (o.optional("data")) {
    o["data"].string();
  }
  if (o.optional("injected")) {
    o["injected"].boolean();
  }
  for (const JsonIn& d : o["devices"].items()) {
    check_device(d);
  }
}

}  // namespace

std::string kernel_errno_name(int err) {
  if (err >= 0 && err <= std::numeric_limits<std::uint8_t>::max()) {
    return model::errno_name(static_cast<std::uint8_t>(err));
  }
  return "errno " + std::to_string(err);
}

tl::expected<GuestOutput, Error> parse_guest_output(const std::string& text,
                                                    const std::vector<json>& requests) {
  GuestOutput out;
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) {
      break;  // a line cut short: the guest was killed while writing it
    }
    const std::string line = text.substr(begin, end - begin);
    begin = end + 1;
    if (line.empty()) {
      continue;
    }
    const std::size_t index = out.observations.size();
    const json o = json::parse(line, nullptr, false);
    if (o.is_discarded() || !o.is_object()) {
      return tl::unexpected(protocol_error(fmt::format("observation {} is not a JSON object ({})",
                                                       index + 1, request_label(requests, index))));
    }
    if (out.done) {
      return tl::unexpected(protocol_error("output after the end marker"));
    }
    if (o.contains("done")) {
      if (o["done"] != true || out.observations.size() != requests.size()) {
        return tl::unexpected(protocol_error(
            fmt::format("the guest ended after {} observations for {} requests ({} unanswered)",
                        out.observations.size(), requests.size(),
                        request_label(requests, out.observations.size()))));
      }
      out.done = true;
      continue;
    }
    if (o.contains("agent_error") && !o.contains("op")) {
      const auto& why = o["agent_error"];
      return tl::unexpected(
          Error{ErrorKind::system,
                "guest agent: " + (why.is_string() ? why.get<std::string>() : why.dump()),
                {}});
    }
    if (index >= requests.size()) {
      return tl::unexpected(
          protocol_error(fmt::format("more observations than the {} requests", requests.size())));
    }
    auto checked = reports::read_checked("", [&] {
      check_observation(JsonIn(o), requests[index]);
      return true;
    });
    if (!checked) {
      return tl::unexpected(
          protocol_error(fmt::format("observation {}: {} ({})", index + 1, checked.error().message,
                                     request_label(requests, index))));
    }
    out.observations.push_back(o);
  }
  return out;
}

}  // namespace dmcheck::conformance
