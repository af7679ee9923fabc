// The catalogue's texts against the model's code definitions: every text compiles, and on every
// scenario of the library each text-defined property has the verdict and the shortest trace
// length its code definition has. A wrong text is caught (the last cases break one on purpose).

#include "scenarios/catalogue_texts.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "model/config.h"
#include "scenarios/expectations.h"
#include "scenarios/loader.h"
#include "scenarios/run.h"

#ifndef DMCHECK_SOURCE_DIR
#error "DMCHECK_SOURCE_DIR must name the source tree"
#endif

namespace scenarios = dmcheck::scenarios;
namespace model = dmcheck::model;
using dmcheck::checker::Verdict;

namespace {

/// A property's verdict and its trace's length (0 when it has none).
using Found = std::pair<Verdict, std::size_t>;

/// Every *.toml of the library, its subfolders included, in path order.
std::vector<std::string> library_files() {
  std::vector<std::string> files;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(DMCHECK_SOURCE_DIR "/scenarios")) {
    if (entry.path().extension() == ".toml") {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// `s` set to check every catalogue property, none with a verdict stated.
scenarios::Scenario checking_whole_catalogue(scenarios::Scenario s) {
  s.expectations.clear();
  s.config.properties.clear();
  for (const model::CatalogueEntry& e : model::catalogue()) {
    s.expectations.push_back({std::string(e.name), std::nullopt, std::nullopt, {}});
    s.config.properties.emplace_back(e.name);
  }
  return s;
}

/// Each catalogue property's verdict and shortest length on `s` (BFS).
std::map<std::string, Found> verdicts(const scenarios::Scenario& s) {
  std::map<std::string, Found> out;
  const auto run = scenarios::run_scenario(s, {});
  REQUIRE_MESSAGE(run, (run ? "" : run.error().describe()));
  for (const auto& p : run->report.properties) {
    out[p.name] = {p.verdict, p.trace_length()};
  }
  return out;
}

/// The properties whose verdict or shortest length differ between the texts in `s` and the
/// code definitions, as "file: name".
std::vector<std::string> differences(const scenarios::Scenario& with_texts) {
  scenarios::Scenario with_code = with_texts;
  with_code.config.catalogue_texts.clear();
  const auto by_text = verdicts(with_texts);
  const auto by_code = verdicts(with_code);
  std::vector<std::string> out;
  for (const auto& [name, found] : by_code) {
    const auto text = by_text.find(name);
    if (text == by_text.end() || text->second != found) {
      out.push_back(with_texts.name + ": " + name);
    }
  }
  return out;
}

/// `s` with the text of `name` replaced by `text`.
scenarios::Scenario with_text(scenarios::Scenario s, std::string_view name, std::string_view text) {
  model::CatalogueEntry entry = *model::find_in_catalogue(name);
  entry.text = text;
  auto compiled = scenarios::compile_catalogue_text(entry);
  REQUIRE_MESSAGE(compiled, (compiled ? "" : compiled.error().describe()));
  for (auto& p : s.config.catalogue_texts) {
    if (p.name == name) {
      p = *compiled;
    }
  }
  return s;
}

scenarios::Scenario load(const std::string& file) {
  auto s = scenarios::load_scenario(file, scenarios::Expectations::optional);
  REQUIRE_MESSAGE(s, (s ? "" : s.error().describe()));
  return checking_whole_catalogue(std::move(*s));
}

}  // namespace

TEST_SUITE("scenarios/catalogue-texts") {
  TEST_CASE("every catalogue property has a text that compiles, or says what code it needs") {
    const auto& texts = scenarios::catalogue_texts();
    REQUIRE_MESSAGE(texts, (texts ? "" : texts.error().describe()));
    std::size_t with_text = 0;
    for (const model::CatalogueEntry& e : model::catalogue()) {
      CHECK_MESSAGE(e.text.empty() != e.needs.empty(), e.name);
      with_text += e.text.empty() ? 0 : 1;
    }
    CHECK(texts->size() == with_text);
    CHECK(with_text >= 16);
  }

  TEST_CASE("a loaded scenario checks the catalogue by its texts") {
    const auto s =
        scenarios::load_scenario(DMCHECK_SOURCE_DIR "/scenarios/seed000-one-shot-swap-6.1.toml");
    REQUIRE(s);
    CHECK(s->config.catalogue_texts.size() == scenarios::catalogue_texts()->size());
  }

  TEST_CASE("the model refuses a partial or misnamed set of catalogue texts") {
    const auto s =
        scenarios::load_scenario(DMCHECK_SOURCE_DIR "/scenarios/seed000-one-shot-swap-6.1.toml");
    REQUIRE(s);
    CHECK(model::check_config(s->config));
    auto partial = s->config;
    partial.catalogue_texts.erase(partial.catalogue_texts.begin() + 2);
    const auto refused = model::check_config(partial);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().error.message ==
          "the catalogue's texts do not match the catalogue at 'one-shot-device': every "
          "text-defined property needs its compiled text, in order");
    auto extra = s->config;
    extra.catalogue_texts.push_back(extra.catalogue_texts.front());
    REQUIRE_FALSE(model::check_config(extra));
  }

  TEST_CASE("on the whole library, each text gives the verdicts and lengths of its code") {
    std::vector<std::string> differ;
    std::size_t files = 0;
    for (const std::string& file : library_files()) {
      const auto found = differences(load(file));
      differ.insert(differ.end(), found.begin(), found.end());
      ++files;
    }
    std::string listed;
    for (const auto& d : differ) {
      listed += d + "\n";
    }
    CHECK_MESSAGE(differ.empty(), listed);
    CHECK(files >= 45);
  }

  TEST_CASE("a wrong text is caught: a different verdict or shortest length") {
    const auto seed000 = load(DMCHECK_SOURCE_DIR "/scenarios/seed000-one-shot-swap-6.1.toml");
    REQUIRE(differences(seed000).empty());
    // One open instead of two: still violated, but by a shorter trace.
    CHECK(differences(with_text(seed000, "one-shot-device", "forall d in devices: not d.opened")) ==
          std::vector<std::string>{"seed000-one-shot-swap-6.1: one-shot-device"});
    // Without the variant's guard, 6.1 (no integrity hook) violates what holds trivially there.
    const auto verity = load(DMCHECK_SOURCE_DIR "/scenarios/seed002-verity-error-table-6.1.toml");
    REQUIRE(differences(verity).empty());
    CHECK(differences(with_text(verity, "integrity-matches-live-table",
                                "forall d in devices: (d.exists or d.removing) and not "
                                "d.suspended implies d.root_hash == d.live_root_hash")) ==
          std::vector<std::string>{"seed002-verity-error-table-6.1: integrity-matches-live-table"});
  }

  TEST_CASE("--all-properties adds the catalogue properties that apply to the variant") {
    const auto s =
        scenarios::load_scenario(DMCHECK_SOURCE_DIR "/scenarios/stacked-deferred-reader-enxio.toml",
                                 scenarios::Expectations::optional);
    REQUIRE(s);
    const auto named_in = [](const scenarios::Scenario& x, std::string_view name) {
      return std::count_if(x.expectations.begin(), x.expectations.end(),
                           [&](const auto& e) { return e.property == name; });
    };
    for (const char* variant : {"6.1", "6.12+no-open-flag", "6.1+finalize-hook"}) {
      const model::Variant v = *model::parse_variant(variant);
      auto all = *s;
      scenarios::name_applicable_catalogue(all, v);
      for (const model::CatalogueEntry& e : model::catalogue()) {
        const bool wanted = named_in(*s, e.name) == 1 || model::applies(e, v);
        CHECK_MESSAGE(named_in(all, e.name) == (wanted ? 1 : 0), variant << ": " << e.name);
        CHECK_MESSAGE(std::count(all.config.properties.begin(), all.config.properties.end(),
                                 e.name) == (wanted ? 1 : 0),
                      variant << ": " << e.name);
      }
    }
    auto on_6_1 = *s;
    scenarios::name_applicable_catalogue(on_6_1, *model::parse_variant("6.1"));
    CHECK(named_in(on_6_1, "integrity-matches-live-table") == 0);
    CHECK(named_in(on_6_1, "hashed-not-deleting") == 1);
    const auto run = scenarios::run_scenario(on_6_1, {});
    REQUIRE(run);
    CHECK(run->report.properties.size() == on_6_1.expectations.size());
    for (const auto& p : run->report.properties) {
      CHECK_MESSAGE(p.verdict != Verdict::unknown, p.name);
    }
  }
}
