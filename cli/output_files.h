#pragma once
/// The files a command writes (JUnit, Markdown, traces): checked before any work so that an
/// output never overwrites an input of the same run, and written so that every failure is
/// reported with the operating system's reason.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

namespace dmcheck::cli {

/// The files a run reads, as given and resolved (symbolic links followed), to compare outputs
/// with.
class RunInputs {
 public:
  explicit RunInputs(const std::vector<std::string>& files);

  /// The input `output` would overwrite: the same path, or the same file through a link.
  [[nodiscard]] std::optional<std::string> overwritten_by(
      const std::filesystem::path& output) const;

  /// The inputs inside `dir` (the same directory, however named).
  [[nodiscard]] std::vector<std::filesystem::path> inside(const std::filesystem::path& dir) const;

 private:
  struct Input {
    std::string given;
    std::filesystem::path resolved;
  };
  std::vector<Input> inputs_;
};

/// Checks an output file named by `option` (e.g. "--junit") before the run: it must not be an
/// input, nor a directory, and its directory must exist. The error is a message for the user.
tl::expected<void, std::string> check_output_file(std::string_view option, const std::string& path,
                                                  const RunInputs& inputs);

/// Writes `text` to `path`, replacing its contents. The error names the file and the reason.
tl::expected<void, std::string> write_text_file(const std::filesystem::path& path,
                                                std::string_view text);

}  // namespace dmcheck::cli
