#pragma once

// CreateTopics (API key 19), versions 0-7 as in Apache Kafka's message
// definitions; the range the broker serves is in api.cc.

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/api.h"

namespace runnel::protocol {

struct CreateTopicsRequest {
  static constexpr ApiKey kApiKey = ApiKey::kCreateTopics;
  static constexpr int16_t kFirstFlexibleVersion = 5;

  struct CreatableReplicaAssignment {
    int32_t partition_index = 0;
    std::vector<int32_t> broker_ids;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.int32(partition_index);
      io.array(broker_ids);
    }
  };

  struct CreatableTopicConfig {
    std::string name;
    std::optional<std::string> value;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(name);
      io.nullableString(value);
    }
  };

  struct CreatableTopic {
    std::string name;
    int32_t num_partitions = 0;
    int16_t replication_factor = 0;
    std::vector<CreatableReplicaAssignment> assignments;
    std::vector<CreatableTopicConfig> configs;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(name);
      io.int32(num_partitions);
      io.int16(replication_factor);
      io.array(assignments);
      io.array(configs);
    }
  };

  std::vector<CreatableTopic> topics;
  int32_t timeout_ms = 60000;
  bool validate_only = false;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    io.array(topics);
    io.int32(timeout_ms);
    if (io.version() >= 1) io.boolean(validate_only);
  }
};

struct CreateTopicsResponse {
  static constexpr ApiKey kApiKey = ApiKey::kCreateTopics;
  static constexpr int16_t kFirstFlexibleVersion = 5;

  struct CreatableTopicConfigs {
    std::string name;
    std::optional<std::string> value;
    bool read_only = false;
    int8_t config_source = -1;
    bool is_sensitive = false;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(name);
      io.nullableString(value);
      io.boolean(read_only);
      io.int8(config_source);
      io.boolean(is_sensitive);
    }
  };

  struct CreatableTopicResult {
    std::string name;
    Uuid topic_id{};
    int16_t error_code = 0;
    std::optional<std::string> error_message;
    // Tagged field 0 (TopicConfigErrorCode, v5+) stays in tagged_fields.
    int32_t num_partitions = -1;
    int16_t replication_factor = -1;
    std::optional<std::vector<CreatableTopicConfigs>> configs;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(name);
      if (io.version() >= 7) io.uuid(topic_id);
      io.int16(error_code);
      if (io.version() >= 1) io.nullableString(error_message);
      if (io.version() >= 5) io.int32(num_partitions);
      if (io.version() >= 5) io.int16(replication_factor);
      if (io.version() >= 5) io.nullableArray(configs);
    }
  };

  int32_t throttle_time_ms = 0;
  std::vector<CreatableTopicResult> topics;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    if (io.version() >= 2) io.int32(throttle_time_ms);
    io.array(topics);
  }
};

}  // namespace runnel::protocol
