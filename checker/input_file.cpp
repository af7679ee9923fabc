#include "checker/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace dmcheck::checker {

namespace {

using Kind = InputFileFailure::Kind;

/// Closes a file descriptor when it goes out of scope.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
};

tl::unexpected<InputFileFailure> failed(Kind kind, int error = 0, mode_t mode = 0) {
  return tl::unexpected(InputFileFailure{kind, error, mode});
}

}  // namespace

tl::expected<std::string, InputFileFailure> read_regular_file(const std::string& path,
                                                              std::uint64_t max_bytes) {
  // Non-blocking, so opening a FIFO with no writer returns at once; fstat then refuses it.
  const Fd in{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
  struct stat st {};
  if (in.fd < 0 || ::fstat(in.fd, &st) != 0) {
    return failed(Kind::unreadable, errno);
  }
  if (!S_ISREG(st.st_mode)) {
    return failed(Kind::not_regular, 0, st.st_mode);
  }
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    return failed(Kind::too_large);
  }
  std::string text;
  char buffer[64 * 1024];
  for (;;) {
    const std::size_t want = std::min<std::uint64_t>(sizeof buffer, max_bytes + 1 - text.size());
    const ssize_t got = ::read(in.fd, buffer, want);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got < 0) {
      return failed(Kind::unreadable, errno);
    }
    if (got == 0) {
      return text;
    }
    text.append(buffer, static_cast<std::size_t>(got));
    if (text.size() > max_bytes) {
      return failed(Kind::too_large);
    }
  }
}

std::string file_kind(mode_t mode) {
  if (S_ISDIR(mode)) {
    return "a directory";
  }
  if (S_ISFIFO(mode)) {
    return "a FIFO";
  }
  if (S_ISCHR(mode) || S_ISBLK(mode)) {
    return "a device";
  }
  if (S_ISSOCK(mode)) {
    return "a socket";
  }
  return "not a regular file";
}

}  // namespace dmcheck::checker
