#pragma once

// Produce (API key 0), versions 0-11 as in Apache Kafka's message
// definitions; the range the broker serves is in api.cc.

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/api.h"

namespace runnel::protocol {

struct ProduceRequest {
  static constexpr ApiKey kApiKey = ApiKey::kProduce;
  static constexpr int16_t kFirstFlexibleVersion = 9;

  struct PartitionProduceData {
    int32_t index = 0;
    std::optional<ByteSpan> records;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.int32(index);
      io.records(records);
    }
  };

  struct TopicProduceData {
    std::string name;
    std::vector<PartitionProduceData> partition_data;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(name);
      io.array(partition_data);
    }
  };

  std::optional<std::string> transactional_id;
  int16_t acks = 0;
  int32_t timeout_ms = 0;
  std::vector<TopicProduceData> topic_data;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    if (io.version() >= 3) io.nullableString(transactional_id);
    io.int16(acks);
    io.int32(timeout_ms);
    io.array(topic_data);
  }
};

struct ProduceResponse {
  static constexpr ApiKey kApiKey = ApiKey::kProduce;
  static constexpr int16_t kFirstFlexibleVersion = 9;

  struct BatchIndexAndErrorMessage {
    int32_t batch_index = 0;
    std::optional<std::string> batch_index_error_message;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.int32(batch_index);
      io.nullableString(batch_index_error_message);
    }
  };

  struct PartitionProduceResponse {
    int32_t index = 0;
    int16_t error_code = 0;
    int64_t base_offset = 0;
    int64_t log_append_time_ms = -1;
    int64_t log_start_offset = -1;
    std::vector<BatchIndexAndErrorMessage> record_errors;
    std::optional<std::string> error_message;
    // Tagged field 0 (CurrentLeader, v10+) stays in tagged_fields.
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.int32(index);
      io.int16(error_code);
      io.int64(base_offset);
      if (io.version() >= 2) io.int64(log_append_time_ms);
      if (io.version() >= 5) io.int64(log_start_offset);
      if (io.version() >= 8) io.array(record_errors);
      if (io.version() >= 8) io.nullableString(error_message);
    }
  };

  struct TopicProduceResponse {
    std::string name;
    std::vector<PartitionProduceResponse> partition_responses;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(name);
      io.array(partition_responses);
    }
  };

  std::vector<TopicProduceResponse> responses;
  int32_t throttle_time_ms = 0;
  // Tagged field 0 (NodeEndpoints, v10+) stays in tagged_fields.
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    io.array(responses);
    if (io.version() >= 1) io.int32(throttle_time_ms);
  }
};

}  // namespace runnel::protocol
