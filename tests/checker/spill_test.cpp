// Spill files: the frontier's states and the parent links on disk, with results identical to a
// run that keeps them in memory, nothing left in the directory, and a full disk reported as a
// stop, not a crash.

#include <doctest/doctest.h>
#include <sys/resource.h>

#include <csignal>
#include <cstring>
#include <filesystem>

#include "checker/check.h"
#include "checker/spill_file.h"
#include "tests/checker/same_result.h"
#include "tests/temp_dir.h"
#include "zoo/counter_race.h"
#include "zoo/counters.h"

namespace checker = dmcheck::checker;
namespace zoo = dmcheck::zoo;
using checker::SpillFile;
using checker::StopReason;
using dmcheck::testing::check_same_result;
using dmcheck::testing::TempDir;

namespace {

constexpr std::size_t kSlot = std::size_t{1} << 20;

bool is_empty(const TempDir& dir) { return std::filesystem::is_empty(dir.path); }

/// Files written by this process may not grow past `bytes` while it lives (RLIMIT_FSIZE), as on
/// a full disk; SIGXFSZ is ignored meanwhile, so the write fails with EFBIG instead of killing.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved_) == 0);
    saved_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limited = saved_;
    limited.rlim_cur = bytes;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &limited) == 0);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, saved_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  rlimit saved_{};
  void (*saved_handler_)(int) = nullptr;
};

checker::Options spilling_to(const TempDir& dir, unsigned threads) {
  checker::Options options;
  options.spill_dir = dir.path.string();
  options.threads = threads;
  return options;
}

}  // namespace

TEST_SUITE("checker/spill") {
  TEST_CASE("a sealed chunk reads the same at the same address; slots are reused; no file seen") {
    const TempDir dir;
    auto file = SpillFile::create(dir.path.string(), kSlot);
    REQUIRE(file);
    CHECK(is_empty(dir));  // unlinked at once: nothing to leave behind
    unsigned char* a = (*file)->take();
    unsigned char* b = (*file)->take();
    std::memset(a, 0xAB, kSlot);
    std::memset(b, 0xCD, kSlot);
    CHECK((*file)->bytes() == 0);  // in memory until sealed
    (*file)->seal(a);
    CHECK((*file)->bytes() == kSlot);
    CHECK(a[0] == 0xAB);
    CHECK(a[kSlot - 1] == 0xAB);
    (*file)->give_back(a);
    CHECK((*file)->bytes() == 0);
    (*file)->seal(b);  // into the slot a left
    CHECK(b[kSlot / 2] == 0xCD);
    CHECK((*file)->peak_bytes() == kSlot);
    (*file)->give_back(b);
    CHECK((*file)->bytes() == 0);
  }

  TEST_CASE("a directory that cannot hold the file is named in the error") {
    auto file = SpillFile::create("/nonexistent/spill", kSlot);
    REQUIRE_FALSE(file);
    CHECK(file.error().kind == dmcheck::ErrorKind::system);
    CHECK(file.error().message ==
          "cannot create a spill file in /nonexistent/spill: No such file or directory");
  }

  TEST_CASE("a disk with no room for another chunk throws SpillFull, naming the directory") {
    const TempDir dir;
    auto file = SpillFile::create(dir.path.string(), kSlot);
    REQUIRE(file);
    const FileSizeLimit limit(3 * kSlot);
    for (int i = 0; i < 3; ++i) {
      (*file)->seal((*file)->take());
    }
    unsigned char* fourth = (*file)->take();
    fourth[7] = 7;
    try {
      (*file)->seal(fourth);
      FAIL("a fourth chunk fit in a file limited to three");
    } catch (const checker::SpillFull& full) {
      CHECK(std::string(full.what())
                .find("the spill file in " + dir.path.string() + " cannot grow past 3 MiB") == 0);
    }
    CHECK(fourth[7] == 7);  // still in memory, as it was
    CHECK((*file)->bytes() == 3 * kSlot);
  }

  TEST_CASE("a run that spills ends exactly as one that does not, on 1 and 2 threads") {
    const zoo::Counters model(7, 8);  // 2,097,152 states: links past one chunk
    const auto kept = checker::check(model);
    REQUIRE(kept);
    REQUIRE(kept->complete());
    CHECK(kept->stats.spill_bytes == 0);
    for (const unsigned threads : {1U, 2U}) {
      CAPTURE(threads);
      const TempDir dir;
      const auto spilled = checker::check(model, spilling_to(dir, threads));
      REQUIRE(spilled);
      check_same_result(*kept, *spilled);
      // The first million links went to disk, so memory holds less per state.
      CHECK(spilled->stats.spill_bytes >= checker::ParentLinks::kChunkBytes);
      CHECK(spilled->stats.bytes_per_state < kept->stats.bytes_per_state - 2);
      CHECK(is_empty(dir));
    }
  }

  TEST_CASE("a violation found while spilling keeps its shortest counterexample") {
    const zoo::CounterRace model(99, 3'000'000);
    checker::Options options;
    options.stop_at_first_violation = true;
    const auto kept = checker::check(model, options);
    REQUIRE(kept);
    const TempDir dir;
    options.spill_dir = dir.path.string();
    const auto spilled = checker::check(model, options);
    REQUIRE(spilled);
    check_same_result(*kept, *spilled);
    REQUIRE(spilled->properties[0].trace);
    CHECK(spilled->properties[0].trace->length() == model.shortest_violation());
  }

  TEST_CASE("a full disk stops the run with what it found, its verdicts unknown") {
    const zoo::Counters model(8, 8);  // 16,777,216 states, levels of many chunks
    const TempDir dir;
    const FileSizeLimit limit(kSlot);
    const auto run = checker::check(model, spilling_to(dir, 2));
    REQUIRE(run);
    CHECK(run->stop == StopReason::spill_full);
    CHECK(checker::to_string(run->stop) == "spill disk full");
    CHECK(run->stats.states > 0);
    CHECK(run->stats.states < 16'777'216);
    for (const auto& p : run->properties) {
      CAPTURE(p.name);
      CHECK(p.verdict == checker::Verdict::unknown);
    }
  }

  TEST_CASE("only breadth-first search spills") {
    const zoo::Counters model(3, 3);
    const TempDir dir;
    checker::Options options = spilling_to(dir, 1);
    options.strategy = checker::Strategy::dfs;
    const auto run = checker::check(model, options);
    REQUIRE_FALSE(run);
    CHECK(run.error().message ==
          "spill files are kept by the breadth-first strategy only, not by dfs");
  }
}
