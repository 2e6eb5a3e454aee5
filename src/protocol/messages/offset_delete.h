#pragma once

// OffsetDelete (API key 47), versions 0 as in Apache Kafka's message
// definitions; the range the broker serves is in api.cc.

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/api.h"

namespace runnel::protocol {

struct OffsetDeleteRequest {
  static constexpr ApiKey kApiKey = ApiKey::kOffsetDelete;
  static constexpr int16_t kFirstFlexibleVersion = INT16_MAX;

  struct Partition {
    int32_t partition_index = 0;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.int32(partition_index);
    }
  };

  struct Topic {
    std::string name;
    std::vector<Partition> partitions;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(name);
      io.array(partitions);
    }
  };

  std::string group_id;
  std::vector<Topic> topics;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    io.string(group_id);
    io.array(topics);
  }
};

struct OffsetDeleteResponse {
  static constexpr ApiKey kApiKey = ApiKey::kOffsetDelete;
  static constexpr int16_t kFirstFlexibleVersion = INT16_MAX;

  struct Partition {
    int32_t partition_index = 0;
    int16_t error_code = 0;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.int32(partition_index);
      io.int16(error_code);
    }
  };

  struct Topic {
    std::string name;
    std::vector<Partition> partitions;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(name);
      io.array(partitions);
    }
  };

  int16_t error_code = 0;
  int32_t throttle_time_ms = 0;
  std::vector<Topic> topics;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    io.int16(error_code);
    io.int32(throttle_time_ms);
    io.array(topics);
  }
};

}  // namespace runnel::protocol
