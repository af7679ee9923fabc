#pragma once
/// The breadth-first search's checkpoints (checkpoint.h): saving the run between two levels and
/// resuming it. Included by level_search.h only.
///
/// A save holds the run as it was when the level being expanded began: the settled
/// fingerprints (those the level has only claimed are left out), the parent links of every
/// numbered state, and that level's states. The level is then expanded again on resume, which
/// finds what it found before, in the same order.

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "checker/checkpoint.h"
#include "checker/level_search.h"

namespace dmcheck::checker {

namespace checkpoint_detail {
/// Records written or read per call, so a large run is not one call per number.
inline constexpr std::size_t kBatch = std::size_t{1} << 16;
}  // namespace checkpoint_detail

template <Model M>
CheckpointSummary LevelSearch<M>::summary() const {
  CheckpointSummary s;
  std::vector<std::uint64_t> initial;
  for (const State& state : model_.initial_states()) {
    initial.push_back(state_fingerprint(model_, state));
  }
  std::vector<std::string> names;
  for (const auto& p : properties_) {
    names.push_back(p.name);
  }
  s.identity = run_identity(options_.identity, sizeof(State), initial, names);
  s.state_size = sizeof(State);
  s.max_depth = options_.max_depth;
  s.check_deadlock = options_.check_deadlock;
  s.stop_at_first_violation = options_.stop_at_first_violation;
  s.reduction = options_.reduction;
  s.properties = std::move(names);
  s.found = boundary_.found;
  s.depth = boundary_.depth;
  s.transitions = boundary_.transitions;
  s.max_depth_seen = boundary_.max_depth;
  s.peak_frontier = peak_frontier_;
  s.seconds = earlier_seconds_ +
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  return s;
}

template <Model M>
tl::expected<void, Error> LevelSearch<M>::save_checkpoint() {
  using checkpoint_detail::kBatch;
  auto out = CheckpointWriter::create(options_.checkpoint_file);
  if (!out) {
    return tl::unexpected(std::move(out.error()));
  }
  write_summary(*out, summary());
  std::uint64_t settled = 0;
  visited_.for_each_settled([&](Fingerprint) { ++settled; });
  out->u64(settled);
  std::vector<Fingerprint> fps;
  fps.reserve(kBatch);
  const auto write_fps = [&] {
    out->bytes(fps.data(), fps.size() * sizeof(Fingerprint));
    fps.clear();
  };
  visited_.for_each_settled([&](Fingerprint fp) {
    fps.push_back(fp);
    if (fps.size() == kBatch) {
      write_fps();
    }
  });
  write_fps();
  const std::uint64_t ids = level_.first + level_.states.size();
  out->u64(ids);
  std::vector<std::uint32_t> links;
  links.reserve(2 * kBatch);
  for (std::uint64_t id = 0; id < ids; ++id) {
    links.push_back(links_.parent(static_cast<Id>(id)));
    links.push_back(links_.action(static_cast<Id>(id)));
    if (links.size() == 2 * kBatch || id + 1 == ids) {
      out->bytes(links.data(), links.size() * sizeof(std::uint32_t));
      links.clear();
    }
  }
  out->u32(level_.first);
  out->u64(level_.states.size());
  for (const StateRef& ref : level_.states) {
    out->u32(ref.size);
    out->bytes(ref.bytes, ref.size);
  }
  if (auto committed = out->commit(); !committed) {
    return committed;
  }
  last_checkpoint_ = std::chrono::steady_clock::now();
  return {};
}

template <Model M>
tl::expected<void, Error> LevelSearch<M>::save_checkpoint_if_due() {
  if (options_.checkpoint_file.empty() ||
      std::chrono::steady_clock::now() - last_checkpoint_ < options_.checkpoint_every) {
    return {};
  }
  return save_checkpoint();
}

template <Model M>
tl::expected<void, Error> LevelSearch<M>::save_checkpoint_at_stop() {
  const int code = stop_.load();
  const bool resumable = code == static_cast<int>(StopReason::interrupted) ||
                         code == static_cast<int>(StopReason::time_limit) ||
                         code == static_cast<int>(StopReason::memory_limit);
  if (options_.checkpoint_file.empty() || !resumable || bound_) {
    return {};
  }
  return save_checkpoint();
}

template <Model M>
tl::expected<std::uint32_t, Error> LevelSearch<M>::resume() {
  auto in = CheckpointReader::open(options_.resume_file);
  if (!in) {
    return tl::unexpected(std::move(in.error()));
  }
  auto saved = read_summary(*in);
  if (!saved) {
    return tl::unexpected(std::move(saved.error()));
  }
  if (const std::string why = resume_mismatch(*saved, summary()); !why.empty()) {
    return tl::unexpected(
        Error{ErrorKind::bad_input,
              fmt::format("cannot resume from checkpoint {}: {}", options_.resume_file, why),
              std::nullopt});
  }
  auto ids = read_visited(*in);
  if (!ids) {
    return tl::unexpected(std::move(ids.error()));
  }
  if (auto read = read_links(*in, *ids); !read) {
    return tl::unexpected(std::move(read.error()));
  }
  auto first = read_level(*in, *ids);
  if (!first) {
    return tl::unexpected(std::move(first.error()));
  }
  if (auto read = in->finish(); !read) {
    return tl::unexpected(std::move(read.error()));
  }
  const auto known = [&](const std::optional<Id>& id) { return !id || *id < *ids; };
  if (!known(saved->found.deadlock) ||
      !std::all_of(saved->found.hits.begin(), saved->found.hits.end(), known)) {
    return tl::unexpected(in->damaged("a verdict naming a state it does not hold"));
  }
  found_ = saved->found;
  for (std::size_t i = 0; i < properties_.size(); ++i) {
    premise_flags_[i].store(found_.premise_seen[i], std::memory_order_relaxed);
  }
  transitions_ = saved->transitions;
  max_depth_ = saved->max_depth_seen;
  peak_frontier_ = saved->peak_frontier;
  earlier_seconds_ = saved->seconds;
  progress_.count_earlier(earlier_seconds_);
  advance(*first);
  return saved->depth;
}

template <Model M>
tl::expected<std::uint64_t, Error> LevelSearch<M>::read_visited(CheckpointReader& in) {
  const std::uint64_t settled = in.u64();
  if (!in.fits(settled, sizeof(Fingerprint)) || settled > state_limit()) {
    return tl::unexpected(in.damaged("the number of states"));
  }
  // The file lists each partition's fingerprints in ascending order: inserted so into a table
  // still growing, they would pile up at its start, each insertion walking them all.
  visited_.reserve(settled);
  std::vector<Fingerprint> fps;
  for (std::uint64_t done = 0; done < settled; done += fps.size()) {
    if (auto going_on = in.not_interrupted(); !going_on) {
      return tl::unexpected(std::move(going_on.error()));
    }
    fps.resize(std::min<std::uint64_t>(checkpoint_detail::kBatch, settled - done));
    in.bytes(fps.data(), fps.size() * sizeof(Fingerprint));
    for (const Fingerprint fp : fps) {
      if (!visited_.insert(fp)) {
        return tl::unexpected(in.damaged("a state listed twice"));
      }
    }
  }
  return settled;
}

template <Model M>
tl::expected<void, Error> LevelSearch<M>::read_links(CheckpointReader& in, std::uint64_t ids) {
  if (in.u64() != ids || !in.fits(ids, 2 * sizeof(std::uint32_t))) {
    return tl::unexpected(in.damaged("the number of parent links"));
  }
  links_.resize(ids);
  std::vector<std::uint32_t> links;
  for (std::uint64_t done = 0; done < ids; done += links.size() / 2) {
    if (auto going_on = in.not_interrupted(); !going_on) {
      return going_on;
    }
    links.resize(2 * std::min<std::uint64_t>(checkpoint_detail::kBatch, ids - done));
    in.bytes(links.data(), links.size() * sizeof(std::uint32_t));
    for (std::size_t i = 0; i < links.size(); i += 2) {
      const std::uint64_t id = done + i / 2;
      if (links[i] != ParentLinks::kNoParent && links[i] >= id) {
        return tl::unexpected(in.damaged("a parent link pointing forward"));
      }
      links_.set(static_cast<Id>(id), links[i], links[i + 1]);
    }
  }
  return {};
}

template <Model M>
tl::expected<ParentLinks::Id, Error> LevelSearch<M>::read_level(CheckpointReader& in,
                                                                std::uint64_t ids) {
  const Id first = in.u32();
  const std::uint64_t waiting = in.u64();
  if (first + waiting != ids || !in.fits(waiting, sizeof(std::uint32_t))) {
    return tl::unexpected(in.damaged("the level waiting"));
  }
  StateArena& arena = *(*next_bytes_)[0];
  std::vector<unsigned char> bytes(sizeof(State));
  for (std::uint64_t i = 0; i < waiting; ++i) {
    if (i % checkpoint_detail::kBatch == 0) {
      if (auto going_on = in.not_interrupted(); !going_on) {
        return tl::unexpected(std::move(going_on.error()));
      }
    }
    const std::uint32_t size = in.u32();
    if (size > sizeof(State)) {
      return tl::unexpected(in.damaged("a state larger than the model's"));
    }
    in.bytes(bytes.data(), size);
    pending_.push_back({arena.add(bytes.data(), size), size});
  }
  return first;
}

}  // namespace dmcheck::checker
