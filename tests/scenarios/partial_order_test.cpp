#include <doctest/doctest.h>
#include <fmt/format.h>

#include <array>
#include <cstring>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "checker/check.h"
#include "checker/replay.h"
#include "model/dm_model.h"
#include "scenarios/loader.h"
#include "scenarios/run.h"

#ifndef DMCHECK_SOURCE_DIR
#error "DMCHECK_SOURCE_DIR must name the source tree"
#endif

namespace checker = dmcheck::checker;
namespace model = dmcheck::model;
namespace scenarios = dmcheck::scenarios;

namespace {

/// Disks, one linear table onto each, and a zero table: what every scenario here starts with.
std::string base(int disks) {
  std::string out = "variant = \"6.1\"\n";
  for (int i = 0; i < disks; ++i) {
    out += fmt::format(
        "[[disks]]\nname = \"disk{0}\"\nsize = 2\n[[tables]]\nname = \"lin{0}\"\n"
        "targets = [{{ type = \"linear\", onto = \"disk{0}\", length = 2 }}]\n",
        i);
  }
  return out + "[[tables]]\nname = \"zero\"\ntargets = [{ type = \"zero\", length = 2 }]\n";
}

/// `owners` processes, each creating, using and removing a device of its own.
std::string owners(int count, const std::string& extra) {
  std::string out = base(count);
  for (int i = 0; i < count; ++i) {
    out += fmt::format(
        "[[processes]]\nname = \"owner{0}\"\nsteps = [\"create d{0} --table lin{0}\", "
        "\"open d{0}\", \"read d{0}\", \"suspend d{0}\", \"load d{0} zero\", \"resume d{0}\", "
        "\"close d{0}\", \"remove d{0} --deferred\"]\n",
        i);
  }
  return out + extra;
}

scenarios::ScenarioRun run(const scenarios::Scenario& scenario, checker::Reduction reduction) {
  scenarios::RunSettings settings;
  settings.options.reduction = reduction;
  auto done = scenarios::run_scenario(scenario, settings);
  REQUIRE(done);
  return std::move(*done);
}

/// The reduced run decides every property as the full one, and its outcome is the same.
void same_verdicts(const scenarios::ScenarioRun& reduced, const scenarios::ScenarioRun& full) {
  CHECK(reduced.report.outcome() == full.report.outcome());
  REQUIRE(reduced.report.properties.size() == full.report.properties.size());
  for (std::size_t i = 0; i < full.report.properties.size(); ++i) {
    CAPTURE(full.report.properties[i].name);
    CHECK(reduced.report.properties[i].verdict == full.report.properties[i].verdict);
    CHECK(reduced.report.properties[i].has_trace() == full.report.properties[i].has_trace());
  }
}

struct Compared {
  scenarios::ScenarioRun reduced;
  scenarios::ScenarioRun full;
};

void traces_replay(const std::string& text);

/// The scenario `text` run with and without the reduction, with the same verdicts and traces
/// of the reduced run that replay.
Compared compared(const std::string& text) {
  const auto scenario =
      scenarios::parse_scenario(text, "generated.toml", scenarios::Expectations::optional);
  REQUIRE(scenario);
  Compared out{run(*scenario, checker::Reduction::por), run(*scenario, checker::Reduction::none)};
  same_verdicts(out.reduced, out.full);
  traces_replay(text);
  return out;
}

std::optional<checker::Verdict> verdict_of(const scenarios::ScenarioRun& run,
                                           const std::string& name) {
  for (const auto& property : run.report.properties) {
    if (property.name == name) {
      return property.verdict;
    }
  }
  return std::nullopt;
}

/// Every trace of a partial-order run of `text` is the model's own: replayed by successor
/// numbers from its initial state, it passes through the same states.
void traces_replay(const std::string& text) {
  const auto scenario =
      scenarios::parse_scenario(text, "generated.toml", scenarios::Expectations::optional);
  REQUIRE(scenario);
  const auto built = model::DmModel::build(scenario->config);
  REQUIRE(built);
  checker::Options options;
  options.reduction = checker::Reduction::por;
  const auto result = checker::check(*built, options);
  REQUIRE(result);
  for (const auto& property : result->properties) {
    if (!property.trace) {
      continue;
    }
    checker::Path path;
    path.initial = property.trace->initial;
    path.actions = property.trace->successors;
    const auto again = checker::replay(*built, path);
    REQUIRE(again);
    REQUIRE(again->states.size() == property.trace->states.size());
    for (std::size_t i = 0; i < again->states.size(); ++i) {
      CHECK(std::memcmp(&again->states[i], &property.trace->states[i], sizeof(model::State)) == 0);
    }
  }
}

/// A random scenario: two or three processes on devices a, b, c, each mostly on one device of
/// its own, some initial devices, the prober and the worker on or off, and properties that
/// relate devices and processes (counts, comparisons) as well as read one.
class Generator {
 public:
  explicit Generator(std::uint32_t seed) : random_(seed) {}

  std::string scenario() {
    std::string devices;
    for (int d = 0; d < 3; ++d) {
      if (pick(3) == 0) {
        devices += fmt::format("[[devices]]\nname = \"{}\"\ntable = \"lin{}\"\n", kNames[d], d);
        declared_[d] = true;
      }
    }
    std::string processes;
    const int count = 2 + pick(2);
    for (int p = 0; p < count; ++p) {
      processes += fmt::format("[[processes]]\nname = \"p{}\"\nsteps = [{}]\n", p, program(p));
    }
    // Names no device or create declares are declared absent.
    std::string absent;
    for (int d = 0; d < 3; ++d) {
      if (used_[d] && !declared_[d]) {
        absent += fmt::format("{}\"{}\"", absent.empty() ? "" : ", ", kNames[d]);
      }
    }
    std::string out = (absent.empty() ? "" : "names = [" + absent + "]\n") + base(3) + devices;
    out += processes;
    out += fmt::format("[actors]\nworker = {}\nprober = {}\n", pick(2) == 0, pick(3) == 0);
    return out + properties();
  }

 private:
  static constexpr const char* kNames[] = {"a", "b", "c"};

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(random_); }

  /// A call of process's program on device `d`; reads and closes come after an open of it.
  std::string call(int d, std::array<bool, 3>& opened) {
    const std::string name = kNames[d];
    used_[d] = true;
    const int which = pick(10);
    if ((which == 2 || which == 3) && !opened[d]) {
      opened[d] = true;
      return "open " + name;
    }
    switch (which) {
      case 0:
        declared_[d] = true;
        return fmt::format("create {} --table lin{}", name, d);
      case 1:
        opened[d] = true;
        return "open " + name;
      case 2:
        return "close " + name;
      case 3:
        return "read " + name;
      case 4:
        return "suspend " + name;
      case 5:
        return "resume " + name;
      case 6:
        return "load " + name + " zero";
      case 7:
        return "remove " + name;
      case 8:
        return "remove " + name + " --deferred";
      default:
        return "info " + name;
    }
  }

  std::string program(int p) {
    const int home = p % 3;
    const int length = 2 + pick(4);
    std::array<bool, 3> opened{};
    std::string out;
    for (int i = 0; i < length; ++i) {
      const int d = pick(5) == 0 ? pick(3) : home;
      out += (i == 0 ? "\"" : ", \"") + call(d, opened) + "\"";
    }
    return out;
  }

  std::string properties() {
    const char* kinds[] = {
        "always = \"count(d in devices: d.suspended) <= 1\"",
        "always = \"forall d in devices: d.open_count <= 1\"",
        "sometimes = \"count(d in devices: d.open_count > 0) == 2\"",
        "sometimes = \"exists d in devices: d.freed and exists e in devices: e.suspended\"",
        "sometimes = \"count(p in processes: p.finished) == 1 and "
        "exists d in devices: d.deferred\"",
        "always = \"forall p in processes: p.last.errno == 0 or p.handles == 0\"",
        "sometimes = \"exists d in devices: exists e in devices: d.open_count > e.open_count\"",
        "sometimes = \"exists p in processes: p.last.errno == EBUSY\"",
    };
    std::string out;
    for (int i = 0; i < 8; ++i) {
      if (pick(2) == 0) {
        out += fmt::format("[[properties]]\nname = \"u{}\"\n{}\n", i, kinds[i]);
      }
    }
    return out;
  }

  std::mt19937 random_;
  std::array<bool, 3> declared_{};  ///< by an initial device or a create
  std::array<bool, 3> used_{};
};

}  // namespace

TEST_SUITE("scenarios/partial-order") {
  TEST_CASE("owners of their own devices: fewer states, the same verdicts, traces that replay") {
    for (int count = 2; count <= 3; ++count) {
      CAPTURE(count);
      const Compared runs = compared(owners(count, ""));
      CHECK(runs.reduced.report.stats.reduction == checker::Reduction::por);
      CHECK(runs.reduced.report.stats.states * 2 < runs.full.report.stats.states);
      MESSAGE(fmt::format("{} owners: {} of {} states", count, runs.reduced.report.stats.states,
                          runs.full.report.stats.states));
    }
  }

  TEST_CASE("a property relating two owners' devices keeps the orders that decide it") {
    // Each suspend is visible to the count, so no owner's suspend is explored alone while it
    // could change it: both devices are found suspended at once.
    const std::string text = owners(2, R"([[properties]]
name = "one-suspended"
always = "count(d in devices: d.suspended) <= 1"
[[properties]]
name = "both-open"
sometimes = "count(d in devices: d.open_count > 0) == 2"
)");
    const Compared runs = compared(text);
    CHECK(verdict_of(runs.reduced, "one-suspended") == checker::Verdict::violated);
    CHECK(runs.reduced.report.stats.states < runs.full.report.stats.states);
  }

  TEST_CASE("a device the prober may open is not its owner's alone") {
    // After the create, a uevent waits for the prober: the remove races its open (EBUSY).
    const std::string text = base(1) + R"([[processes]]
name = "owner"
steps = ["create d --table lin0", "remove d"]
[[processes]]
name = "other"
steps = ["create e --notable", "info e"]
[actors]
prober = true
[[properties]]
name = "remove-busy"
sometimes = "owner.last.errno == EBUSY"
)";
    const Compared runs = compared(text);
    CHECK(verdict_of(runs.reduced, "remove-busy") == checker::Verdict::reached);
  }

  TEST_CASE("every library scenario: the same verdicts with and without it") {
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(DMCHECK_SOURCE_DIR "/scenarios")) {
      if (entry.path().extension() != ".toml") {
        continue;
      }
      CAPTURE(entry.path().filename().string());
      const auto scenario =
          scenarios::load_scenario(entry.path().string(), scenarios::Expectations::optional);
      REQUIRE(scenario);
      const auto reduced = run(*scenario, checker::Reduction::por);
      const auto full = run(*scenario, checker::Reduction::none);
      same_verdicts(reduced, full);
      CHECK(reduced.report.stats.states <= full.report.stats.states);
    }
  }

  TEST_CASE("generated scenarios: the same verdicts with and without it") {
    int valid = 0;
    int reduced_some = 0;
    for (std::uint32_t seed = 1; seed <= 300; ++seed) {
      Generator generator(seed);
      const std::string text = generator.scenario();
      const auto scenario =
          scenarios::parse_scenario(text, "generated.toml", scenarios::Expectations::optional);
      if (!scenario) {
        if (valid == 0 && seed < 5) {
          MESSAGE(scenario.error().message);
        }
        continue;  // e.g. a close with no open before it
      }
      CAPTURE(seed);
      CAPTURE(text);
      ++valid;
      const auto reduced = run(*scenario, checker::Reduction::por);
      const auto full = run(*scenario, checker::Reduction::none);
      same_verdicts(reduced, full);
      CHECK(reduced.report.stats.states <= full.report.stats.states);
      reduced_some += reduced.report.stats.states < full.report.stats.states ? 1 : 0;
      if (seed % 10 == 0) {
        traces_replay(text);
      }
    }
    MESSAGE(fmt::format("{} generated scenarios, {} reduced", valid, reduced_some));
    CHECK(valid >= 250);
    CHECK(reduced_some >= 100);
  }
}
