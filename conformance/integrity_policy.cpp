#include "conformance/integrity_policy.h"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "conformance/fixture_tools.h"

namespace dmcheck::conformance {

using nlohmann::json;

namespace {

constexpr const char* kKeyFile = "ipe-probe-key.pem";
constexpr const char* kCertificateFile = "ipe-probe-cert.pem";
constexpr const char* kHookFile = "failslab-range";

}  // namespace

std::optional<ProbeKernel> probe_kernel(const std::string& kernel) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path real = fs::canonical(kernel, ec);
  if (ec) {
    return std::nullopt;  // a bare name on PATH (Debian's linux.uml) has no probe files
  }
  const fs::path dir = real.parent_path();
  ProbeKernel out{(dir / kKeyFile).string(), (dir / kCertificateFile).string(), "", ""};
  std::ifstream(dir / kHookFile) >> out.hook_start >> out.hook_end;
  if (::access(out.key.c_str(), R_OK) != 0 || ::access(out.certificate.c_str(), R_OK) != 0 ||
      !out.hook_start.starts_with("0x") || !out.hook_end.starts_with("0x")) {
    return std::nullopt;
  }
  return out;
}

std::string probe_policy(const Fixtures& fixtures) {
  std::string text =
      fmt::format("policy_name={} policy_version=0.0.1\nDEFAULT action=ALLOW\n", kProbePolicyName);
  for (const auto& [hex, id] : fixtures.root_hashes()) {
    text += fmt::format("op=EXECUTE dmverity_roothash=sha256:{} action=DENY\n", hex);
  }
  return text;
}

tl::expected<json, Error> integrity_request(const Fixtures& fixtures, const ProbeKernel& kernel,
                                            const std::string& dir) {
  const std::string policy = dir + "/ipe-probe-policy.p7s";
  if (auto signed_ = sign_policy(probe_policy(fixtures), kernel.key, kernel.certificate, policy);
      !signed_) {
    return tl::unexpected(signed_.error());
  }
  json hashes = json::object();
  for (const auto& [hex, id] : fixtures.root_hashes()) {
    hashes[hex] = id;
  }
  return json{{"op", "integrity"},     {"call", "integrity probe setup"},
              {"policy", policy},      {"policy_name", kProbePolicyName},
              {"root_hashes", hashes}, {"hook", {kernel.hook_start, kernel.hook_end}}};
}

}  // namespace dmcheck::conformance
