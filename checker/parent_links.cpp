#include "checker/parent_links.h"

#include <cstring>

namespace dmcheck::checker {

void ParentLinks::resize(std::uint64_t count) {
  for (; spill_ && (sealed_ + 1) * kChunk <= size_; ++sealed_) {
    spill_->seal(chunks_[sealed_].get());
  }
  while (chunks_.size() * kChunk < count) {
    chunks_.push_back(take_chunk(spill_, kChunkBytes));
  }
  size_ = count;
}

void ParentLinks::set(Id id, Id parent, std::uint32_t action) {
  unsigned char* r = record(id);
  std::memcpy(r, &parent, sizeof parent);
  if (action >= kActionAside) {
    const std::lock_guard<std::mutex> lock(large_actions_mutex_);
    large_actions_[id] = action;
    r[4] = kActionAside;
  } else {
    r[4] = static_cast<unsigned char>(action);
  }
}

ParentLinks::Id ParentLinks::parent(Id id) const {
  Id parent = 0;
  std::memcpy(&parent, record(id), sizeof parent);
  return parent;
}

std::uint32_t ParentLinks::action(Id id) const {
  const unsigned char a = record(id)[4];
  return a == kActionAside ? large_actions_.at(id) : a;
}

std::uint64_t ParentLinks::bytes() const {
  // An unordered_map node: the pair, the next pointer and the cached hash, roughly.
  return chunks_.capacity() * sizeof(chunks_[0]) + (chunks_.size() - sealed_) * kChunkBytes +
         large_actions_.size() * 32 + large_actions_.bucket_count() * sizeof(void*);
}

}  // namespace dmcheck::checker
