#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace runnel::client {

// Client configuration: Kafka's Java client names (bootstrap.servers, acks, group.id,
// delivery.timeout.ms, ...) or librdkafka's. Implementations translate what they need to.
using ClientConfig = std::map<std::string, std::string>;

enum class TimestampType { kNotAvailable, kCreateTime, kLogAppendTime };

struct Header {
  std::string key;
  std::optional<std::string> value;  // nullopt is a null header value, not an empty one

  bool operator==(const Header&) const = default;
};

// A record as consumed from a partition.
struct Message {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  int64_t timestamp = -1;
  TimestampType timestamp_type = TimestampType::kNotAvailable;
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::vector<Header> headers;
};

// A consumed record seen in place: every view points into the client's buffers and is
// valid only during the callback that receives it. For hot paths that must not copy.
struct MessageView {
  std::string_view topic;
  int32_t partition = 0;
  int64_t offset = 0;
  int64_t timestamp = -1;
  TimestampType timestamp_type = TimestampType::kNotAvailable;
  std::optional<std::string_view> key;
  std::optional<std::string_view> value;
  // Null when the record has no headers. Otherwise points into a vector the consumer owns
  // and refills for the next record, so records without headers cost nothing.
  const std::vector<Header>* headers = nullptr;
};

// A record to produce.
struct ProducerRecord {
  static constexpr int32_t kAnyPartition = -1;

  std::string topic;
  int32_t partition = kAnyPartition;  // kAnyPartition: chosen by the murmur2 partitioner
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::vector<Header> headers;
  int64_t timestamp = 0;  // milliseconds since the epoch; 0 means now
};

struct TopicPartition {
  std::string topic;
  int32_t partition = 0;

  auto operator<=>(const TopicPartition&) const = default;
};

// Logical offsets understood wherever an offset is accepted as a starting position.
// They are negative, so they never collide with a real offset.
inline constexpr int64_t kOffsetBeginning = -2;  // the earliest retained record
inline constexpr int64_t kOffsetEnd = -1;        // the next record to be written
inline constexpr int64_t kOffsetStored = -1000;  // the group's committed offset, else auto.offset.reset
inline constexpr int64_t kOffsetInvalid = -1001; // no offset (e.g. nothing committed)

struct TopicPartitionOffset {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = kOffsetInvalid;

  bool operator==(const TopicPartitionOffset&) const = default;
};

}  // namespace runnel::client
