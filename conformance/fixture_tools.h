#pragma once
/// The host tools the fixtures are built with: veritysetup for a verity hash tree, mkfs.ext4 for
/// a probe filesystem, openssl to sign an IPE policy. Each failure is an Error naming the tool,
/// its status and its output.

#include <cstdint>
#include <string>
#include <tl/expected.hpp>

#include "checker/error.h"

namespace dmcheck::conformance {

/// Runs veritysetup format over the first `blocks` data blocks of `block_bytes` of `data` into
/// `hash` (4 KiB hash blocks), with `salt` (one byte), and returns the root hash it printed (hex).
tl::expected<std::string, Error> verity_format(const std::string& data, const std::string& hash,
                                               std::uint64_t block_bytes, std::uint64_t blocks,
                                               std::uint8_t salt);

/// Writes an ext4 filesystem of `bytes` bytes into `image` (created), labelled `label`, holding
/// one file, `probe`, made in `dir` (a scratch folder it creates and removes). The same
/// arguments give the same bytes.
tl::expected<void, Error> make_probe_filesystem(const std::string& image, std::uint64_t bytes,
                                                const std::string& label, const std::string& dir);

/// Signs `text` with `key` and `certificate` (PEM) as IPE wants a policy: PKCS#7, DER, the text
/// attached, no signed attributes; writes it to `out`.
tl::expected<void, Error> sign_policy(const std::string& text, const std::string& key,
                                      const std::string& certificate, const std::string& out);

}  // namespace dmcheck::conformance
