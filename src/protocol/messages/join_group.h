#pragma once

// JoinGroup (API key 11), versions 0-9 as in Apache Kafka's message
// definitions; the range the broker serves is in api.cc.

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/api.h"

namespace runnel::protocol {

struct JoinGroupRequest {
  static constexpr ApiKey kApiKey = ApiKey::kJoinGroup;
  static constexpr int16_t kFirstFlexibleVersion = 6;

  struct Protocol {
    std::string name;
    Bytes metadata;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(name);
      io.bytes(metadata);
    }
  };

  std::string group_id;
  int32_t session_timeout_ms = 0;
  int32_t rebalance_timeout_ms = -1;
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::string protocol_type;
  std::vector<Protocol> protocols;
  std::optional<std::string> reason;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    io.string(group_id);
    io.int32(session_timeout_ms);
    if (io.version() >= 1) io.int32(rebalance_timeout_ms);
    io.string(member_id);
    if (io.version() >= 5) io.nullableString(group_instance_id);
    io.string(protocol_type);
    io.array(protocols);
    if (io.version() >= 8) io.nullableString(reason);
  }
};

struct JoinGroupResponse {
  static constexpr ApiKey kApiKey = ApiKey::kJoinGroup;
  static constexpr int16_t kFirstFlexibleVersion = 6;

  struct Member {
    std::string member_id;
    std::optional<std::string> group_instance_id;
    Bytes metadata;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(member_id);
      if (io.version() >= 5) io.nullableString(group_instance_id);
      io.bytes(metadata);
    }
  };

  int32_t throttle_time_ms = 0;
  int16_t error_code = 0;
  int32_t generation_id = -1;
  std::optional<std::string> protocol_type;
  std::optional<std::string> protocol_name;
  std::string leader;
  bool skip_assignment = false;
  std::string member_id;
  std::vector<Member> members;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    if (io.version() >= 2) io.int32(throttle_time_ms);
    io.int16(error_code);
    io.int32(generation_id);
    if (io.version() >= 7) io.nullableString(protocol_type);
    io.nullableString(protocol_name);
    io.string(leader);
    if (io.version() >= 9) io.boolean(skip_assignment);
    io.string(member_id);
    io.array(members);
  }
};

}  // namespace runnel::protocol
