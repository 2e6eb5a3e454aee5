#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "client/types.h"

namespace runnel::streams {

using Header = client::Header;
using Headers = std::vector<Header>;

// One record flowing through a topology, as Kafka Streams' Record: a key, a value, a
// timestamp (milliseconds since the epoch) and headers.
template <class K, class V>
class Record {
 public:
  Record() = default;
  Record(K key, V value, int64_t timestamp, Headers headers = {})
      : key_(std::move(key)), value_(std::move(value)), timestamp_(timestamp), headers_(std::move(headers)) {}

  const K& key() const { return key_; }
  const V& value() const { return value_; }
  int64_t timestamp() const { return timestamp_; }
  const Headers& headers() const { return headers_; }

  K& mutableKey() { return key_; }
  V& mutableValue() { return value_; }
  Headers& mutableHeaders() { return headers_; }
  void setTimestamp(int64_t timestamp) { timestamp_ = timestamp; }

  // Copies of this record with one part replaced.
  template <class K2>
  Record<K2, V> withKey(K2 key) const& { return {std::move(key), value_, timestamp_, headers_}; }
  template <class K2>
  Record<K2, V> withKey(K2 key) && { return {std::move(key), std::move(value_), timestamp_, std::move(headers_)}; }
  template <class V2>
  Record<K, V2> withValue(V2 value) const& { return {key_, std::move(value), timestamp_, headers_}; }
  template <class V2>
  Record<K, V2> withValue(V2 value) && { return {std::move(key_), std::move(value), timestamp_, std::move(headers_)}; }
  Record withTimestamp(int64_t timestamp) const& { return {key_, value_, timestamp, headers_}; }
  Record withTimestamp(int64_t timestamp) && { return {std::move(key_), std::move(value_), timestamp, std::move(headers_)}; }
  Record withHeaders(Headers headers) const& { return {key_, value_, timestamp_, std::move(headers)}; }

  bool operator==(const Record&) const = default;

 private:
  K key_{};
  V value_{};
  int64_t timestamp_ = 0;
  Headers headers_;
};

// Where the record being processed came from. Absent while a punctuator runs.
struct RecordMetadata {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
};

template <class K, class V>
struct KeyValue {
  K key;
  V value;

  bool operator==(const KeyValue&) const = default;
};

}  // namespace runnel::streams
