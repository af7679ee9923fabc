#include "conformance/temp_dir.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <cerrno>
#include <cstring>

namespace dmcheck::conformance {

namespace fs = std::filesystem;

tl::expected<TempDir, Error> TempDir::make(const std::string& prefix) {
  std::error_code ec;
  fs::path base = fs::temp_directory_path(ec);
  if (ec) {
    base = "/tmp";
  }
  std::string name = (base / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(name.data()) == nullptr) {
    return tl::unexpected(Error{ErrorKind::system,
                                fmt::format("cannot make a temporary folder in {}: {}",
                                            base.string(), std::strerror(errno)),
                                {}});
  }
  return TempDir(fs::path(name));
}

TempDir::~TempDir() {
  if (!path_.empty()) {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
}

}  // namespace dmcheck::conformance
