#pragma once

// SyncGroup (API key 14), versions 0-5 as in Apache Kafka's message
// definitions; the range the broker serves is in api.cc.

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/api.h"

namespace runnel::protocol {

struct SyncGroupRequest {
  static constexpr ApiKey kApiKey = ApiKey::kSyncGroup;
  static constexpr int16_t kFirstFlexibleVersion = 4;

  struct Assignment {
    std::string member_id;
    Bytes assignment;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(member_id);
      io.bytes(assignment);
    }
  };

  std::string group_id;
  int32_t generation_id = 0;
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::optional<std::string> protocol_type;
  std::optional<std::string> protocol_name;
  std::vector<Assignment> assignments;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    io.string(group_id);
    io.int32(generation_id);
    io.string(member_id);
    if (io.version() >= 3) io.nullableString(group_instance_id);
    if (io.version() >= 5) io.nullableString(protocol_type);
    if (io.version() >= 5) io.nullableString(protocol_name);
    io.array(assignments);
  }
};

struct SyncGroupResponse {
  static constexpr ApiKey kApiKey = ApiKey::kSyncGroup;
  static constexpr int16_t kFirstFlexibleVersion = 4;

  int32_t throttle_time_ms = 0;
  int16_t error_code = 0;
  std::optional<std::string> protocol_type;
  std::optional<std::string> protocol_name;
  Bytes assignment;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    if (io.version() >= 1) io.int32(throttle_time_ms);
    io.int16(error_code);
    if (io.version() >= 5) io.nullableString(protocol_type);
    if (io.version() >= 5) io.nullableString(protocol_name);
    io.bytes(assignment);
  }
};

}  // namespace runnel::protocol
