#pragma once
/// Reading a user's input file without trusting what it is: only a regular file is read (a FIFO
/// is never waited on, a device such as /dev/zero never read without end), and never more than
/// a limit. Callers turn a failure into their own message.

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <tl/expected.hpp>

namespace dmcheck::checker {

/// Why an input file was not read.
struct InputFileFailure {
  enum class Kind : std::uint8_t {
    unreadable,   ///< open, fstat or read failed: `error` is the errno
    not_regular,  ///< a directory, FIFO, device or socket: `mode` says which
    too_large,    ///< longer than the limit
  };
  Kind kind;
  int error = 0;
  mode_t mode = 0;
};

/// The whole text of `path` if it is a regular file of at most `max_bytes`. At most
/// `max_bytes + 1` bytes are ever read, since the file may grow after it was checked.
tl::expected<std::string, InputFileFailure> read_regular_file(const std::string& path,
                                                              std::uint64_t max_bytes);

/// "a directory", "a FIFO", "a device", "a socket" or "not a regular file".
std::string file_kind(mode_t mode);

}  // namespace dmcheck::checker
