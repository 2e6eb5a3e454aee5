#include "streams/in_memory_key_value_store.h"

#include <functional>
#include <map>
#include <unordered_set>
#include <utility>

namespace runnel::streams {
namespace {

using Map = std::map<std::string, std::string, std::less<>>;

class InMemoryKeyValueStore;

// Walks the map itself, no copy. Entries put after the iterator was made are seen, as
// with Kafka's in-memory store. Removing the current entry is allowed (the common
// "scan and delete" punctuator): the store moves the iterator off it first.
class InMemoryIterator final : public KeyValueBytesIterator {
 public:
  InMemoryIterator(InMemoryKeyValueStore* store, Map& map, KeyRange range);
  ~InMemoryIterator() override { close(); }

  bool valid() const override { return valid_; }
  std::string_view key() const override { return pos_->first; }
  std::string_view value() const override { return pos_->second; }
  void next() override {
    if (moved_off_) {
      moved_off_ = false;
    } else if (valid_) {
      advance();
    }
  }
  Status status() const override { return status_; }
  void close() override;

  // Called by the store before it erases `node`.
  void beforeErase(Map::iterator node) {
    if (valid_ && pos_ == node) {
      advance();
      moved_off_ = true;
    }
  }
  // Called by the store when it closes with this iterator still open.
  void detach(const std::string& store_name) {
    store_ = nullptr;
    valid_ = false;
    status_ = Status::invalidArgument("state store " + store_name + " was closed while an iterator was open");
  }

 private:
  void advance() {
    if (range_.reverse) {
      if (pos_ == map_->begin()) {
        valid_ = false;
        return;
      }
      --pos_;
    } else {
      ++pos_;
    }
    checkBounds();
  }
  void checkBounds() {
    valid_ = pos_ != map_->end() && (!range_.lower || pos_->first >= *range_.lower) &&
             (!range_.upper || pos_->first < *range_.upper);
  }

  InMemoryKeyValueStore* store_;
  Map* map_;
  KeyRange range_;
  Map::iterator pos_;
  bool valid_ = false;
  bool moved_off_ = false;  // the store moved pos_ on; next() stays there
  Status status_;
};

class InMemoryKeyValueStore final : public KeyValueBytesStore {
 public:
  explicit InMemoryKeyValueStore(std::string name) : name_(std::move(name)) {}
  ~InMemoryKeyValueStore() override { (void)close(); }

  const std::string& name() const override { return name_; }
  Status init(const StateStoreContext&) override {
    if (open_) return Status::invalidArgument("state store " + name_ + " is already open");
    open_ = true;
    return Status::ok();
  }
  Status flush() override { return open_ ? Status::ok() : storeNotOpen(name_); }
  Status close() override {
    for (InMemoryIterator* it : std::exchange(open_iterators_, {})) it->detach(name_);
    map_.clear();
    open_ = false;
    return Status::ok();
  }
  bool persistent() const override { return false; }
  bool isOpen() const override { return open_; }

  Result<bool> get(std::string_view key, std::string& value) override {
    if (!open_) return storeNotOpen(name_);
    auto it = map_.find(key);
    if (it == map_.end()) return false;
    value.assign(it->second);
    return true;
  }
  Status put(std::string_view key, std::string_view value) override {
    if (!open_) return storeNotOpen(name_);
    // Looked up first so that overwriting a key allocates nothing.
    auto it = map_.lower_bound(key);
    if (it != map_.end() && it->first == key) {
      it->second.assign(value);
    } else {
      map_.emplace_hint(it, key, value);
    }
    return Status::ok();
  }
  Result<std::optional<std::string>> putIfAbsent(std::string_view key, std::string_view value) override {
    if (!open_) return storeNotOpen(name_);
    auto it = map_.lower_bound(key);
    if (it != map_.end() && it->first == key) return std::optional<std::string>(it->second);
    map_.emplace_hint(it, key, value);
    return std::optional<std::string>();
  }
  Result<std::optional<std::string>> remove(std::string_view key) override {
    if (!open_) return storeNotOpen(name_);
    auto it = map_.find(key);
    if (it == map_.end()) return std::optional<std::string>();
    std::optional<std::string> previous(std::move(it->second));
    erase(it);
    return previous;
  }
  Status putAll(std::span<const BytesEntry> entries) override {
    if (!open_) return storeNotOpen(name_);
    for (const BytesEntry& entry : entries) {
      if (entry.value) {
        RUNNEL_RETURN_IF_ERROR(put(entry.key, *entry.value));
      } else if (auto it = map_.find(entry.key); it != map_.end()) {
        erase(it);
      }
    }
    return Status::ok();
  }
  Result<uint64_t> approximateNumEntries() override {
    if (!open_) return storeNotOpen(name_);
    return uint64_t(map_.size());
  }

  KeyValueBytesIteratorPtr scan(KeyRange range) override {
    if (!open_) return makeEmptyIterator(storeNotOpen(name_));
    auto it = std::make_unique<InMemoryIterator>(this, map_, std::move(range));
    open_iterators_.insert(it.get());
    return it;
  }

  void forget(InMemoryIterator* it) { open_iterators_.erase(it); }

 private:
  void erase(Map::iterator node) {
    for (InMemoryIterator* it : open_iterators_) it->beforeErase(node);
    map_.erase(node);
  }

  std::string name_;
  bool open_ = false;
  Map map_;
  std::unordered_set<InMemoryIterator*> open_iterators_;
};

InMemoryIterator::InMemoryIterator(InMemoryKeyValueStore* store, Map& map, KeyRange range)
    : store_(store), map_(&map), range_(std::move(range)) {
  if (range_.reverse) {
    pos_ = range_.upper ? map_->lower_bound(*range_.upper) : map_->end();
    if (pos_ == map_->begin()) return;
    --pos_;
  } else {
    pos_ = range_.lower ? map_->lower_bound(*range_.lower) : map_->begin();
  }
  checkBounds();
}

void InMemoryIterator::close() {
  if (store_ != nullptr) store_->forget(this);
  store_ = nullptr;
  valid_ = false;
}

}  // namespace

std::unique_ptr<KeyValueBytesStore> makeInMemoryKeyValueStore(std::string name) {
  return std::make_unique<InMemoryKeyValueStore>(std::move(name));
}

}  // namespace runnel::streams
