#pragma once

// CreatePartitions (API key 37), versions 0-3 as in Apache Kafka's message
// definitions; the range the broker serves is in api.cc.

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/api.h"

namespace runnel::protocol {

struct CreatePartitionsRequest {
  static constexpr ApiKey kApiKey = ApiKey::kCreatePartitions;
  static constexpr int16_t kFirstFlexibleVersion = 2;

  struct CreatePartitionsAssignment {
    std::vector<int32_t> broker_ids;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.array(broker_ids);
    }
  };

  struct CreatePartitionsTopic {
    std::string name;
    int32_t count = 0;
    std::optional<std::vector<CreatePartitionsAssignment>> assignments;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(name);
      io.int32(count);
      io.nullableArray(assignments);
    }
  };

  std::vector<CreatePartitionsTopic> topics;
  int32_t timeout_ms = 0;
  bool validate_only = false;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    io.array(topics);
    io.int32(timeout_ms);
    io.boolean(validate_only);
  }
};

struct CreatePartitionsResponse {
  static constexpr ApiKey kApiKey = ApiKey::kCreatePartitions;
  static constexpr int16_t kFirstFlexibleVersion = 2;

  struct CreatePartitionsTopicResult {
    std::string name;
    int16_t error_code = 0;
    std::optional<std::string> error_message;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(name);
      io.int16(error_code);
      io.nullableString(error_message);
    }
  };

  int32_t throttle_time_ms = 0;
  std::vector<CreatePartitionsTopicResult> results;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    io.int32(throttle_time_ms);
    io.array(results);
  }
};

}  // namespace runnel::protocol
