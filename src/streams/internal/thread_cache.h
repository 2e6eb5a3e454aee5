#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <algorithm>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace runnel::streams::internal {

class ThreadCache;

// A write that waits in the cache: the latest value of a key since the last flush.
struct DirtyEntry {
  std::string_view key;
  std::optional<std::string_view> value;  // nullopt: the key was deleted
  int64_t timestamp = 0;                  // of the record that wrote it
};

// One store's part of a thread's record cache (Kafka Streams' NamedCache): the latest
// value per key, dirty until flushed, in least-recently-used order for eviction. Used
// by one thread; interactive queries read it (find) only under the owning task's lock.
class NamedCache {
 public:
  // Hears every flush: the dirty entries in the order they first became dirty. The
  // views stay valid during the call.
  using FlushListener = std::function<void(std::span<const DirtyEntry>)>;

  NamedCache(ThreadCache* owner, FlushListener listener);
  ~NamedCache();
  NamedCache(const NamedCache&) = delete;
  NamedCache& operator=(const NamedCache&) = delete;

  struct Entry;
  using Slot = std::pair<const std::string, Entry>;
  struct Entry {
    std::string value;
    bool has_value = false;  // false: a deleted key, until flushed
    bool dirty = false;
    int64_t timestamp = 0;
    Slot* newer = nullptr;  // LRU neighbours
    Slot* older = nullptr;
  };

  // The cached entry of `key`, or nullptr; a hit makes it the most recently used.
  const Entry* find(std::string_view key);
  // Caches a write (`value` nullopt: a delete) as dirty, then evicts least recently used
  // entries while the thread's cache is over its size, flushing first when one is dirty.
  // Throws std::logic_error when called from this cache's own flush listener.
  void put(std::string_view key, std::optional<std::string_view> value, int64_t timestamp);
  // Hands every dirty entry to the listener and marks them clean; deleted keys leave.
  void flush();
  // The cached entries with lower <= key < upper (unset: unbounded), in key order. The
  // cache is hashed for the per-record lookups, so a scan sorts what it finds.
  template <class Visit>
  void forEachInRange(const std::optional<std::string>& lower, const std::optional<std::string>& upper,
                      Visit&& visit) const {
    std::vector<const Slot*> found;
    for (const Slot& slot : entries_) {
      if ((!lower || slot.first >= *lower) && (!upper || slot.first < *upper)) found.push_back(&slot);
    }
    std::sort(found.begin(), found.end(), [](const Slot* a, const Slot* b) { return a->first < b->first; });
    for (const Slot* slot : found) visit(slot->first, slot->second);
  }
  size_t size() const { return entries_.size(); }
  size_t bytes() const { return bytes_; }

 private:
  static size_t footprint(std::string_view key, const Entry& entry);
  void touch(Slot* slot);
  void unlink(Slot* slot);
  void evictEldest();
  void erase(Slot* slot);

  ThreadCache* owner_;
  FlushListener listener_;
  // Transparent, so that lookups by string_view allocate nothing.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>()(key); }
  };
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries_;
  Slot* newest_ = nullptr;
  Slot* oldest_ = nullptr;
  std::vector<Slot*> dirty_;           // in the order they became dirty
  std::vector<DirtyEntry> flushing_;   // reused by flush()
  bool in_flush_ = false;              // the listener is running: writes would move its views
  size_t bytes_ = 0;
};

// The record cache of one stream thread (Kafka Streams' ThreadCache): the cached stores
// of its tasks share `max_bytes` (statestore.cache.max.bytes split across the threads).
// When a write takes it over the size, the written store evicts its least recently used
// entries, as Kafka evicts from the namespace being written.
class ThreadCache {
 public:
  explicit ThreadCache(size_t max_bytes) : max_bytes_(max_bytes) {}

  std::unique_ptr<NamedCache> open(NamedCache::FlushListener listener) {
    return std::make_unique<NamedCache>(this, std::move(listener));
  }
  size_t maxBytes() const { return max_bytes_; }
  size_t bytes() const { return bytes_; }
  bool overSize() const { return bytes_ > max_bytes_; }

 private:
  friend class NamedCache;
  size_t max_bytes_;
  size_t bytes_ = 0;
};

}  // namespace runnel::streams::internal
