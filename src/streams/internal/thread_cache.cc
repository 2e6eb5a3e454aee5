#include "streams/internal/thread_cache.h"

#include <stdexcept>
#include <utility>

namespace runnel::streams::internal {

// Per entry beyond its key and value bytes: the map node, the strings and the links,
// roughly; what makes a cache of many tiny entries honour its size.
constexpr size_t kEntryOverhead = 96;

NamedCache::NamedCache(ThreadCache* owner, FlushListener listener) : owner_(owner), listener_(std::move(listener)) {}

NamedCache::~NamedCache() { owner_->bytes_ -= bytes_; }

size_t NamedCache::footprint(std::string_view key, const Entry& entry) {
  return key.size() + entry.value.size() + kEntryOverhead;
}

void NamedCache::unlink(Slot* slot) {
  Entry& entry = slot->second;
  (entry.newer != nullptr ? entry.newer->second.older : newest_) = entry.older;
  (entry.older != nullptr ? entry.older->second.newer : oldest_) = entry.newer;
  entry.newer = entry.older = nullptr;
}

void NamedCache::touch(Slot* slot) {
  if (newest_ == slot) return;
  if (slot->second.newer != nullptr || slot->second.older != nullptr || oldest_ == slot) unlink(slot);
  slot->second.older = newest_;
  if (newest_ != nullptr) newest_->second.newer = slot;
  newest_ = slot;
  if (oldest_ == nullptr) oldest_ = slot;
}

const NamedCache::Entry* NamedCache::find(std::string_view key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  touch(&*it);
  return &it->second;
}

void NamedCache::put(std::string_view key, std::optional<std::string_view> value, int64_t timestamp) {
  // A flush hands out views of the entries. Only a store's own processor writes it, and
  // it never runs downstream of its own flush.
  if (in_flush_) throw std::logic_error("a cached store was written while its cache was flushing");
  auto it = entries_.find(key);
  size_t before = 0;
  if (it == entries_.end()) {
    it = entries_.emplace(std::string(key), Entry{}).first;
  } else {
    before = footprint(it->first, it->second);
  }
  Slot* slot = &*it;
  Entry& entry = slot->second;
  entry.has_value = value.has_value();
  if (value) {
    entry.value.assign(*value);
  } else {
    entry.value.clear();
  }
  entry.timestamp = timestamp;
  if (!entry.dirty) {
    entry.dirty = true;
    dirty_.push_back(slot);
  }
  size_t after = footprint(slot->first, entry);
  bytes_ += after - before;
  owner_->bytes_ += after - before;
  touch(slot);
  while (owner_->overSize() && oldest_ != nullptr) evictEldest();
}

void NamedCache::evictEldest() {
  Slot* eldest = oldest_;
  if (eldest->second.dirty) flush();
  // The flush may have dropped it already (a flushed delete).
  if (oldest_ == eldest) erase(eldest);
}

void NamedCache::erase(Slot* slot) {
  unlink(slot);
  size_t size = footprint(slot->first, slot->second);
  bytes_ -= size;
  owner_->bytes_ -= size;
  entries_.erase(entries_.find(slot->first));
}

void NamedCache::flush() {
  if (dirty_.empty()) return;
  flushing_.clear();
  for (Slot* slot : dirty_) {
    Entry& entry = slot->second;
    entry.dirty = false;
    DirtyEntry& out = flushing_.emplace_back();
    out.key = slot->first;
    if (entry.has_value) out.value = entry.value;
    out.timestamp = entry.timestamp;
  }
  in_flush_ = true;
  struct Reset {
    bool& flag;
    ~Reset() { flag = false; }
  } reset{in_flush_};
  listener_(flushing_);
  for (Slot* slot : dirty_) {
    if (!slot->second.has_value) erase(slot);
  }
  dirty_.clear();
}

}  // namespace runnel::streams::internal
