#include "checker/checkpoint.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "checker/fingerprint.h"
#include "checker/interrupt.h"

namespace dmcheck::checker {

namespace {

constexpr char kMagic[] = "dmcheck-checkpoint\n";
constexpr std::uint32_t kVersion = 1;
/// Read back in another byte order, this reads as another number.
constexpr std::uint32_t kByteOrder = 0x01020304;
constexpr std::size_t kBuffer = std::size_t{1} << 20;
/// The longest property name or text a checkpoint holds.
constexpr std::uint32_t kMaxText = 1U << 20;

std::string partial_path(const std::string& path) { return path + ".partial"; }

Error system_error(const std::string& message) {
  return Error{ErrorKind::system, message, std::nullopt};
}

// A second signal kills the process at once (interrupt.h): the partial file of a checkpoint
// being written then goes too, and whatever hook was set before runs after.
char g_partial[4096];
std::atomic<KillHook> g_hook_before{nullptr};

void remove_partial() noexcept {
  ::unlink(g_partial);
  if (const KillHook before = g_hook_before.load()) {
    before();
  }
}

void guard_partial(const std::string& partial) {
  if (partial.size() < sizeof g_partial) {
    std::memcpy(g_partial, partial.c_str(), partial.size() + 1);
    g_hook_before.store(set_kill_hook(&remove_partial));
  }
}

void unguard_partial() {
  if (g_partial[0] != '\0') {
    set_kill_hook(g_hook_before.exchange(nullptr));
    g_partial[0] = '\0';
  }
}

}  // namespace

struct CheckpointWriter::Hash {
  XXH3_state_t state;
};

// --- writing ---

tl::expected<CheckpointWriter, Error> CheckpointWriter::create(const std::string& path) {
  std::FILE* file = std::fopen(partial_path(path).c_str(), "wb");
  if (!file) {
    return tl::unexpected(system_error(
        fmt::format("cannot write checkpoint {}: {}", partial_path(path), std::strerror(errno))));
  }
  guard_partial(partial_path(path));
  return CheckpointWriter(path, file);
}

CheckpointWriter::CheckpointWriter(std::string path, std::FILE* file)
    : path_(std::move(path)), file_(file), hash_(new Hash) {
  std::setvbuf(file_, nullptr, _IOFBF, kBuffer);
  XXH3_64bits_reset(&hash_->state);
  bytes(kMagic, sizeof kMagic - 1);
  u32(kVersion);
  u32(kByteOrder);
}

CheckpointWriter::CheckpointWriter(CheckpointWriter&& other) noexcept
    : path_(std::move(other.path_)),
      file_(std::exchange(other.file_, nullptr)),
      hash_(std::exchange(other.hash_, nullptr)),
      failed_(other.failed_) {}

CheckpointWriter::~CheckpointWriter() {
  if (file_) {
    std::fclose(file_);
    std::remove(partial_path(path_).c_str());
  }
  if (hash_) {  // not moved from
    unguard_partial();
  }
  delete hash_;
}

void CheckpointWriter::text(const std::string& v) {
  u32(static_cast<std::uint32_t>(v.size()));
  bytes(v.data(), v.size());
}

void CheckpointWriter::bytes(const void* data, std::size_t size) {
  XXH3_64bits_update(&hash_->state, data, size);
  if (std::fwrite(data, 1, size, file_) != size) {
    failed_ = true;
  }
}

Error CheckpointWriter::failure(const std::string& what) const {
  return system_error(fmt::format("cannot write checkpoint {}: {} failed: {}", partial_path(path_),
                                  what, std::strerror(errno)));
}

tl::expected<void, Error> CheckpointWriter::commit() {
  const std::uint64_t sum = XXH3_64bits_digest(&hash_->state);
  if (std::fwrite(&sum, 1, sizeof sum, file_) != sizeof sum || failed_) {
    return tl::unexpected(failure("writing"));
  }
  if (std::fflush(file_) != 0) {
    return tl::unexpected(failure("writing"));
  }
  if (::fsync(::fileno(file_)) != 0) {
    return tl::unexpected(failure("fsync"));
  }
  const int closed = std::fclose(std::exchange(file_, nullptr));
  if (closed != 0 || std::rename(partial_path(path_).c_str(), path_.c_str()) != 0) {
    const Error error = failure(closed != 0 ? "closing" : "renaming it to " + path_);
    std::remove(partial_path(path_).c_str());
    return tl::unexpected(error);
  }
  return {};
}

// --- reading ---

tl::expected<CheckpointReader, Error> CheckpointReader::open(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) {
    return tl::unexpected(Error{
        ErrorKind::bad_input,
        fmt::format("cannot read checkpoint {}: {}", path, std::strerror(errno)), std::nullopt});
  }
  struct stat st {};
  if (::fstat(::fileno(file), &st) != 0 || !S_ISREG(st.st_mode)) {
    std::fclose(file);
    return tl::unexpected(Error{ErrorKind::bad_input,
                                fmt::format("cannot read checkpoint {}: not a regular file", path),
                                std::nullopt});
  }
  CheckpointReader reader(path, file, static_cast<std::uint64_t>(st.st_size));
  char magic[sizeof kMagic - 1] = {};
  reader.bytes(magic, sizeof magic);
  if (reader.short_ || std::memcmp(magic, kMagic, sizeof magic) != 0) {
    return tl::unexpected(Error{ErrorKind::bad_input,
                                fmt::format("{} is not a dmcheck checkpoint", path), std::nullopt});
  }
  const std::uint32_t version = reader.u32();
  const std::uint32_t order = reader.u32();
  if (version != kVersion || order != kByteOrder) {
    return tl::unexpected(Error{
        ErrorKind::bad_input,
        fmt::format("checkpoint {} was written by another version of dmcheck or on a machine of "
                    "another byte order (format {}, this one reads {})",
                    path, version, kVersion),
        std::nullopt});
  }
  if (auto whole = reader.verify_checksum(); !whole) {
    return tl::unexpected(std::move(whole.error()));
  }
  return reader;
}

tl::expected<void, Error> CheckpointReader::verify_checksum() {
  // The whole file first, so that nothing is taken from a damaged one.
  const long at = std::ftell(file_);
  std::vector<unsigned char> block(kBuffer);
  XXH3_state_t hash;
  XXH3_64bits_reset(&hash);
  XXH3_64bits_update(&hash, kMagic, sizeof kMagic - 1);
  XXH3_64bits_update(&hash, &kVersion, sizeof kVersion);
  XXH3_64bits_update(&hash, &kByteOrder, sizeof kByteOrder);
  std::uint64_t left = remaining();
  while (left > 0) {
    if (auto going_on = not_interrupted(); !going_on) {
      return going_on;
    }
    const std::size_t n =
        std::fread(block.data(), 1, std::min<std::uint64_t>(left, kBuffer), file_);
    if (n == 0) {
      return tl::unexpected(damaged("it ends early"));
    }
    XXH3_64bits_update(&hash, block.data(), n);
    left -= n;
  }
  std::uint64_t sum = 0;
  if (std::fread(&sum, 1, sizeof sum, file_) != sizeof sum || sum != XXH3_64bits_digest(&hash)) {
    return tl::unexpected(damaged("the checksum does not match"));
  }
  std::fseek(file_, at, SEEK_SET);
  return {};
}

CheckpointReader::CheckpointReader(std::string path, std::FILE* file, std::uint64_t size)
    : path_(std::move(path)), file_(file), size_(size) {
  std::setvbuf(file_, nullptr, _IOFBF, kBuffer);
}

CheckpointReader::CheckpointReader(CheckpointReader&& other) noexcept
    : path_(std::move(other.path_)),
      file_(std::exchange(other.file_, nullptr)),
      size_(other.size_),
      read_(other.read_),
      short_(other.short_) {}

CheckpointReader::~CheckpointReader() {
  if (file_) {
    std::fclose(file_);
  }
}

void CheckpointReader::bytes(void* data, std::size_t size) {
  if (short_ || size > remaining()) {
    short_ = true;
    std::memset(data, 0, size);
    return;
  }
  if (std::fread(data, 1, size, file_) != size) {
    short_ = true;
    std::memset(data, 0, size);
    return;
  }
  read_ += size;
}

std::uint8_t CheckpointReader::u8() {
  std::uint8_t v = 0;
  bytes(&v, sizeof v);
  return v;
}
std::uint32_t CheckpointReader::u32() {
  std::uint32_t v = 0;
  bytes(&v, sizeof v);
  return v;
}
std::uint64_t CheckpointReader::u64() {
  std::uint64_t v = 0;
  bytes(&v, sizeof v);
  return v;
}
double CheckpointReader::f64() {
  double v = 0;
  bytes(&v, sizeof v);
  return v;
}

std::string CheckpointReader::text() {
  const std::uint32_t size = u32();
  if (size > kMaxText || !fits(size, 1)) {
    short_ = true;
    return {};
  }
  std::string v(size, '\0');
  bytes(v.data(), size);
  return v;
}

std::uint64_t CheckpointReader::remaining() const {
  const std::uint64_t body = size_ >= sizeof(std::uint64_t) ? size_ - sizeof(std::uint64_t) : 0;
  return body > read_ ? body - read_ : 0;
}

Error CheckpointReader::damaged(const std::string& what) const {
  return Error{ErrorKind::bad_input,
               fmt::format("checkpoint {} is damaged or truncated ({})", path_, what),
               std::nullopt};
}

tl::expected<void, Error> CheckpointReader::not_interrupted() const {
  if (!interrupt_requested()) {
    return {};
  }
  return tl::unexpected(
      Error{ErrorKind::system,
            fmt::format("interrupted while reading checkpoint {}: the run did not start", path_),
            std::nullopt});
}

tl::expected<void, Error> CheckpointReader::finish() {
  if (short_) {
    return tl::unexpected(damaged("it ends early"));
  }
  if (remaining() != 0) {
    return tl::unexpected(damaged("bytes left over"));
  }
  return {};
}

// --- the summary ---

void write_summary(CheckpointWriter& out, const CheckpointSummary& s) {
  out.u64(s.identity);
  out.u32(s.state_size);
  out.u8(s.max_depth.has_value());
  out.u32(s.max_depth.value_or(0));
  out.u8(s.check_deadlock);
  out.u8(s.stop_at_first_violation);
  out.u8(static_cast<std::uint8_t>(s.reduction));
  out.u32(static_cast<std::uint32_t>(s.properties.size()));
  for (std::size_t i = 0; i < s.properties.size(); ++i) {
    out.text(s.properties[i]);
    out.u8(s.found.hits[i].has_value());
    out.u32(s.found.hits[i].value_or(0));
    out.u8(s.found.premise_seen[i]);
  }
  out.u8(s.found.deadlock.has_value());
  out.u32(s.found.deadlock.value_or(0));
  out.u32(s.depth);
  out.u64(s.transitions);
  out.u32(s.max_depth_seen);
  out.u64(s.peak_frontier);
  out.f64(s.seconds);
}

tl::expected<CheckpointSummary, Error> read_summary(CheckpointReader& in) {
  CheckpointSummary s;
  s.identity = in.u64();
  s.state_size = in.u32();
  const bool bounded = in.u8() != 0;
  const std::uint32_t bound = in.u32();
  if (bounded) {
    s.max_depth = bound;
  }
  s.check_deadlock = in.u8() != 0;
  s.stop_at_first_violation = in.u8() != 0;
  const std::uint8_t reduction = in.u8();
  if (reduction > static_cast<std::uint8_t>(Reduction::all)) {
    return tl::unexpected(in.damaged("an unknown reduction"));
  }
  s.reduction = static_cast<Reduction>(reduction);
  const std::uint32_t properties = in.u32();
  if (!in.fits(properties, 14)) {  // a name's length, a hit and a premise take 14 bytes at least
    return tl::unexpected(in.damaged("the number of properties"));
  }
  for (std::uint32_t i = 0; i < properties; ++i) {
    s.properties.push_back(in.text());
    const bool hit = in.u8() != 0;
    const std::uint32_t id = in.u32();
    s.found.hits.push_back(hit ? std::optional(id) : std::nullopt);
    s.found.premise_seen.push_back(in.u8() != 0);
  }
  const bool deadlock = in.u8() != 0;
  const std::uint32_t deadlock_id = in.u32();
  if (deadlock) {
    s.found.deadlock = deadlock_id;
  }
  s.depth = in.u32();
  s.transitions = in.u64();
  s.max_depth_seen = in.u32();
  s.peak_frontier = in.u64();
  s.seconds = in.f64();
  return s;
}

std::string resume_mismatch(const CheckpointSummary& saved, const CheckpointSummary& current) {
  const auto depth = [](const std::optional<std::uint32_t>& d) {
    return d ? std::to_string(*d) : std::string("none");
  };
  if (saved.identity != current.identity || saved.state_size != current.state_size ||
      saved.properties != current.properties) {
    return "it is a checkpoint of another run (another scenario, variant, property list or "
           "build of the model)";
  }
  if (saved.max_depth != current.max_depth) {
    return fmt::format("it was written with depth bound {}, this run has {}",
                       depth(saved.max_depth), depth(current.max_depth));
  }
  if (saved.check_deadlock != current.check_deadlock) {
    return fmt::format("it was written {} the deadlock check, this run is {} it",
                       saved.check_deadlock ? "with" : "without",
                       current.check_deadlock ? "with" : "without");
  }
  if (saved.stop_at_first_violation != current.stop_at_first_violation) {
    return "it was written with a different --stop-at-first";
  }
  if (saved.reduction != current.reduction) {
    return fmt::format("it was written with --reduction {}, this run has --reduction {}",
                       to_string(saved.reduction), to_string(current.reduction));
  }
  return {};
}

std::uint64_t run_identity(const std::string& caller_identity, std::uint32_t state_size,
                           const std::vector<std::uint64_t>& initial_fingerprints,
                           const std::vector<std::string>& properties) {
  Fingerprint h = fingerprint_bytes(caller_identity.data(), caller_identity.size());
  h = fingerprint_bytes(&state_size, sizeof state_size, h);
  for (const std::uint64_t fp : initial_fingerprints) {
    h = fingerprint_bytes(&fp, sizeof fp, h);
  }
  for (const std::string& name : properties) {
    h = fingerprint_bytes(name.data(), name.size(), h);
  }
  return h;
}

}  // namespace dmcheck::checker
