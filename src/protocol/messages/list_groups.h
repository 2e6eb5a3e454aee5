#pragma once

// ListGroups (API key 16), versions 0-5 as in Apache Kafka's message
// definitions; the range the broker serves is in api.cc.

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/api.h"

namespace runnel::protocol {

struct ListGroupsRequest {
  static constexpr ApiKey kApiKey = ApiKey::kListGroups;
  static constexpr int16_t kFirstFlexibleVersion = 3;

  std::vector<std::string> states_filter;
  std::vector<std::string> types_filter;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    if (io.version() >= 4) io.array(states_filter);
    if (io.version() >= 5) io.array(types_filter);
  }
};

struct ListGroupsResponse {
  static constexpr ApiKey kApiKey = ApiKey::kListGroups;
  static constexpr int16_t kFirstFlexibleVersion = 3;

  struct ListedGroup {
    std::string group_id;
    std::string protocol_type;
    std::string group_state;
    std::string group_type;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(group_id);
      io.string(protocol_type);
      if (io.version() >= 4) io.string(group_state);
      if (io.version() >= 5) io.string(group_type);
    }
  };

  int32_t throttle_time_ms = 0;
  int16_t error_code = 0;
  std::vector<ListedGroup> groups;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    if (io.version() >= 1) io.int32(throttle_time_ms);
    io.int16(error_code);
    io.array(groups);
  }
};

}  // namespace runnel::protocol
