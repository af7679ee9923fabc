#include "conformance/kernels.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdlib>

namespace dmcheck::conformance {

std::vector<std::string> kernel_versions() { return {"6.1", "6.12"}; }

std::string kernel_cache_dir() {
  const auto set = [](const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::optional<std::string>(value) : std::nullopt;
  };
  if (auto dir = set("DMCHECK_KERNEL_CACHE")) {
    return *dir;
  }
  if (auto dir = set("XDG_CACHE_HOME")) {
    return *dir + "/dmcheck";
  }
  return set("HOME").value_or(".") + "/.cache/dmcheck";
}

tl::expected<KernelChoice, Error> choose_kernel(const std::string& version,
                                                const std::optional<std::string>& kernel) {
  KernelChoice choice;
  choice.version = version;
  if (version == "6.1") {
    choice.base = model::Base::v6_1;
    choice.uml.kernel = "linux.uml";
  } else if (version == "6.12") {
    choice.base = model::Base::v6_12;
    choice.uml.kernel = kernel_cache_dir() + "/uml-6.12/linux";
    choice.uml.modules_built_in = true;
    choice.uml.missing_hint = "scripts/build-kernel builds it";
  } else {
    return tl::unexpected(
        Error{ErrorKind::bad_input,
              fmt::format("--kernel-version {}: not a kernel conformance knows (known: {})",
                          version, fmt::join(kernel_versions(), ", ")),
              {}});
  }
  if (kernel) {
    // Another kernel may need modules or have them built in: the module folder is passed, and
    // the guest loads nothing when device-mapper is already there.
    choice.uml.kernel = *kernel;
    choice.uml.modules_built_in = false;
    choice.uml.missing_hint.clear();
  }
  choice.integrity = probe_kernel(choice.uml.kernel);
  return choice;
}

}  // namespace dmcheck::conformance
