#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "streams/key_value_bytes_store.h"

namespace runnel::streams::internal {

class NamedCache;
struct DirtyEntry;

// Kafka Streams' CachingKeyValueStore: writes wait in the thread's record cache, where a
// later write of a key replaces an earlier one, and reach the wrapped store, the
// changelog and (through the flush listener) the processor's children only when the
// cache flushes them: at commit, or when the cache is full. Reads see the cache first.
// A task opens it with a StateStoreContext whose `cache` is set.
class CachingKeyValueBytesStore final : public KeyValueBytesStore {
 public:
  // Hears each flushed write after it reached the wrapped store: the new value (nullopt:
  // deleted) and the one it replaced there (nullopt: none), with the timestamp of the
  // record that wrote it. Writes that delete an absent key are dropped unheard.
  using FlushListener = std::function<void(std::string_view key, std::optional<std::string_view> new_value,
                                           std::optional<std::string_view> old_value, int64_t timestamp)>;

  explicit CachingKeyValueBytesStore(std::unique_ptr<KeyValueBytesStore> inner);
  ~CachingKeyValueBytesStore() override;

  void setFlushListener(FlushListener listener) { listener_ = std::move(listener); }

  const std::string& name() const override { return inner_->name(); }
  [[nodiscard]] Status init(const StateStoreContext& context) override;
  // Flushes the cache, then the wrapped store.
  [[nodiscard]] Status flush() override;
  // Drops what the cache holds unflushed (a task commits before it closes cleanly).
  [[nodiscard]] Status close() override;
  bool persistent() const override { return inner_->persistent(); }
  bool isOpen() const override { return cache_ != nullptr && inner_->isOpen(); }
  [[nodiscard]] Status restoreBatch(std::span<const ChangelogRecord> records) override;

  [[nodiscard]] Result<bool> get(std::string_view key, std::string& value) override;
  [[nodiscard]] Status put(std::string_view key, std::string_view value) override;
  [[nodiscard]] Result<std::optional<std::string>> putIfAbsent(std::string_view key, std::string_view value) override;
  [[nodiscard]] Result<std::optional<std::string>> remove(std::string_view key) override;
  [[nodiscard]] Status putAll(std::span<const BytesEntry> entries) override;
  [[nodiscard]] Result<uint64_t> approximateNumEntries() override { return inner_->approximateNumEntries(); }
  KeyValueBytesIteratorPtr scan(KeyRange range) override;

 private:
  Status write(std::string_view key, std::optional<std::string_view> value);
  // The cache's flush listener: writes `entries` through to the wrapped store in one
  // batch, then logs and announces each.
  void writeThrough(std::span<const DirtyEntry> entries);

  std::unique_ptr<KeyValueBytesStore> inner_;
  std::unique_ptr<NamedCache> cache_;
  ChangeLogger* logger_ = nullptr;
  int64_t* record_timestamp_ = nullptr;
  FlushListener listener_;
  // Scratch of writeThrough(), reused.
  std::vector<BytesEntry> batch_;
  std::vector<int64_t> batch_timestamps_;
  std::vector<std::optional<std::string>> old_values_;
};

}  // namespace runnel::streams::internal
