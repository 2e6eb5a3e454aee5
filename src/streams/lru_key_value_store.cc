#include "streams/lru_key_value_store.h"

#include <list>
#include <unordered_map>

#include "streams/in_memory_key_value_store.h"

namespace runnel::streams {
namespace {

class LruKeyValueStore final : public KeyValueBytesStore {
 public:
  LruKeyValueStore(std::string name, size_t max_entries)
      : entries_(makeInMemoryKeyValueStore(std::move(name))), max_entries_(max_entries) {}

  const std::string& name() const override { return entries_->name(); }
  Status init(const StateStoreContext& context) override {
    logger_ = context.change_logger;
    return entries_->init(context);
  }
  Status flush() override { return entries_->flush(); }
  Status close() override {
    recency_.clear();
    position_.clear();
    return entries_->close();
  }
  bool persistent() const override { return false; }
  bool isOpen() const override { return entries_->isOpen(); }

  Result<bool> get(std::string_view key, std::string& value) override {
    RUNNEL_ASSIGN_OR_RETURN(bool found, entries_->get(key, value));
    if (found) touch(key);
    return found;
  }
  Status put(std::string_view key, std::string_view value) override {
    RUNNEL_RETURN_IF_ERROR(entries_->put(key, value));
    touch(key);
    return evictBeyondLimit();
  }
  Result<std::optional<std::string>> putIfAbsent(std::string_view key, std::string_view value) override {
    RUNNEL_ASSIGN_OR_RETURN(auto previous, entries_->putIfAbsent(key, value));
    touch(key);
    RUNNEL_RETURN_IF_ERROR(evictBeyondLimit());
    return previous;
  }
  Result<std::optional<std::string>> remove(std::string_view key) override {
    forget(key);
    return entries_->remove(key);
  }
  Status putAll(std::span<const BytesEntry> entries) override {
    for (const BytesEntry& entry : entries) {
      if (entry.value) {
        RUNNEL_RETURN_IF_ERROR(put(entry.key, *entry.value));
      } else {
        RUNNEL_RETURN_IF_ERROR(remove(entry.key).status());
      }
    }
    return Status::ok();
  }
  Result<uint64_t> approximateNumEntries() override { return entries_->approximateNumEntries(); }
  KeyValueBytesIteratorPtr scan(KeyRange range) override { return entries_->scan(std::move(range)); }

 private:
  void touch(std::string_view key) {
    auto it = position_.find(std::string(key));
    if (it != position_.end()) {
      recency_.splice(recency_.end(), recency_, it->second);
      return;
    }
    recency_.emplace_back(key);
    position_.emplace(recency_.back(), std::prev(recency_.end()));
  }
  void forget(std::string_view key) {
    auto it = position_.find(std::string(key));
    if (it == position_.end()) return;
    recency_.erase(it->second);
    position_.erase(it);
  }
  Status evictBeyondLimit() {
    while (recency_.size() > max_entries_) {
      std::string eldest = std::move(recency_.front());
      position_.erase(eldest);
      recency_.pop_front();
      RUNNEL_RETURN_IF_ERROR(entries_->remove(eldest).status());
      if (logger_ != nullptr) logger_->logChange(eldest, std::nullopt);
    }
    return Status::ok();
  }

  std::unique_ptr<KeyValueBytesStore> entries_;
  size_t max_entries_;
  std::list<std::string> recency_;  // least recently used first
  std::unordered_map<std::string, std::list<std::string>::iterator> position_;
  ChangeLogger* logger_ = nullptr;
};

}  // namespace

std::unique_ptr<KeyValueBytesStore> makeLruKeyValueStore(std::string name, size_t max_entries) {
  return std::make_unique<LruKeyValueStore>(std::move(name), max_entries);
}

}  // namespace runnel::streams
