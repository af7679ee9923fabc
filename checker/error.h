#pragma once
/// The one error type. User input errors carry where they happened (file, line, column);
/// engine errors (a nondeterministic model, say) carry none. Only `main` maps errors to exit codes.

#include <cstdint>
#include <optional>
#include <string>

namespace dmcheck {

struct SourceLocation {
  std::string file;
  std::uint32_t line = 0;    ///< 1-based; 0 when unknown
  std::uint32_t column = 0;  ///< 1-based; 0 when unknown
};

enum class ErrorKind : std::uint8_t {
  bad_input,  ///< the user's input is wrong: a malformed file, an unknown name, a bad option
  model,      ///< the model broke the engine's contract (e.g. nondeterministic successors)
  system,     ///< the environment failed: a file could not be read or written
};

struct Error {
  ErrorKind kind = ErrorKind::bad_input;
  std::string message;
  std::optional<SourceLocation> where;

  /// "file:line:column: message", or just the message when there is no location.
  [[nodiscard]] std::string describe() const;
};

}  // namespace dmcheck
