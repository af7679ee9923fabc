#pragma once
/// Loads kernel modules with their dependencies from a module directory's modules.dep, without
/// modprobe (which looks under /lib/modules/$(uname -r), a path the host root does not have).

#include <string>
#include <vector>

namespace dmcheck::conformance {

/// The guest's module folder (DMCHECK_MODULES) for a kernel with device-mapper built in.
inline constexpr const char* kModulesBuiltIn = "built-in";

/// Loads each module named (e.g. "dm-verity") after its dependencies; a module already loaded
/// is fine. Returns an empty string on success, else what failed.
std::string load_modules(const std::string& module_dir, const std::vector<std::string>& names);

}  // namespace dmcheck::conformance
