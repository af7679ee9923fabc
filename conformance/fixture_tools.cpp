#include "conformance/fixture_tools.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace dmcheck::conformance {

namespace {

Error tool_error(std::string message) { return Error{ErrorKind::system, std::move(message), {}}; }

/// `name` from /usr/sbin when it is there: a non-root PATH may lack it.
std::string sbin_tool(const std::string& name) {
  const std::string path = "/usr/sbin/" + name;
  return ::access(path.c_str(), X_OK) == 0 ? path : name;
}

struct ToolRun {
  int status = -1;  ///< the exit status, or -1 when it did not exit normally
  std::string output;
};

/// Runs `command` through the shell, standard error with standard output.
tl::expected<ToolRun, Error> run_tool(const std::string& command) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    return tl::unexpected(tool_error("cannot run: " + command));
  }
  ToolRun run;
  char buffer[256];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    run.output += buffer;
  }
  const int status = ::pclose(pipe);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

/// A word for the shell: single-quoted.
std::string quoted(const std::string& word) {
  std::string out = "'";
  for (const char c : word) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

}  // namespace

tl::expected<std::string, Error> verity_format(const std::string& data, const std::string& hash,
                                               std::uint64_t block_bytes, std::uint64_t blocks,
                                               std::uint8_t salt) {
  const auto run = run_tool(
      fmt::format("{} format {} {} --no-superblock --hash=sha256 --data-block-size={} "
                  "--hash-block-size=4096 --data-blocks={} --salt={:02x}",
                  sbin_tool("veritysetup"), quoted(data), quoted(hash), block_bytes, blocks, salt));
  if (!run) {
    return tl::unexpected(run.error());
  }
  std::istringstream lines(run->output);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("Root hash:")) {
      std::istringstream words(line.substr(10));
      std::string root;
      words >> root;
      return root;
    }
  }
  return tl::unexpected(tool_error(fmt::format(
      "veritysetup format failed (status {}; is cryptsetup-bin installed? scripts/setup "
      "installs it):\n{}",
      run->status, run->output)));
}

tl::expected<void, Error> make_probe_filesystem(const std::string& image, std::uint64_t bytes,
                                                const std::string& label, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  const std::string source = dir + "/probe";
  std::ofstream(source) << "dmcheck integrity probe " << label << "\n";
  fs::permissions(source,
                  fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                      fs::perms::others_read,
                  ec);
  { std::ofstream make(image, std::ios::binary | std::ios::trunc); }
  fs::resize_file(image, bytes, ec);
  if (ec) {
    fs::remove_all(dir, ec);
    return tl::unexpected(tool_error("cannot make " + image + ": " + ec.message()));
  }
  // The same bytes on every run and in every guest, so that the root hashes over them are too:
  // a fixed UUID, hash seed and clock. 1 KiB blocks and no journal: the smallest ext4 a unit
  // holds.
  const std::string clock = "E2FSPROGS_FAKE_TIME=1000000000 ";
  auto run = run_tool(fmt::format(
      "{}{} -q -F -b 1024 -N 16 -m 0 -O ^has_journal,^resize_inode -L {} "
      "-U 6d6b6b6b-0000-4000-8000-000000000001 -E hash_seed=6d6b6b6b-0000-4000-8000-000000000002 "
      "{} && {}{} -w -R {} {}",
      clock, sbin_tool("mkfs.ext4"), quoted(label), quoted(image), clock, sbin_tool("debugfs"),
      quoted("write " + source + " probe"), quoted(image)));
  fs::remove_all(dir, ec);
  if (!run) {
    return tl::unexpected(run.error());
  }
  if (run->status != 0) {
    return tl::unexpected(tool_error(
        fmt::format("mkfs.ext4 or debugfs failed (status {}; is e2fsprogs installed?):\n{}",
                    run->status, run->output)));
  }
  return {};
}

tl::expected<void, Error> sign_policy(const std::string& text, const std::string& key,
                                      const std::string& certificate, const std::string& out) {
  const std::string plain = out + ".txt";
  std::ofstream(plain) << text;
  const auto run = run_tool(
      fmt::format("openssl smime -sign -in {} -signer {} -inkey {} -noattr -nodetach -nosmimecap "
                  "-binary -outform der -out {}",
                  quoted(plain), quoted(certificate), quoted(key), quoted(out)));
  std::filesystem::remove(plain);
  if (!run) {
    return tl::unexpected(run.error());
  }
  if (run->status != 0) {
    return tl::unexpected(tool_error(fmt::format(
        "openssl could not sign the IPE probe policy (status {}):\n{}", run->status, run->output)));
  }
  return {};
}

}  // namespace dmcheck::conformance
