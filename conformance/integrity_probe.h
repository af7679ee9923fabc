#pragma once
/// The guest side of observing dm-verity's integrity metadata (docs/conformance.md,
/// "Integrity"). IPE keeps, per block device, the root hash verity handed it in preresume; a
/// policy that denies executing from each of the fixtures' root hashes makes it visible: an
/// executable mapping of a file on the device is refused (EACCES) exactly when IPE holds one of
/// them, and the audit record of the refusal names the rule, hence the hash.
///
/// The probe filesystem (Fixtures) of a verity device is mounted read-only and its file held
/// open, so that later probes need no I/O: they work on a suspended device and after the live
/// table has changed to one that is not verity. A mount opens the device, which the agent takes
/// out of every open count it reports, and claims it, so the host has the agent let go of a
/// mount before any call that the mount would change (a remove, a table stacked on it).
///
/// Also failslab, aimed by a stack filter at IPE's setintegrity hook, so that one chosen
/// allocation of the hook fails during one chosen call.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace dmcheck::conformance {

class IntegrityProbe {
 public:
  IntegrityProbe() = default;
  IntegrityProbe(const IntegrityProbe&) = delete;
  IntegrityProbe& operator=(const IntegrityProbe&) = delete;
  ~IntegrityProbe();

  /// Loads and activates the signed probe policy ("policy": a host path, "policy_name"), reads
  /// the root hashes it names ("root_hashes": hex -> model id), opens the kernel log and sets
  /// failslab's fixed knobs ("hook": [first address, next symbol's]). Returns {"errno"} and,
  /// when something failed, "agent_error".
  nlohmann::json setup(const nlohmann::json& request);
  [[nodiscard]] bool enabled() const { return enabled_; }

  /// Mounts the probe filesystem of device `dev` (the kernel's encoding) through a node made in
  /// `node_dir`, and holds its file open. Returns why it could not, or "".
  std::string mount(std::uint64_t dev, const std::string& node_dir);
  /// Lets go of the device's mount (nothing when there is none). Returns why it failed, or "".
  std::string release(std::uint64_t dev);
  /// Lets go of every mount. Returns the first failure, or "".
  std::string release_all();
  [[nodiscard]] bool holds(std::uint64_t dev) const { return mounts_.contains(dev); }

  /// What IPE holds for a mounted device: {"root_hash": model id, 0 for none} or, for a hash the
  /// fixtures did not make, {"root_hash_hex"}; {"probe_error"} when the probe itself failed.
  nlohmann::json observe(std::uint64_t dev);

  /// Arms failslab so that allocation `allocation` (1-based) of the hook fails, once. Returns
  /// why it could not, or "".
  std::string arm(int allocation);
  /// Disarms failslab; true when the armed failure happened.
  bool disarm();

 private:
  struct Mount {
    std::string dir;
    int fd = -1;
  };
  /// The root hash named by the audit record of the refusal of `dir`'s probe, or "" (`last`:
  /// the last kernel message read, for the reason).
  std::string refused_hash(const std::string& dir, std::string& last);

  bool enabled_ = false;
  std::map<std::uint64_t, Mount> mounts_;
  std::map<std::string, int> root_hashes_;
  int kmsg_ = -1;
  /// failslab's count of matching allocations, which the kernel keeps but does not show.
  std::uint64_t failslab_count_ = 0;
  std::uint64_t failslab_interval_ = 1;
};

}  // namespace dmcheck::conformance
