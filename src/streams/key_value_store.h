#pragma once

#include <cassert>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "streams/change.h"
#include "streams/internal/caching_key_value_store.h"
#include "streams/key_value_bytes_store.h"
#include "streams/key_value_iterator.h"
#include "streams/or_throw.h"
#include "streams/record.h"
#include "streams/serde.h"
#include "streams/state_store.h"

namespace runnel::streams {

// A key-value store of typed keys and values, as Kafka Streams' KeyValueStore<K,V>: it
// serializes with the store's serdes onto a KeyValueBytesStore, so keys are ordered by
// their serialized bytes. Errors come back as values where Kafka throws. A processor
// gets one with context.getStateStore<KeyValueStore<K,V>>(name); the dynamic_cast there
// fails when K or V differ from the store's.
//
// Keys and values are serialized into buffers the store keeps, so a get() or put() of a
// fixed-size key allocates nothing once they have grown. A value that serializes to null
// (an empty std::optional) deletes the key, as a null value does in Kafka.
template <class K, class V>
class KeyValueStore final : public StateStore {
 public:
  KeyValueStore(std::unique_ptr<KeyValueBytesStore> bytes, SerdePtr<K> key_serde, SerdePtr<V> value_serde)
      : bytes_(std::move(bytes)), key_serde_(std::move(key_serde)), value_serde_(std::move(value_serde)) {
    assert(bytes_ && key_serde_ && value_serde_);
  }

  // Hears each change of the store as its cache flushes it (Kafka's CacheFlushListener).
  using FlushListener = std::function<void(const K& key, const Change<V>& change, int64_t timestamp)>;

  const std::string& name() const override { return bytes_->name(); }
  // The serdes see the store's changelog topic, "<application.id>-<name>-changelog", as
  // Kafka Streams passes it. With a cache in the context, writes wait in it and the
  // cache logs them when it flushes.
  Status init(const StateStoreContext& context) override {
    topic_ = context.application_id + "-" + name() + "-changelog";
    if (context.cache != nullptr && caching_ == nullptr) {
      auto caching = std::make_unique<internal::CachingKeyValueBytesStore>(std::move(bytes_));
      caching_ = caching.get();
      bytes_ = std::move(caching);
    }
    RUNNEL_RETURN_IF_ERROR(bytes_->init(context));
    logger_ = caching_ != nullptr ? nullptr : context.change_logger;
    return Status::ok();
  }
  Status restoreBatch(std::span<const ChangelogRecord> records) override { return bytes_->restoreBatch(records); }

  // Kafka's setFlushListener: when the store caches, `listener` hears every change as
  // the cache flushes it, deduplicated per key, and the caller forwards from there.
  // Returns false, keeping nothing, when the store does not cache.
  bool setFlushListener(FlushListener listener);
  Status flush() override { return bytes_->flush(); }
  Status close() override { return bytes_->close(); }
  bool persistent() const override { return bytes_->persistent(); }
  bool isOpen() const override { return bytes_->isOpen(); }

  [[nodiscard]] Result<std::optional<V>> get(const K& key) {
    std::optional<V> value(std::in_place);
    RUNNEL_ASSIGN_OR_RETURN(bool found, get(key, *value));
    if (!found) value.reset();
    return value;
  }
  // Reads the value of `key` into `value`, reusing its storage; returns whether the key
  // was there.
  [[nodiscard]] Result<bool> get(const K& key, V& value) {
    RUNNEL_RETURN_IF_ERROR(serializeKey(key));
    RUNNEL_ASSIGN_OR_RETURN(bool found, bytes_->get(key_bytes_, value_bytes_));
    if (found) RUNNEL_RETURN_IF_ERROR(value_serde_->deserialize(topic_, value_bytes_, value));
    return found;
  }
  [[nodiscard]] Status put(const K& key, const V& value) {
    RUNNEL_RETURN_IF_ERROR(serializeKey(key));
    value_bytes_.clear();
    if (!value_serde_->serialize(topic_, value, value_bytes_)) {
      RUNNEL_RETURN_IF_ERROR(bytes_->remove(key_bytes_).status());
      log(std::nullopt);
      return Status::ok();
    }
    RUNNEL_RETURN_IF_ERROR(bytes_->put(key_bytes_, value_bytes_));
    log(value_bytes_);
    return Status::ok();
  }
  // Puts `value` only where `key` is absent; returns the value that was there.
  [[nodiscard]] Result<std::optional<V>> putIfAbsent(const K& key, const V& value) {
    RUNNEL_RETURN_IF_ERROR(serializeKey(key));
    value_bytes_.clear();
    if (!value_serde_->serialize(topic_, value, value_bytes_)) return get(key);  // a null put changes nothing
    RUNNEL_ASSIGN_OR_RETURN(std::optional<std::string> previous, bytes_->putIfAbsent(key_bytes_, value_bytes_));
    if (!previous) log(value_bytes_);
    return deserializeValue(previous);
  }
  // Kafka's delete(), a keyword in C++. Returns the value that was there.
  [[nodiscard]] Result<std::optional<V>> remove(const K& key) {
    RUNNEL_RETURN_IF_ERROR(serializeKey(key));
    RUNNEL_ASSIGN_OR_RETURN(std::optional<std::string> previous, bytes_->remove(key_bytes_));
    log(std::nullopt);
    return deserializeValue(previous);
  }
  [[nodiscard]] Status putAll(const std::vector<KeyValue<K, V>>& entries);
  [[nodiscard]] Result<uint64_t> approximateNumEntries() { return bytes_->approximateNumEntries(); }

  // Entries with from <= key <= to in serialized order; empty when from > to.
  KeyValueIterator<K, V> range(const K& from, const K& to) { return rangeOf(from, to, false); }
  KeyValueIterator<K, V> reverseRange(const K& from, const K& to) { return rangeOf(from, to, true); }
  KeyValueIterator<K, V> all() { return typed(bytes_->all()); }
  KeyValueIterator<K, V> reverseAll() { return typed(bytes_->reverseAll()); }
  // Entries whose serialized key starts with the bytes of `prefix`.
  template <class P>
  KeyValueIterator<K, V> prefixScan(const P& prefix, const Serde<P>& prefix_serde) {
    std::string bytes;
    if (!prefix_serde.serialize(topic_, prefix, bytes)) return typed(makeEmptyIterator(nullKey()));
    return typed(bytes_->prefixScan(bytes));
  }
  template <class P>
  KeyValueIterator<K, V> prefixScan(const P& prefix, const SerdePtr<P>& prefix_serde) {
    return prefixScan(prefix, *prefix_serde);
  }

 private:
  // Every write reaches the changelog (when the store is logged) after the store.
  void log(std::optional<std::string_view> value) {
    if (logger_ != nullptr) logger_->logChange(key_bytes_, value);
  }
  Status nullKey() const { return Status::invalidArgument("state store " + name() + ": null keys are not allowed"); }
  Status serializeKey(const K& key) {
    key_bytes_.clear();
    return key_serde_->serialize(topic_, key, key_bytes_) ? Status::ok() : nullKey();
  }
  Result<std::optional<V>> deserializeValue(const std::optional<std::string>& bytes) const {
    if (!bytes) return std::optional<V>();
    std::optional<V> value(std::in_place);
    RUNNEL_RETURN_IF_ERROR(value_serde_->deserialize(topic_, *bytes, *value));
    return value;
  }
  KeyValueIterator<K, V> typed(KeyValueBytesIteratorPtr bytes) const {
    return KeyValueIterator<K, V>(std::move(bytes), key_serde_, value_serde_, topic_);
  }
  KeyValueIterator<K, V> rangeOf(const K& from, const K& to, bool reverse);

  std::unique_ptr<KeyValueBytesStore> bytes_;
  SerdePtr<K> key_serde_;
  SerdePtr<V> value_serde_;
  std::string topic_;
  std::string key_bytes_;    // scratch of every call, reused
  std::string value_bytes_;  // scratch of every call, reused
  ChangeLogger* logger_ = nullptr;
  internal::CachingKeyValueBytesStore* caching_ = nullptr;  // the cache layer of bytes_, if any
};

template <class K, class V>
bool KeyValueStore<K, V>::setFlushListener(FlushListener listener) {
  if (caching_ == nullptr) return false;
  caching_->setFlushListener([this, listener = std::move(listener), key = K(), change = Change<V>()](
                                 std::string_view key_bytes, std::optional<std::string_view> new_value,
                                 std::optional<std::string_view> old_value, int64_t timestamp) mutable {
    orThrow(key_serde_->deserialize(topic_, key_bytes, key));
    auto read = [this](std::optional<std::string_view> bytes, std::optional<V>& out) {
      if (!bytes) return out.reset();
      if (!out) out.emplace();
      orThrow(value_serde_->deserialize(topic_, *bytes, *out));
    };
    read(new_value, change.new_value);
    read(old_value, change.old_value);
    listener(key, change, timestamp);
  });
  return true;
}

template <class K, class V>
Status KeyValueStore<K, V>::putAll(const std::vector<KeyValue<K, V>>& entries) {
  // All keys and values go into one buffer first: the entries' views must not move.
  std::string buffer;
  std::vector<std::pair<size_t, size_t>> key_spans;
  std::vector<std::optional<std::pair<size_t, size_t>>> value_spans;
  key_spans.reserve(entries.size());
  value_spans.reserve(entries.size());
  for (const KeyValue<K, V>& entry : entries) {
    size_t at = buffer.size();
    if (!key_serde_->serialize(topic_, entry.key, buffer)) return nullKey();
    key_spans.emplace_back(at, buffer.size() - at);
    at = buffer.size();
    if (value_serde_->serialize(topic_, entry.value, buffer)) {
      value_spans.emplace_back(std::pair(at, buffer.size() - at));
    } else {
      value_spans.emplace_back();
    }
  }
  std::string_view all_bytes = buffer;
  std::vector<BytesEntry> batch;
  batch.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    BytesEntry& entry = batch.emplace_back();
    entry.key = all_bytes.substr(key_spans[i].first, key_spans[i].second);
    if (value_spans[i]) entry.value = all_bytes.substr(value_spans[i]->first, value_spans[i]->second);
  }
  RUNNEL_RETURN_IF_ERROR(bytes_->putAll(batch));
  if (logger_ != nullptr) {
    for (const BytesEntry& entry : batch) logger_->logChange(entry.key, entry.value);
  }
  return Status::ok();
}

template <class K, class V>
KeyValueIterator<K, V> KeyValueStore<K, V>::rangeOf(const K& from, const K& to, bool reverse) {
  std::string from_bytes;
  std::string to_bytes;
  if (!key_serde_->serialize(topic_, from, from_bytes) || !key_serde_->serialize(topic_, to, to_bytes)) {
    return typed(makeEmptyIterator(nullKey()));
  }
  return typed(reverse ? bytes_->reverseRange(from_bytes, to_bytes) : bytes_->range(from_bytes, to_bytes));
}

}  // namespace runnel::streams
