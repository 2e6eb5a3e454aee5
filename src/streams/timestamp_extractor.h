#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

namespace runnel::streams {

// The record a timestamp extractor looks at, besides its deserialized key and value.
struct ConsumerRecordInfo {
  std::string_view topic;
  int32_t partition = 0;
  int64_t offset = 0;
  int64_t timestamp = -1;  // the timestamp the record carries
};

// Kafka Streams' TimestampExtractor for one source: returns the record's event time in
// milliseconds; a negative result drops the record with a warning, as Kafka does.
// `partition_time` is the largest timestamp extracted so far from the same partition.
template <class K, class V>
using TimestampExtractor =
    std::function<int64_t(const ConsumerRecordInfo& record, const K& key, const V& value, int64_t partition_time)>;

}  // namespace runnel::streams
