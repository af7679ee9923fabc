#pragma once
/// The real kernels conformance runs against, by version: which User-Mode Linux kernel boots,
/// whether it needs a module folder, and which base kernel of the model predicts it.
///
/// 6.1 is Debian's `user-mode-linux` package (`linux.uml`, device-mapper as modules). 6.12 is
/// built from Debian's `linux-source-6.12` by `scripts/build-kernel`, with device-mapper and its
/// targets built in, into a per-machine cache (see kernel_cache_dir).

#include <optional>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "checker/error.h"
#include "conformance/integrity_policy.h"
#include "conformance/uml_session.h"
#include "model/variant.h"

namespace dmcheck::conformance {

struct KernelChoice {
  std::string version;  ///< "6.1" or "6.12"
  model::Base base;     ///< the model's base kernel that predicts it
  UmlOptions uml;       ///< the kernel to boot and where its modules are
  /// The kernel's integrity probe files (integrity_policy.h), where it has them.
  std::optional<ProbeKernel> integrity;
};

/// The versions `--kernel-version` accepts, oldest first.
std::vector<std::string> kernel_versions();

/// Where scripts/build-kernel caches the kernels it builds: $DMCHECK_KERNEL_CACHE, else
/// $XDG_CACHE_HOME/dmcheck, else $HOME/.cache/dmcheck.
std::string kernel_cache_dir();

/// The kernel for `version`; `kernel`, when given, boots instead of the version's default (the
/// model still predicts `version`; the guest loads device-mapper's modules from Debian's module
/// folder unless the kernel has it built in). An unknown version is bad_input naming the known
/// ones.
tl::expected<KernelChoice, Error> choose_kernel(const std::string& version,
                                                const std::optional<std::string>& kernel);

}  // namespace dmcheck::conformance
