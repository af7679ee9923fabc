#include "checker/state_store.h"

#include <bit>

namespace dmcheck::checker {

namespace {
constexpr std::size_t kInitialSlots = 1024;
}  // namespace

StateStore::Insertion StateStore::insert(Fingerprint fp, Id parent, std::uint32_t action) {
  if ((size() + 1) * 10 > slots_.size() * 7) {
    grow();
  }
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = home_slot(fp);; i = (i + 1) & mask) {
    const Id slot = slots_[i];
    if (slot == 0) {
      const Id id = static_cast<Id>(fingerprints_.size());
      try {
        fingerprints_.push_back(fp);
        parents_.push_back(parent);
        actions_.push_back(action);
      } catch (...) {
        // An allocation failed: leave the store as it was, so the run can still report on it.
        fingerprints_.resize(id);
        parents_.resize(id);
        actions_.resize(id);
        throw;
      }
      slots_[i] = id + 1;
      return {id, true};
    }
    if (fingerprints_[slot - 1] == fp) {
      return {slot - 1, false};
    }
  }
}

bool StateStore::contains(Fingerprint fp) const {
  if (slots_.empty()) {
    return false;
  }
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = home_slot(fp);; i = (i + 1) & mask) {
    if (slots_[i] == 0) {
      return false;
    }
    if (fingerprints_[slots_[i] - 1] == fp) {
      return true;
    }
  }
}

std::uint64_t StateStore::bytes() const {
  return fingerprints_.capacity() * sizeof(Fingerprint) + parents_.capacity() * sizeof(Id) +
         actions_.capacity() * sizeof(std::uint32_t) + slots_.capacity() * sizeof(Id);
}

void StateStore::grow() {
  std::vector<Id> slots(slots_.empty() ? kInitialSlots : slots_.size() * 2, 0);
  const std::size_t mask = slots.size() - 1;
  shift_ = 64 - std::countr_zero(slots.size());
  for (std::size_t id = 0; id < fingerprints_.size(); ++id) {
    std::size_t i = home_slot(fingerprints_[id]);
    while (slots[i] != 0) {
      i = (i + 1) & mask;
    }
    slots[i] = static_cast<Id>(id + 1);
  }
  slots_.swap(slots);
}

}  // namespace dmcheck::checker
