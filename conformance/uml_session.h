#pragma once
/// The host side of the real backend: boots Debian's User-Mode Linux kernel as an ordinary
/// process, with the host filesystem as its root and our guest agent as init, hands it a batch
/// of requests and collects one observation per request. Works without standard input, stops
/// on its own, and turns a hung or crashed guest into an error within a time limit, leaving no
/// process behind.

#include <tl/expected.hpp>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "checker/error.h"

namespace dmcheck::conformance {

struct UmlOptions {
  std::string kernel = "linux.uml";
  /// The package's module folder for the kernel's release; empty: the only one installed.
  std::string module_dir;
  /// The guest agent binary; empty: `dmcheck-agent` next to the running executable.
  std::string agent;
  std::chrono::milliseconds timeout{60'000};
  /// Host image files the guest sees as disks ubda, ubdb, ... (see Fixtures).
  std::vector<std::string> disks;
  std::string memory = "128M";
};

/// Boots the guest once and performs `requests` in order. The result holds one observation per
/// request. Fails with an Error naming the cause (kernel missing, timeout, guest crash) and the
/// console log's tail.
tl::expected<std::vector<nlohmann::json>, Error> run_in_uml(
    const UmlOptions& options, const std::vector<nlohmann::json>& requests);

}  // namespace dmcheck::conformance
