#include "conformance/uml_session.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <thread>

#include "checker/interrupt.h"
#include "conformance/guest_protocol.h"
#include "conformance/kernel_modules.h"
#include "conformance/temp_dir.h"

namespace dmcheck::conformance {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// The most the guest may write as observations (a run of 10^5 steps writes a few MB).
constexpr std::uintmax_t kMaxGuestOutput = 1ULL << 30;

Error system_error(std::string message) { return Error{ErrorKind::system, std::move(message), {}}; }

/// Guests that may run at once (conformance --jobs).
constexpr std::size_t kMaxGuests = 64;

/// The process group of each running guest, for the kill hook: 0 a free slot, -1 a slot taken
/// by a guest being started.
std::array<std::atomic<pid_t>, kMaxGuests> g_guest_groups{};

/// Run on a second SIGINT/SIGTERM, just before dmcheck dies: no guest may outlive it.
void kill_guest_groups() noexcept {
  for (const auto& slot : g_guest_groups) {
    if (const pid_t group = slot.load(); group > 0) {
      ::kill(-group, SIGKILL);
    }
  }
}

/// A free slot, taken (-1); kMaxGuests when every slot is taken.
std::size_t take_guest_slot() {
  for (std::size_t i = 0; i < kMaxGuests; ++i) {
    pid_t expected = 0;
    if (g_guest_groups[i].compare_exchange_strong(expected, -1)) {
      return i;
    }
  }
  return kMaxGuests;
}

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

/// Why `path` cannot be executed, or empty.
std::string not_executable(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return std::strerror(errno);
  }
  if (!S_ISREG(st.st_mode)) {
    return "not a regular file";
  }
  if (::access(path.c_str(), X_OK) != 0) {
    return "not executable";
  }
  return "";
}

/// The kernel's path: as given when it names a path, else found on $PATH as execvp would.
tl::expected<std::string, Error> find_kernel(const std::string& kernel, const std::string& hint) {
  if (kernel.find('/') != std::string::npos) {
    if (const std::string why = not_executable(kernel); !why.empty()) {
      return tl::unexpected(system_error(
          fmt::format("kernel {}: {}{}", kernel, why, hint.empty() ? "" : " (" + hint + ")")));
    }
    return kernel;
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  std::size_t begin = 0;
  while (begin <= dirs.size()) {
    const std::size_t end = std::min(dirs.find(':', begin), dirs.size());
    const std::string dir = end > begin ? dirs.substr(begin, end - begin) : ".";
    const std::string candidate = dir + "/" + kernel;
    if (not_executable(candidate).empty()) {
      return candidate;
    }
    begin = end + 1;
  }
  return tl::unexpected(system_error(fmt::format(
      "kernel {}: not found on PATH (is the user-mode-linux package installed? scripts/setup "
      "installs it)",
      kernel)));
}

/// The paths a boot needs, checked.
struct Resolved {
  std::string kernel;
  std::string module_dir;
  std::string agent;
};

tl::expected<Resolved, Error> resolve(const UmlOptions& options) {
  auto kernel = find_kernel(options.kernel, options.missing_hint);
  if (!kernel) {
    return tl::unexpected(kernel.error());
  }
  if (options.modules_built_in) {
    std::string agent = find_agent(options);
    if (const std::string why = not_executable(agent); !why.empty()) {
      return tl::unexpected(system_error(fmt::format("guest agent {}: {}", agent, why)));
    }
    return Resolved{*kernel, kModulesBuiltIn, std::move(agent)};
  }
  auto module_dir = find_module_dir(options);
  if (!module_dir) {
    return tl::unexpected(module_dir.error());
  }
  const std::string agent = find_agent(options);
  if (const std::string why = not_executable(agent); !why.empty()) {
    return tl::unexpected(system_error(fmt::format("guest agent {}: {}", agent, why)));
  }
  return Resolved{*kernel, *module_dir, agent};
}

/// The guest kernel as a child process leading its own process group. The group (the kernel
/// and its helper processes) is killed when this goes away unless it ended by itself.
class Guest {
 public:
  /// Starts `args` with stdin from /dev/null and stdout and stderr to `console`.
  static tl::expected<Guest, Error> start(std::vector<std::string> args, const fs::path& console);
  Guest(Guest&& other) noexcept
      : pid_(std::exchange(other.pid_, 0)), slot_(std::exchange(other.slot_, kMaxGuests)) {}
  Guest& operator=(Guest&&) = delete;
  ~Guest() { kill(); }

  /// The wait status once the kernel has exited; nothing while it runs.
  std::optional<int> poll() {
    int status = 0;
    if (pid_ > 0 && ::waitpid(pid_, &status, WNOHANG) == pid_) {
      ::kill(-pid_, SIGKILL);  // helpers, should any outlive the kernel
      release();
      return status;
    }
    return std::nullopt;
  }
  /// Kills the whole group and reaps the kernel.
  void kill() {
    if (pid_ > 0) {
      ::kill(-pid_, SIGKILL);
      int status = 0;
      while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      release();
    }
  }

 private:
  Guest(pid_t pid, std::size_t slot) : pid_(pid), slot_(slot) {}
  void release() {
    if (slot_ < kMaxGuests) {
      g_guest_groups[slot_].store(0);
    }
    pid_ = 0;
    slot_ = kMaxGuests;
  }
  pid_t pid_ = 0;
  std::size_t slot_ = kMaxGuests;
};

tl::expected<Guest, Error> Guest::start(std::vector<std::string> args, const fs::path& console) {
  std::vector<char*> argv;
  for (auto& a : args) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  const std::string console_path = console.string();
  const std::size_t slot = take_guest_slot();
  if (slot == kMaxGuests) {
    return tl::unexpected(
        system_error(fmt::format("more than {} guests at once: none started", kMaxGuests)));
  }
  checker::set_kill_hook(&kill_guest_groups);
  // Signals wait until the child leads its group and the hook knows it: a second signal in
  // between would otherwise leave the guest running.
  sigset_t stop_signals;
  sigset_t previous;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &stop_signals, &previous);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    // Should dmcheck die before the parent records the group, the guest dies with it.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::sigprocmask(SIG_SETMASK, &previous, nullptr);
    const int in = ::open("/dev/null", O_RDONLY);
    const int out = ::open(console_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    ::execv(argv[0], argv.data());
    std::fprintf(stderr, "cannot run %s: %s\n", argv[0], std::strerror(errno));
    std::_Exit(127);
  }
  const int fork_error = errno;
  if (pid > 0) {
    ::setpgid(pid, pid);
    g_guest_groups[slot].store(pid);
  }
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (pid < 0) {
    g_guest_groups[slot].store(0);
    return tl::unexpected(system_error(std::string("fork failed: ") + std::strerror(fork_error)));
  }
  return Guest(pid, slot);
}

/// What the guest wrote, bounded.
tl::expected<std::string, Error> read_observations(const fs::path& file) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (ec) {
    return std::string();  // the guest wrote nothing
  }
  if (size > kMaxGuestOutput) {
    return tl::unexpected(system_error(
        fmt::format("guest protocol error: the guest wrote {} bytes of observations, more than "
                    "the limit of {}",
                    size, kMaxGuestOutput)));
  }
  std::ifstream in(file, std::ios::binary);
  std::string text(size, '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

std::string exit_text(int status) {
  return WIFSIGNALED(status)
             ? fmt::format("the kernel process died of signal {}", WTERMSIG(status))
             : fmt::format("the kernel process exited with status {}", WEXITSTATUS(status));
}

/// How many observations the guest has written so far (its output file's complete lines).
std::size_t observations_written(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return static_cast<std::size_t>(
      std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n'));
}

/// Whether the guest's output has not grown for `stall` (0: never judged stuck) since it first
/// grew; `size` and `since` track the last growth. The boot, before the first answer, is the
/// time limit's to judge: on a loaded machine it can take longer than a stuck request does.
bool stuck(const fs::path& file, std::chrono::milliseconds stall, std::uintmax_t& size,
           std::chrono::steady_clock::time_point& since) {
  if (stall.count() == 0) {
    return false;
  }
  std::error_code ec;
  const std::uintmax_t now_size = fs::file_size(file, ec);
  const auto now = std::chrono::steady_clock::now();
  if (ec || now_size == 0) {
    since = now;
    return false;
  }
  if (now_size != size) {
    size = now_size;
    since = now;
  }
  return now - since >= stall;
}

/// Waits until the guest powers off (its wait status), an interrupt kills it (nothing), or the
/// time limit or a stall does (an error with the console's tail; a stall names the request).
tl::expected<std::optional<int>, Error> wait_for(Guest& guest, const UmlOptions& options,
                                                 const fs::path& dir,
                                                 const std::vector<json>& requests) {
  const fs::path console = dir / "console.log";
  const fs::path output = dir / "observations.jsonl";
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  std::uintmax_t size = 0;
  auto since = std::chrono::steady_clock::now();
  for (int round = 0;; ++round) {
    if (const auto status = guest.poll()) {
      return status;
    }
    if (checker::interrupt_requested()) {
      guest.kill();
      return std::nullopt;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      guest.kill();
      return tl::unexpected(system_error(
          fmt::format("the guest kernel did not power off within {} ms; killed it. Console:\n{}",
                      options.timeout.count(), tail_of(console, 20))));
    }
    if (round % 20 == 0 && stuck(output, options.stall, size, since)) {
      guest.kill();
      const std::size_t done = observations_written(output);
      return tl::unexpected(system_error(fmt::format(
          "the guest kernel answered nothing for {} ms, stuck in request {} of {} ({}); killed "
          "it. Console:\n{}",
          options.stall.count(), done + 1, requests.size(),
          done < requests.size() ? requests[done].dump() : "none", tail_of(console, 20))));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

/// Writes the requests where the guest's agent reads them, one JSON object a line.
tl::expected<void, Error> write_requests(const fs::path& dir, const std::vector<json>& requests) {
  std::ofstream out(dir / "requests.jsonl");
  for (const json& r : requests) {
    out << r.dump() << "\n";
  }
  if (!out.flush()) {
    return tl::unexpected(system_error("cannot write the requests to " + dir.string()));
  }
  return {};
}

/// The UML kernel's command line: the host's root file system, the agent as init, the console
/// on standard output, and one ubd disk per fixture; `dir` holds the requests, the
/// observations and UML's own state.
std::vector<std::string> kernel_command(const Resolved& resolved, const UmlOptions& options,
                                        const fs::path& dir) {
  // UML keeps its state (pid file, management socket) under uml_dir, ~/.uml by default.
  const fs::path uml_dir = dir / "uml";
  std::error_code ec;
  fs::create_directory(uml_dir, ec);
  std::vector<std::string> args = {resolved.kernel,
                                   "mem=" + options.memory,
                                   "rootfstype=hostfs",
                                   "rw",
                                   "init=" + resolved.agent,
                                   "con=null",
                                   "con0=null,fd:1",
                                   "uml_dir=" + uml_dir.string(),
                                   "DMCHECK_DIR=" + dir.string(),
                                   "DMCHECK_MODULES=" + resolved.module_dir};
  for (std::size_t i = 0; i < options.disks.size(); ++i) {
    args.push_back(fmt::format("ubd{}={}", i, options.disks[i]));
  }
  return args;
}

}  // namespace

tl::expected<void, Error> check_uml(const UmlOptions& options) {
  auto resolved = resolve(options);
  if (!resolved) {
    return tl::unexpected(resolved.error());
  }
  return {};
}

tl::expected<GuestRun, Error> run_in_uml(const UmlOptions& options,
                                         const std::vector<json>& requests) {
  const auto resolved = resolve(options);
  if (!resolved) {
    return tl::unexpected(resolved.error());
  }
  auto dir = TempDir::make("dmcheck-uml");
  if (!dir) {
    return tl::unexpected(dir.error());
  }
  if (auto written = write_requests(dir->path(), requests); !written) {
    return tl::unexpected(written.error());
  }
  const fs::path console = dir->path() / "console.log";
  auto guest = Guest::start(kernel_command(*resolved, options, dir->path()), console);
  if (!guest) {
    return tl::unexpected(guest.error());
  }
  const auto status = wait_for(*guest, options, dir->path(), requests);
  if (!status) {
    return tl::unexpected(status.error());
  }
  GuestRun run;
  run.interrupted = !status->has_value();
  const auto text = read_observations(dir->path() / "observations.jsonl");
  if (!text) {
    return tl::unexpected(text.error());
  }
  auto output = parse_guest_output(*text, requests);
  if (!output) {
    return tl::unexpected(output.error());
  }
  run.observations = std::move(output->observations);
  if (!output->done && !run.interrupted) {
    return tl::unexpected(system_error(fmt::format(
        "the guest stopped after {} of {} requests ({}). Console:\n{}", run.observations.size(),
        requests.size(), exit_text(**status), tail_of(console, 20))));
  }
  return run;
}

}  // namespace dmcheck::conformance
