#pragma once

// OffsetFetch (API key 9), versions 0-9 as in Apache Kafka's message
// definitions; the range the broker serves is in api.cc.

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/api.h"

namespace runnel::protocol {

struct OffsetFetchRequest {
  static constexpr ApiKey kApiKey = ApiKey::kOffsetFetch;
  static constexpr int16_t kFirstFlexibleVersion = 6;

  struct Topic {
    std::string name;
    std::vector<int32_t> partition_indexes;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(name);
      io.array(partition_indexes);
    }
  };

  struct Topics {
    std::string name;
    std::vector<int32_t> partition_indexes;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(name);
      io.array(partition_indexes);
    }
  };

  struct Group {
    std::string group_id;
    std::optional<std::string> member_id;
    int32_t member_epoch = -1;
    std::optional<std::vector<Topics>> topics;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(group_id);
      if (io.version() >= 9) io.nullableString(member_id);
      if (io.version() >= 9) io.int32(member_epoch);
      io.nullableArray(topics);
    }
  };

  std::string group_id;
  std::optional<std::vector<Topic>> topics;
  std::vector<Group> groups;
  bool require_stable = false;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    if (io.version() <= 7) io.string(group_id);
    if (io.version() <= 7) io.nullableArray(topics);
    if (io.version() >= 8) io.array(groups);
    if (io.version() >= 7) io.boolean(require_stable);
  }
};

struct OffsetFetchResponse {
  static constexpr ApiKey kApiKey = ApiKey::kOffsetFetch;
  static constexpr int16_t kFirstFlexibleVersion = 6;

  struct Partition {
    int32_t partition_index = 0;
    int64_t committed_offset = 0;
    int32_t committed_leader_epoch = -1;
    std::optional<std::string> metadata;
    int16_t error_code = 0;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.int32(partition_index);
      io.int64(committed_offset);
      if (io.version() >= 5) io.int32(committed_leader_epoch);
      io.nullableString(metadata);
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

  struct Partitions {
    int32_t partition_index = 0;
    int64_t committed_offset = 0;
    int32_t committed_leader_epoch = -1;
    std::optional<std::string> metadata;
    int16_t error_code = 0;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.int32(partition_index);
      io.int64(committed_offset);
      io.int32(committed_leader_epoch);
      io.nullableString(metadata);
      io.int16(error_code);
    }
  };

  struct Topics {
    std::string name;
    std::vector<Partitions> partitions;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(name);
      io.array(partitions);
    }
  };

  struct Group {
    std::string group_id;
    std::vector<Topics> topics;
    int16_t error_code = 0;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(group_id);
      io.array(topics);
      io.int16(error_code);
    }
  };

  int32_t throttle_time_ms = 0;
  std::vector<Topic> topics;
  int16_t error_code = 0;
  std::vector<Group> groups;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    if (io.version() >= 3) io.int32(throttle_time_ms);
    if (io.version() <= 7) io.array(topics);
    if (io.version() >= 2 && io.version() <= 7) io.int16(error_code);
    if (io.version() >= 8) io.array(groups);
  }
};

}  // namespace runnel::protocol
