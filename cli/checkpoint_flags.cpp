#include "cli/checkpoint_flags.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "cli/exploration_options.h"
#include "cli/number_options.h"

namespace dmcheck::cli {

void CheckpointFlags::declare(CLI::App& command) {
  command.add_option("--checkpoint", file,
                     "Save the run to this file now and then (breadth-first, one scenario), and "
                     "when a signal or a time or memory limit stops it; --resume goes on from it");
  add_seconds_option(command, "--checkpoint-every", every_seconds,
                     fmt::format("Seconds between two saves of --checkpoint, taken at the next "
                                 "level of the search (default {})",
                                 checker::kDefaultCheckpointInterval.count() / 1000));
  command
      .add_option("--resume", resume,
                  "Go on from a checkpoint of this same scenario, variant and options; the "
                  "result is that of a run never stopped")
      ->check(CLI::ExistingFile);
}

tl::expected<void, std::string> CheckpointFlags::apply(const std::vector<std::string>& files,
                                                       std::string identity,
                                                       checker::Options& options) const {
  if (file.empty() && resume.empty()) {
    if (every_seconds) {
      return tl::unexpected(std::string("--checkpoint-every needs --checkpoint"));
    }
    return {};
  }
  const char* flag = file.empty() ? "--resume" : "--checkpoint";
  if (files.size() != 1) {
    return tl::unexpected(
        fmt::format("{} saves one run: give one scenario file (got {})", flag, files.size()));
  }
  if (options.strategy != checker::Strategy::bfs) {
    return tl::unexpected(
        fmt::format("{} needs the breadth-first strategy (--strategy bfs)", flag));
  }
  if (!file.empty()) {
    std::filesystem::path dir = std::filesystem::path(file).parent_path();
    if (dir.empty()) {
      dir = ".";
    }
    if (::access(dir.c_str(), W_OK) != 0) {
      return tl::unexpected(fmt::format("--checkpoint {}: cannot write in {}: {}", file,
                                        dir.string(), std::strerror(errno)));
    }
  }
  options.checkpoint_file = file;
  if (every_seconds) {
    options.checkpoint_every = to_milliseconds(*every_seconds);
  }
  options.resume_file = resume;
  options.identity = std::move(identity);
  return {};
}

}  // namespace dmcheck::cli
