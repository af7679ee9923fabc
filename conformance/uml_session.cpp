#include "conformance/uml_session.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/format.h>

namespace dmcheck::conformance {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

Error system_error(std::string message) { return Error{ErrorKind::system, std::move(message), {}}; }

std::string tail_of(const fs::path& file, std::size_t lines) {
  std::ifstream in(file);
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) {
    all.push_back(line);
  }
  std::string text;
  for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) {
    text += "  | " + all[i] + "\n";
  }
  return text;
}

tl::expected<std::string, Error> find_module_dir(const UmlOptions& options) {
  if (!options.module_dir.empty()) {
    return options.module_dir;
  }
  const fs::path root = "/usr/lib/uml/modules";
  std::error_code ec;
  std::vector<fs::path> releases;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    releases.push_back(entry.path());
  }
  if (ec || releases.empty()) {
    return tl::unexpected(system_error(
        "no User-Mode Linux modules under /usr/lib/uml/modules (is the user-mode-linux package "
        "installed? scripts/setup installs it)"));
  }
  std::sort(releases.begin(), releases.end());
  return releases.back().string();
}

std::string find_agent(const UmlOptions& options) {
  if (!options.agent.empty()) {
    return options.agent;
  }
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return (self.parent_path() / "dmcheck-agent").string();
}

/// Waits for the process group led by `pid` to end, or kills it at the deadline.
/// Returns the wait status, or nothing on timeout.
std::optional<int> wait_or_kill(pid_t pid, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      ::kill(-pid, SIGKILL);  // UML's helper processes, should any outlive the kernel
      return status;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

tl::expected<std::vector<json>, Error> run_in_uml(const UmlOptions& options,
                                                  const std::vector<json>& requests) {
  const auto module_dir = find_module_dir(options);
  if (!module_dir) {
    return tl::unexpected(module_dir.error());
  }
  const std::string agent = find_agent(options);
  if (::access(agent.c_str(), X_OK) != 0) {
    return tl::unexpected(system_error("guest agent " + agent + " is missing or not executable"));
  }
  char dir_template[] = "/tmp/dmcheck-uml-XXXXXX";
  if (::mkdtemp(dir_template) == nullptr) {
    return tl::unexpected(system_error(std::string("cannot make a temporary folder: ") +
                                       std::strerror(errno)));
  }
  const fs::path dir = dir_template;
  {
    std::ofstream out(dir / "requests.jsonl");
    for (const json& r : requests) {
      out << r.dump() << "\n";
    }
  }
  std::vector<std::string> args = {options.kernel,
                                   "mem=" + options.memory,
                                   "rootfstype=hostfs",
                                   "rw",
                                   "init=" + agent,
                                   "con=null",
                                   "con0=null,fd:1",
                                   "DMCHECK_DIR=" + dir.string(),
                                   "DMCHECK_MODULES=" + *module_dir};
  for (std::size_t i = 0; i < options.disks.size(); ++i) {
    args.push_back(fmt::format("ubd{}={}", i, options.disks[i]));
  }
  const fs::path console = dir / "console.log";
  const pid_t pid = ::fork();
  if (pid < 0) {
    return tl::unexpected(system_error(std::string("fork failed: ") + std::strerror(errno)));
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    const int in = ::open("/dev/null", O_RDONLY);
    const int out = ::open(console.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    std::vector<char*> argv;
    for (auto& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    std::fprintf(stderr, "cannot run %s: %s\n", argv[0], std::strerror(errno));
    std::_Exit(127);
  }
  ::setpgid(pid, pid);
  const auto status = wait_or_kill(pid, std::chrono::steady_clock::now() + options.timeout);
  if (!status) {
    return tl::unexpected(system_error(fmt::format(
        "the guest kernel did not power off within {} ms; killed it. Console ({}):\n{}",
        options.timeout.count(), console.string(), tail_of(console, 15))));
  }
  std::vector<json> observations;
  bool done = false;
  std::ifstream in(dir / "observations.jsonl");
  for (std::string line; std::getline(in, line);) {
    json o = json::parse(line, nullptr, false);
    if (o.is_discarded()) {
      break;
    }
    if (o.contains("agent_error") && !o.contains("op")) {
      return tl::unexpected(system_error("guest agent: " + o["agent_error"].get<std::string>()));
    }
    if (o.value("done", false)) {
      done = true;
      break;
    }
    observations.push_back(std::move(o));
  }
  if (!done) {
    return tl::unexpected(system_error(fmt::format(
        "the guest stopped after {} of {} requests ({}). Console ({}):\n{}",
        observations.size(), requests.size(),
        WIFSIGNALED(*status) ? fmt::format("the kernel process died of signal {}", WTERMSIG(*status))
                             : fmt::format("the kernel process exited with status {}", WEXITSTATUS(*status)),
        console.string(), tail_of(console, 15))));
  }
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return observations;
}

}  // namespace dmcheck::conformance
