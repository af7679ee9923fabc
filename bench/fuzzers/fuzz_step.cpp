// libFuzzer target: the step parser (model::parse_step).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bench/fuzzers/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The answer is discarded: an error is a correct answer; only crashes are findings.
  (void)dmcheck::fuzz::run_step(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
