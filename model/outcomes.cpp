#include "model/outcomes.h"

#include <algorithm>
#include <map>

#include "checker/check.h"

namespace dmcheck::model {

using History = checker::WithCallHistory<DmModel, kMaxProcesses, kOutcomeCalls>;

tl::expected<OutcomeRun, Error> explore_outcomes(const DmModel& model,
                                                 const checker::Options& options) {
  const History history(model);
  checker::Options bfs = options;
  bfs.strategy = checker::Strategy::bfs;
  bfs.stop_at_first_violation = false;
  auto result = checker::check(history, bfs);
  if (!result) {
    return tl::unexpected(result.error());
  }
  OutcomeRun run;
  run.stop = result->stop;
  run.stats = result->stats;
  const std::size_t processes = model.config().processes.size();
  for (const History::State& end : history.ends()) {
    EndState e;
    e.state = end.inner;
    e.deadlock = !model.is_final(end.inner);
    e.results.resize(processes);
    for (std::size_t p = 0; p < processes; ++p) {
      const auto& recorded = end.history.results[p];
      e.results[p].assign(recorded.begin(), recorded.begin() + end.history.counts[p]);
    }
    run.ends.push_back(std::move(e));
  }
  return run;
}

namespace {

std::vector<DeviceEnd> device_ends(const DmModel& model, const State& s) {
  std::vector<DeviceEnd> out;
  for (std::size_t slot = 0; slot < kMaxDevices; ++slot) {
    const Device& d = s.devices[slot];
    if (d.life == Life::unused) {
      continue;
    }
    DeviceEnd e;
    // A removed device's slot keeps no name: it is shown by its slot, as a trace shows it.
    e.exists = d.life == Life::hashed;
    e.name = e.exists ? model.device_name(s, slot) : "dm" + std::to_string(slot);
    e.suspended = (d.flags & kSuspended) != 0;
    e.deferred = (d.flags & kDeferred) != 0;
    e.read_only = (d.flags & kDiskRo) != 0;
    e.open_count = d.open_count;
    e.live = model.table_name(d.live);
    e.inactive = model.table_name(d.inactive);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

std::vector<Outcome> group_outcomes(const DmModel& model, const std::vector<EndState>& ends) {
  using Key = std::tuple<bool, std::vector<std::vector<CallEnd>>, std::vector<DeviceEnd>>;
  std::map<Key, std::uint64_t> counts;
  for (const EndState& end : ends) {
    std::vector<std::vector<CallEnd>> processes(end.results.size());
    for (std::size_t p = 0; p < end.results.size(); ++p) {
      for (const CallResult& r : end.results[p]) {
        processes[p].push_back({model.call_text(p, r), model.result_text(r.obs)});
      }
    }
    ++counts[{end.deadlock, std::move(processes), device_ends(model, end.state)}];
  }
  std::vector<Outcome> out;
  for (const auto& [key, count] : counts) {
    out.push_back({std::get<1>(key), std::get<2>(key), std::get<0>(key), count});
  }
  return out;
}

}  // namespace dmcheck::model
