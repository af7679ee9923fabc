#include "scenarios/coverage.h"

#include <array>
#include <atomic>

namespace dmcheck::scenarios {

namespace {

std::string op_word(const model::Call& call) {
  switch (call.op) {
    case model::Op::cancel_deferred:
      return "message @cancel_deferred_remove";
    case model::Op::crypt_key:
      return call.key_set ? "message key set" : "message key wipe";
    case model::Op::thin_message:
      return "message " + std::string(model::to_string(call.thin_verb));
    default:
      return std::string(model::to_string(call.op));
  }
}

}  // namespace

const std::vector<std::string>& all_coverage_units() {
  static const std::vector<std::string> units = {
      "create",
      "create --table",
      "create --notable",
      "create --readonly",
      "create --uuid",
      "create --open-limit",
      "load",
      "load --readonly",
      "clear",
      "suspend",
      "suspend --noflush",
      "suspend --nolockfs",
      "resume",
      "resume --noflush",
      "resume --nolockfs",
      "remove",
      "remove --deferred",
      "remove --no-open",
      "remove_all",
      "remove_all --deferred",
      "remove_all --no-open",
      "message @cancel_deferred_remove",
      "message key set",
      "message key wipe",
      "message create_thin",
      "message create_snap",
      "message delete",
      "rename",
      "info",
      "open",
      "close",
      "read",
      "write",
      "status",
      "set_open_limit",
      "worker unhashes",
      "worker destroys",
      "prober opens",
      "prober closes",
      "internal suspend",
      "internal resume",
  };
  return units;
}

std::vector<std::string> coverage_units(const model::DmModel& model, const model::Action& a) {
  switch (a.event) {
    case model::Event::worker_remove:
      return {"worker unhashes"};
    case model::Event::worker_destroy:
      return {"worker destroys"};
    case model::Event::worker_idle:
    case model::Event::worker_suspend:
      return {};
    case model::Event::prober_open:
      return {"prober opens"};
    case model::Event::prober_close:
      return {"prober closes"};
    case model::Event::internal_suspend:
      return {"internal suspend"};
    case model::Event::internal_resume:
      return {"internal resume"};
    default:
      break;
  }
  const auto& processes = model.config().processes;
  if (a.actor >= processes.size() || a.pc >= processes[a.actor].program.size()) {
    return {};
  }
  const auto& sequences = processes[a.actor].program[a.pc].sequences;
  if (a.branch >= sequences.size() || a.sub >= sequences[a.branch].size()) {
    return {};
  }
  const model::Call& call = sequences[a.branch][a.sub];
  const std::string op = op_word(call);
  std::vector<std::string> units = {op};
  const auto flag = [&](bool set, const char* name) {
    if (set) {
      units.push_back(op + " " + name);
    }
  };
  if (call.op == model::Op::create) {
    flag(!call.notable && !call.table.empty(), "--table");
    flag(call.notable, "--notable");
    flag(!call.uuid.empty(), "--uuid");
    flag(call.open_limit != 0, "--open-limit");
  }
  flag(call.readonly, "--readonly");
  flag(call.noflush, "--noflush");
  flag(call.nolockfs, "--nolockfs");
  flag(call.deferred, "--deferred");
  flag(call.no_open, "--no-open");
  return units;
}

namespace {

std::uint64_t action_key(const model::Action& a) {
  return std::uint64_t{a.actor} | std::uint64_t{static_cast<std::uint8_t>(a.event)} << 8 |
         std::uint64_t{a.pc} << 16 | std::uint64_t{a.branch} << 24 | std::uint64_t{a.sub} << 32;
}

std::atomic<std::uint64_t> next_observer{1};

}  // namespace

CoverageObserver::CoverageObserver() : id_(next_observer++) {}

void CoverageObserver::generated(const model::Action& a) {
  // Nearly every transition repeats a key already seen: a direct-mapped memo of recent keys,
  // one per thread, answers those without taking the lock.
  constexpr std::size_t kRecent = 1024;
  struct Memo {
    std::uint64_t owner = 0;
    std::array<std::uint64_t, kRecent> recent{};  ///< key + 1 of a key in seen, 0: empty
  };
  thread_local Memo memo;
  if (memo.owner != id_) {
    memo.owner = id_;
    memo.recent.fill(0);
  }
  const std::uint64_t k = action_key(a);
  std::uint64_t& recent = memo.recent[(k ^ k >> 13 ^ k >> 29) % kRecent];
  if (recent != k + 1) {
    recent = k + 1;
    const std::lock_guard<std::mutex> lock(keys_->mutex);
    keys_->seen.insert(k);
  }
}

std::set<std::string> CoverageObserver::units(const model::DmModel& model) const {
  std::set<std::string> result;
  // Rebuild an action from its key: only the fields coverage_units reads.
  for (const std::uint64_t k : keys_->seen) {
    model::Action a;
    a.actor = static_cast<std::uint8_t>(k);
    a.event = static_cast<model::Event>(static_cast<std::uint8_t>(k >> 8));
    a.pc = static_cast<std::uint8_t>(k >> 16);
    a.branch = static_cast<std::uint8_t>(k >> 24);
    a.sub = static_cast<std::uint8_t>(k >> 32);
    for (auto& unit : coverage_units(model, a)) {
      result.insert(std::move(unit));
    }
  }
  return result;
}

}  // namespace dmcheck::scenarios
