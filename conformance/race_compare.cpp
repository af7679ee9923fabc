#include "conformance/race_compare.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "conformance/predict.h"
#include "model/dm_model.h"
#include "model/outcomes.h"

namespace dmcheck::conformance {

namespace {

using Key = std::tuple<bool, std::vector<std::vector<std::string>>, std::vector<DeviceView>>;

}  // namespace

std::string results_text(const std::vector<std::vector<std::string>>& results) {
  std::string text;
  for (std::size_t t = 0; t < results.size(); ++t) {
    text += t == 0 ? "" : " / ";
    for (std::size_t c = 0; c < results[t].size(); ++c) {
      text += (c == 0 ? "" : ", ") + results[t][c];
    }
  }
  return text;
}

tl::expected<AllowedSet, Error> allowed_outcomes(const Race& race, const Fixtures& fixtures,
                                                 const checker::Options& limits) {
  model::Config config = race.config;
  config.properties.clear();  // only the ends matter
  auto model = model::DmModel::build(config);
  if (!model) {
    return tl::unexpected(model.error());
  }
  auto run = model::explore_outcomes(*model, limits);
  if (!run) {
    return tl::unexpected(run.error());
  }
  std::map<Key, std::uint64_t> classes;
  for (const model::EndState& end : run->ends) {
    std::vector<std::vector<std::string>> results(end.results.size());
    for (std::size_t p = 0; p < end.results.size(); ++p) {
      for (const model::CallResult& r : end.results[p]) {
        results[p].push_back(model::errno_name(r.obs.err));
      }
    }
    ++classes[{end.deadlock, std::move(results), device_views(*model, fixtures, end.state)}];
  }
  AllowedSet set;
  set.complete = run->complete();
  set.stop = set.complete ? "" : std::string(checker::to_string(run->stop));
  set.states = run->stats.states;
  for (const auto& [key, count] : classes) {
    set.outcomes.push_back({std::get<1>(key), std::get<2>(key), std::get<0>(key), count});
  }
  return set;
}

RaceJudgement judge(const AllowedSet& allowed, const RaceResult& result) {
  RaceJudgement j;
  std::vector<bool> seen(allowed.outcomes.size(), false);
  for (std::size_t k = 0; k < result.outcomes.size(); ++k) {
    const KernelOutcome& o = result.outcomes[k];
    bool found = false;
    for (std::size_t m = 0; m < allowed.outcomes.size(); ++m) {
      const AllowedOutcome& a = allowed.outcomes[m];
      if (!a.deadlock && a.results == o.results && a.devices == o.devices) {
        seen[m] = found = true;
      }
    }
    if (!found) {
      j.outside.push_back(k);
    }
  }
  for (std::size_t m = 0; m < allowed.outcomes.size(); ++m) {
    if (!seen[m] && !allowed.outcomes[m].deadlock) {
      j.unseen.push_back(m);
    }
  }
  if (!j.outside.empty()) {
    j.verdict = allowed.complete ? RaceVerdict::diverges : RaceVerdict::unknown;
    if (!allowed.complete) {
      j.why_unknown = "the model's exploration stopped (" + allowed.stop +
                      ") before every interleaving was seen";
    }
  }
  return j;
}

}  // namespace dmcheck::conformance
