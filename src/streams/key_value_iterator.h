#pragma once

#include <string>
#include <utility>

#include "common/status.h"
#include "streams/key_value_bytes_store.h"
#include "streams/serde.h"

namespace runnel::streams {

// A typed walk over a KeyValueStore<K,V>, the shape of KeyValueBytesIterator: the current
// key and value are deserialized once per step into objects the iterator reuses.
//   for (auto it = store.all(); it.valid(); it.next()) use(it.key(), it.value());
//   RUNNEL_RETURN_IF_ERROR(it.status());
template <class K, class V>
class KeyValueIterator {
 public:
  KeyValueIterator(KeyValueBytesIteratorPtr bytes, SerdePtr<K> key_serde, SerdePtr<V> value_serde, std::string topic)
      : bytes_(std::move(bytes)), key_serde_(std::move(key_serde)), value_serde_(std::move(value_serde)),
        topic_(std::move(topic)) {
    load();
  }

  // Whether the iterator is at an entry: false at the end, after an error (also one
  // deserializing the entry) and after close().
  bool valid() const { return status_.isOk() && bytes_->valid(); }
  // The current entry (requires valid()); they stay valid until next() or close().
  const K& key() const { return key_; }
  const V& value() const { return value_; }
  void next() {
    if (!valid()) return;
    bytes_->next();
    load();
  }
  // Why iteration ended early; OK when it reached the end of its range.
  Status status() const { return status_.isOk() ? bytes_->status() : status_; }
  // Releases the store's view; the destructor closes too.
  void close() { bytes_->close(); }

 private:
  void load() {
    if (!bytes_->valid()) return;
    status_ = key_serde_->deserialize(topic_, bytes_->key(), key_);
    if (status_.isOk()) status_ = value_serde_->deserialize(topic_, bytes_->value(), value_);
  }

  KeyValueBytesIteratorPtr bytes_;
  SerdePtr<K> key_serde_;
  SerdePtr<V> value_serde_;
  std::string topic_;
  K key_{};
  V value_{};
  Status status_;
};

}  // namespace runnel::streams
