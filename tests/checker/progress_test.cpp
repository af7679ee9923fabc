#include "checker/progress.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <string>

using dmcheck::checker::ProgressMode;
using dmcheck::checker::ProgressReporter;

namespace {

std::string contents(std::FILE* file) {
  std::rewind(file);
  std::string text;
  for (int c = std::fgetc(file); c != EOF; c = std::fgetc(file)) {
    text += static_cast<char>(c);
  }
  return text;
}

}  // namespace

TEST_SUITE("checker/progress") {
  TEST_CASE("when asked, a line appears after two seconds and then once a second") {
    std::FILE* out = std::tmpfile();
    REQUIRE(out != nullptr);
    const auto start = std::chrono::steady_clock::now();
    {
      ProgressReporter progress(ProgressMode::always, out);
      progress.update(start + std::chrono::milliseconds(1500), {10, 20, 3, 4, 1 << 20});
      CHECK(contents(out).empty());
      progress.update(start + std::chrono::milliseconds(2500), {1000, 2000, 7, 40, 3 << 20});
      progress.update(start + std::chrono::milliseconds(2700), {1100, 2200, 7, 40, 3 << 20});
      progress.update(start + std::chrono::milliseconds(3600), {2000, 4000, 8, 50, 3 << 20});
    }
    const std::string text = contents(out);
    CHECK(text.find("1000 states") != std::string::npos);
    CHECK(text.find("1100 states") == std::string::npos);  // within a second of the last line
    CHECK(text.find("2000 states") != std::string::npos);
    CHECK(text.find("depth 8") != std::string::npos);
    std::fclose(out);
  }

  TEST_CASE("a resumed run's lines count the time before the stop, as its statistics do") {
    std::FILE* out = std::tmpfile();
    REQUIRE(out != nullptr);
    const auto start = std::chrono::steady_clock::now();
    {
      ProgressReporter progress(ProgressMode::always, out);
      progress.count_earlier(100);
      progress.update(start + std::chrono::milliseconds(2500), {1025, 2000, 7, 40, 3 << 20});
    }
    const std::string text = contents(out);
    CHECK(text.find("dmcheck: 102s  1025 states") == 0);
    CHECK(text.find("  10 states/s") != std::string::npos);
    std::fclose(out);
  }

  TEST_CASE("automatic mode stays quiet when the output is not a terminal") {
    std::FILE* out = std::tmpfile();
    REQUIRE(out != nullptr);
    {
      ProgressReporter progress(ProgressMode::automatic, out);
      progress.update(std::chrono::steady_clock::now() + std::chrono::seconds(10), {1, 1, 1, 1, 1});
    }
    CHECK(contents(out).empty());
    std::fclose(out);
  }

  TEST_CASE("a progress line that cannot be written does not stop the run") {
    std::FILE* full = std::fopen("/dev/full", "w");
    if (full == nullptr) {
      return;  // no /dev/full here
    }
    std::setvbuf(full, nullptr, _IONBF, 0);  // every write fails at once, as on a closed stderr
    {
      ProgressReporter progress(ProgressMode::always, full);
      CHECK_NOTHROW(progress.update(std::chrono::steady_clock::now() + std::chrono::seconds(10),
                                    {1, 1, 1, 1, 1}));
    }
    std::fclose(full);
  }
}
