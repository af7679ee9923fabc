#include "conformance/guest_protocol.h"

#include <fmt/format.h>

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
}

/// Checks one observation's fields against its request; throws reports::JsonShapeError.
void check_observation(const JsonIn& o, const json& request) {
  const std::string op = o["op"].string();
  if (const auto wanted = request.find("op");
      wanted != request.end() && wanted->is_string() && op != wanted->get<std::string>()) {
    o["op"].fail(fmt::format("must be \"{}\" (the request's op), got \"{}\"",
                             wanted->get<std::string>(), op));
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
