#pragma once
/// The host's reading of what the guest agent wrote (observations.jsonl): one JSON object per
/// request, in order, then {"done": true}. Every observation is checked before anything uses
/// it: the count against the requests, each field's type and range. A guest that breaks the
/// protocol is a "guest protocol error" naming the request, never a crash or a wrong verdict.

#include <nlohmann/json.hpp>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "checker/error.h"

namespace dmcheck::conformance {

/// The largest errno the kernel returns (MAX_ERRNO); larger is a protocol error.
inline constexpr std::uint64_t kMaxErrno = 4095;

/// The observations the guest wrote, each checked against its request.
struct GuestOutput {
  std::vector<nlohmann::json> observations;  ///< observations[i] answers requests[i]
  bool done = false;  ///< the agent wrote its end marker after the last observation
};

/// Parses the guest's output `text` for `requests` (each may carry "call", the call in dmsetup's
/// words, for messages). A last line without its newline (the guest was killed while writing)
/// is left out. Errors are ErrorKind::system: "guest protocol error: WHAT (request N: CALL)",
/// or "guest agent: WHY" when the agent could not start.
tl::expected<GuestOutput, Error> parse_guest_output(const std::string& text,
                                                    const std::vector<nlohmann::json>& requests);

/// "ENXIO", "0", or "errno N" for an errno the model does not name: printed as given.
std::string kernel_errno_name(int err);

}  // namespace dmcheck::conformance
