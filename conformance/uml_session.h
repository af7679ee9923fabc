#pragma once
/// The host side of the real backend: boots Debian's User-Mode Linux kernel as an ordinary
/// process, with the host filesystem as its root and our guest agent as init, hands it a batch
/// of requests and collects one observation per request. Works without standard input, stops
/// on its own, and turns a hung or crashed guest into an error within a time limit, leaving no
/// process behind.

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "checker/error.h"

namespace dmcheck::conformance {

struct UmlOptions {
  std::string kernel = "linux.uml";
  /// The package's module folder for the kernel's release; empty: the only one installed.
  std::string module_dir;
  /// The kernel has device-mapper and its targets built in: no module folder is looked for.
  bool modules_built_in = false;
  /// What to do when the kernel is missing, added to the message (e.g. how to build it).
  std::string missing_hint;
  /// The guest agent binary; empty: `dmcheck-agent` next to the running executable.
  std::string agent;
  std::chrono::milliseconds timeout{60'000};
  /// When not zero: the guest is killed, as stuck, once it has written no observation for this
  /// long after its first (a request the kernel never answers), however much of `timeout` is
  /// left. The boot is bounded by `timeout` alone.
  std::chrono::milliseconds stall{0};
  /// Host image files the guest sees as disks ubda, ubdb, ... (see Fixtures).
  std::vector<std::string> disks;
  std::string memory = "128M";
};

/// What one boot observed.
struct GuestRun {
  /// observations[i] answers requests[i], each checked (conformance/guest_protocol.h). All of
  /// them, unless the run was interrupted.
  std::vector<nlohmann::json> observations;
  /// SIGINT or SIGTERM (checker/interrupt.h) stopped the guest: its process group was killed
  /// and `observations` holds those written before.
  bool interrupted = false;
};

/// Checks, before any work, that the kernel is an executable file (a bare name is looked up on
/// PATH), that its modules and the guest agent are there. Errors are ErrorKind::system.
tl::expected<void, Error> check_uml(const UmlOptions& options);

/// Boots the guest once and performs `requests` in order. The guest runs in its own process
/// group, with its files (requests, observations, console, UML's state directory) in a
/// temporary folder under $TMPDIR that is removed on every path out; an interrupt or the kill
/// hook on a second signal kills the whole group. Fails with an Error naming the cause (kernel
/// missing, timeout, guest crash, guest protocol error) and the console log's tail.
tl::expected<GuestRun, Error> run_in_uml(const UmlOptions& options,
                                         const std::vector<nlohmann::json>& requests);

}  // namespace dmcheck::conformance
