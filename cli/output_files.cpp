#include "cli/output_files.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace dmcheck::cli {

namespace fs = std::filesystem;

namespace {

/// The path with every symbolic link and "." or ".." resolved as far as it exists.
fs::path resolved(const fs::path& path) {
  std::error_code ec;
  fs::path result = fs::weakly_canonical(path, ec);
  return ec ? fs::absolute(path, ec).lexically_normal() : result;
}

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec) || resolved(a) == resolved(b);
}

}  // namespace

RunInputs::RunInputs(const std::vector<std::string>& files) {
  for (const auto& file : files) {
    inputs_.push_back({file, resolved(file)});
  }
}

std::optional<std::string> RunInputs::overwritten_by(const fs::path& output) const {
  for (const auto& input : inputs_) {
    if (same_file(output, input.given) || resolved(output) == input.resolved) {
      return input.given;
    }
  }
  return std::nullopt;
}

std::vector<fs::path> RunInputs::inside(const fs::path& dir) const {
  std::vector<fs::path> found;
  for (const auto& input : inputs_) {
    fs::path parent = fs::path(input.given).parent_path();
    if (same_file(parent.empty() ? fs::path(".") : parent, dir)) {
      found.emplace_back(input.given);
    }
  }
  return found;
}

tl::expected<void, std::string> check_output_file(std::string_view option, const std::string& path,
                                                  const RunInputs& inputs) {
  if (const auto input = inputs.overwritten_by(path)) {
    return tl::unexpected(
        fmt::format("{} {}: this is {}, an input of this run; refusing to "
                    "overwrite it",
                    option, path, *input));
  }
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    return tl::unexpected(fmt::format("{} {}: is a directory", option, path));
  }
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec)) {
    return tl::unexpected(
        fmt::format("{} {}: no such directory {}", option, path, parent.string()));
  }
  return {};
}

tl::expected<void, std::string> write_text_file(const fs::path& path, std::string_view text) {
  const auto failed = [&](int error) {
    return tl::unexpected(fmt::format("cannot write {}: {}", path.string(), std::strerror(error)));
  };
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return failed(errno);
  }
  while (!text.empty()) {
    const ssize_t written = ::write(fd, text.data(), text.size());
    if (written < 0 && errno == EINTR) {
      continue;
    }
    if (written <= 0) {
      const int error = written < 0 ? errno : ENOSPC;
      ::close(fd);
      return failed(error);
    }
    text.remove_prefix(static_cast<std::size_t>(written));
  }
  if (::close(fd) != 0) {
    return failed(errno);
  }
  return {};
}

}  // namespace dmcheck::cli
