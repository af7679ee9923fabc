#include "conformance/kernel_modules.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace dmcheck::conformance {

namespace {

/// "kernel/drivers/md/dm-mod.ko" -> "dm-mod"
std::string module_name(const std::string& path) {
  const auto slash = path.rfind('/');
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  if (base.size() > 3 && base.ends_with(".ko")) {
    base.resize(base.size() - 3);
  }
  return base;
}

}  // namespace

std::string load_modules(const std::string& module_dir, const std::vector<std::string>& names) {
  std::ifstream dep_file(module_dir + "/modules.dep");
  if (!dep_file) {
    return "cannot read " + module_dir + "/modules.dep";
  }
  std::map<std::string, std::pair<std::string, std::vector<std::string>>> modules;
  for (std::string line; std::getline(dep_file, line);) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) {
      continue;
    }
    const std::string path = line.substr(0, colon);
    std::vector<std::string> deps;
    std::istringstream rest(line.substr(colon + 1));
    for (std::string dep; rest >> dep;) {
      deps.push_back(module_name(dep));
    }
    modules[module_name(path)] = {path, deps};
  }
  std::set<std::string> loaded;
  std::string failure;
  auto load = [&](auto& self, const std::string& name) -> void {
    if (!failure.empty() || loaded.contains(name)) {
      return;
    }
    const auto found = modules.find(name);
    if (found == modules.end()) {
      failure = "no module " + name + " in " + module_dir;
      return;
    }
    // modules.dep lists dependencies so that the last must load first.
    for (auto dep = found->second.second.rbegin(); dep != found->second.second.rend(); ++dep) {
      self(self, *dep);
    }
    const std::string path = module_dir + "/" + found->second.first;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      failure = "cannot open " + path + ": " + std::strerror(errno);
      return;
    }
    const long rc = ::syscall(SYS_finit_module, fd, "", 0);
    const int error = errno;
    ::close(fd);
    if (rc != 0 && error != EEXIST) {
      failure = "cannot load " + path + ": " + std::strerror(error);
      return;
    }
    loaded.insert(name);
  };
  for (const auto& name : names) {
    load(load, name);
  }
  return failure;
}

}  // namespace dmcheck::conformance
