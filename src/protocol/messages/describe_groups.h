#pragma once

// DescribeGroups (API key 15), versions 0-5 as in Apache Kafka's message
// definitions; the range the broker serves is in api.cc.

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/api.h"

namespace runnel::protocol {

struct DescribeGroupsRequest {
  static constexpr ApiKey kApiKey = ApiKey::kDescribeGroups;
  static constexpr int16_t kFirstFlexibleVersion = 5;

  std::vector<std::string> groups;
  bool include_authorized_operations = false;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    io.array(groups);
    if (io.version() >= 3) io.boolean(include_authorized_operations);
  }
};

struct DescribeGroupsResponse {
  static constexpr ApiKey kApiKey = ApiKey::kDescribeGroups;
  static constexpr int16_t kFirstFlexibleVersion = 5;

  struct DescribedGroupMember {
    std::string member_id;
    std::optional<std::string> group_instance_id;
    std::string client_id;
    std::string client_host;
    Bytes member_metadata;
    Bytes member_assignment;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(member_id);
      if (io.version() >= 4) io.nullableString(group_instance_id);
      io.string(client_id);
      io.string(client_host);
      io.bytes(member_metadata);
      io.bytes(member_assignment);
    }
  };

  struct DescribedGroup {
    int16_t error_code = 0;
    std::string group_id;
    std::string group_state;
    std::string protocol_type;
    std::string protocol_data;
    std::vector<DescribedGroupMember> members;
    int32_t authorized_operations = INT32_MIN;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.int16(error_code);
      io.string(group_id);
      io.string(group_state);
      io.string(protocol_type);
      io.string(protocol_data);
      io.array(members);
      if (io.version() >= 3) io.int32(authorized_operations);
    }
  };

  int32_t throttle_time_ms = 0;
  std::vector<DescribedGroup> groups;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    if (io.version() >= 1) io.int32(throttle_time_ms);
    io.array(groups);
  }
};

}  // namespace runnel::protocol
