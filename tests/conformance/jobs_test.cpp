/// Conformance on several guests at once reports what one guest reports; the kernels
/// conformance knows are chosen by version.

#include <doctest/doctest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "conformance/conform.h"
#include "conformance/generate.h"
#include "conformance/kernels.h"
#include "conformance/universe.h"

namespace conformance = dmcheck::conformance;
namespace model = dmcheck::model;

namespace {

/// Sets an environment variable for one scope, restoring what was there.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) {
      old_ = old;
    }
    ::setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

/// Everything a report says about its traces, in order, without timings.
std::string summary(const conformance::ConformReport& r) {
  std::string out = std::to_string(r.traces) + " traces, " + std::to_string(r.steps) + " steps\n";
  for (const auto& record : r.records) {
    out += record.trace.name + (record.divergence ? " DIVERGED\n" : "\n");
    for (const auto& step : record.steps) {
      out += "  " + step.call + " | " + step.model + " | " + step.kernel + " | " +
             step.devices_kernel + "\n";
    }
  }
  for (const auto& [kind, count] : r.per_step) {
    out += kind + " " + std::to_string(count) + "\n";
  }
  for (const auto& [err, count] : r.per_errno) {
    out += err + " " + std::to_string(count) + "\n";
  }
  return out;
}

}  // namespace

TEST_SUITE("conformance/jobs") {
  TEST_CASE("two guests at once report exactly what one guest reports") {
    const model::Config config = conformance::universe();
    const auto generated = conformance::generate_random(config, conformance::alphabet(), 24, 8, 11);
    REQUIRE(generated);
    conformance::ConformOptions options;
    options.uml.agent = DMCHECK_AGENT;
    options.traces_per_boot = 5;  // several boots, so that both guests have work
    const auto one = conformance::conform(config, generated->traces, options);
    options.jobs = 2;
    const auto two = conformance::conform(config, generated->traces, options);
    REQUIRE(one);
    REQUIRE(two);
    CHECK(one->traces == 24);
    CHECK(one->boots == 5);
    CHECK(two->boots == 5);
    CHECK(one->diverged().empty());
    CHECK(summary(*one) == summary(*two));
  }

  TEST_CASE("a version names its kernel and the model's base that predicts it") {
    const ScopedEnv cache("DMCHECK_KERNEL_CACHE", "/nonexistent/kernels");
    const auto old = conformance::choose_kernel("6.1", std::nullopt);
    REQUIRE(old);
    CHECK(old->base == model::Base::v6_1);
    CHECK(old->uml.kernel == "linux.uml");
    CHECK_FALSE(old->uml.modules_built_in);
    const auto built = conformance::choose_kernel("6.12", std::nullopt);
    REQUIRE(built);
    CHECK(built->base == model::Base::v6_12);
    CHECK(built->uml.kernel == "/nonexistent/kernels/uml-6.12/linux");
    CHECK(built->uml.modules_built_in);
    const auto other = conformance::choose_kernel("6.12", std::string("/opt/linux"));
    REQUIRE(other);
    CHECK(other->uml.kernel == "/opt/linux");
    CHECK_FALSE(other->uml.modules_built_in);  // the guest finds out
    CHECK(other->base == model::Base::v6_12);
  }

  TEST_CASE("an unknown version is refused naming the known ones") {
    const auto refused = conformance::choose_kernel("5.4", std::nullopt);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().kind == dmcheck::ErrorKind::bad_input);
    CHECK(refused.error().message ==
          "--kernel-version 5.4: not a kernel conformance knows (known: 6.1, 6.12)");
  }

  TEST_CASE("a 6.12 kernel not built yet is named with how to build it") {
    const ScopedEnv cache("DMCHECK_KERNEL_CACHE", "/nonexistent/kernels");
    auto choice = conformance::choose_kernel("6.12", std::nullopt);
    REQUIRE(choice);
    choice->uml.agent = DMCHECK_AGENT;
    const auto ready = conformance::check_uml(choice->uml);
    REQUIRE_FALSE(ready);
    CHECK(ready.error().message ==
          "kernel /nonexistent/kernels/uml-6.12/linux: No such file or directory "
          "(scripts/build-kernel builds it)");
  }
}
