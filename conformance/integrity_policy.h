#pragma once
/// What a kernel needs for the integrity probe (conformance/integrity_probe.h), found next to the
/// kernel that scripts/build-kernel builds: the key and certificate its IPE trusts, and the
/// address range of IPE's setintegrity hook for failslab's stack filter. Also the probe policy a
/// guest loads, written for the fixtures' own root hashes and signed with that key.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <tl/expected.hpp>

#include "checker/error.h"
#include "conformance/fixtures.h"

namespace dmcheck::conformance {

struct ProbeKernel {
  std::string key;          ///< PEM private key
  std::string certificate;  ///< PEM certificate, built into the kernel as its trusted key
  std::string hook_start;   ///< "0x..." address of ipe_bdev_setintegrity
  std::string hook_end;     ///< "0x..." address of the symbol after it
};

/// The probe files next to `kernel` (a path), or nothing when the kernel has none: a kernel
/// built elsewhere, or Debian's 6.1.
std::optional<ProbeKernel> probe_kernel(const std::string& kernel);

/// The policy's name, as IPE lists it under /sys/kernel/security/ipe/policies.
inline constexpr const char* kProbePolicyName = "dmcheck_probe";

/// The probe policy for `fixtures`: every executable allowed, except from a device for which
/// IPE holds one of the fixtures' root hashes, one rule per hash so that the refusal's audit
/// record names it.
std::string probe_policy(const Fixtures& fixtures);

/// Writes the signed probe policy into `dir` and returns the agent's request that loads it and
/// aims failslab (op "integrity").
tl::expected<nlohmann::json, Error> integrity_request(const Fixtures& fixtures,
                                                      const ProbeKernel& kernel,
                                                      const std::string& dir);

}  // namespace dmcheck::conformance
