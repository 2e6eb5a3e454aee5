#pragma once

// LeaveGroup (API key 13), versions 0-5 as in Apache Kafka's message
// definitions; the range the broker serves is in api.cc.

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/api.h"

namespace runnel::protocol {

struct LeaveGroupRequest {
  static constexpr ApiKey kApiKey = ApiKey::kLeaveGroup;
  static constexpr int16_t kFirstFlexibleVersion = 4;

  struct MemberIdentity {
    std::string member_id;
    std::optional<std::string> group_instance_id;
    std::optional<std::string> reason;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(member_id);
      io.nullableString(group_instance_id);
      if (io.version() >= 5) io.nullableString(reason);
    }
  };

  std::string group_id;
  std::string member_id;
  std::vector<MemberIdentity> members;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    io.string(group_id);
    if (io.version() <= 2) io.string(member_id);
    if (io.version() >= 3) io.array(members);
  }
};

struct LeaveGroupResponse {
  static constexpr ApiKey kApiKey = ApiKey::kLeaveGroup;
  static constexpr int16_t kFirstFlexibleVersion = 4;

  struct MemberResponse {
    std::string member_id;
    std::optional<std::string> group_instance_id;
    int16_t error_code = 0;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(member_id);
      io.nullableString(group_instance_id);
      io.int16(error_code);
    }
  };

  int32_t throttle_time_ms = 0;
  int16_t error_code = 0;
  std::vector<MemberResponse> members;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    if (io.version() >= 1) io.int32(throttle_time_ms);
    io.int16(error_code);
    if (io.version() >= 3) io.array(members);
  }
};

}  // namespace runnel::protocol
