#pragma once

// OffsetCommit (API key 8), versions 0-9 as in Apache Kafka's message
// definitions; the range the broker serves is in api.cc.

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/api.h"

namespace runnel::protocol {

struct OffsetCommitRequest {
  static constexpr ApiKey kApiKey = ApiKey::kOffsetCommit;
  static constexpr int16_t kFirstFlexibleVersion = 8;

  struct Partition {
    int32_t partition_index = 0;
    int64_t committed_offset = 0;
    int32_t committed_leader_epoch = -1;
    int64_t commit_timestamp = -1;
    std::optional<std::string> committed_metadata;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.int32(partition_index);
      io.int64(committed_offset);
      if (io.version() >= 6) io.int32(committed_leader_epoch);
      if (io.version() == 1) io.int64(commit_timestamp);
      io.nullableString(committed_metadata);
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
  int32_t generation_id_or_member_epoch = -1;
  std::string member_id;
  std::optional<std::string> group_instance_id;
  int64_t retention_time_ms = -1;
  std::vector<Topic> topics;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    io.string(group_id);
    if (io.version() >= 1) io.int32(generation_id_or_member_epoch);
    if (io.version() >= 1) io.string(member_id);
    if (io.version() >= 7) io.nullableString(group_instance_id);
    if (io.version() >= 2 && io.version() <= 4) io.int64(retention_time_ms);
    io.array(topics);
  }
};

struct OffsetCommitResponse {
  static constexpr ApiKey kApiKey = ApiKey::kOffsetCommit;
  static constexpr int16_t kFirstFlexibleVersion = 8;

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

  int32_t throttle_time_ms = 0;
  std::vector<Topic> topics;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    if (io.version() >= 3) io.int32(throttle_time_ms);
    io.array(topics);
  }
};

}  // namespace runnel::protocol
