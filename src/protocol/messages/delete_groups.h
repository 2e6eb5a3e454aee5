#pragma once

// DeleteGroups (API key 42), versions 0-2 as in Apache Kafka's message
// definitions; the range the broker serves is in api.cc.

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/api.h"

namespace runnel::protocol {

struct DeleteGroupsRequest {
  static constexpr ApiKey kApiKey = ApiKey::kDeleteGroups;
  static constexpr int16_t kFirstFlexibleVersion = 2;

  std::vector<std::string> groups_names;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    io.array(groups_names);
  }
};

struct DeleteGroupsResponse {
  static constexpr ApiKey kApiKey = ApiKey::kDeleteGroups;
  static constexpr int16_t kFirstFlexibleVersion = 2;

  struct DeletableGroupResult {
    std::string group_id;
    int16_t error_code = 0;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(group_id);
      io.int16(error_code);
    }
  };

  int32_t throttle_time_ms = 0;
  std::vector<DeletableGroupResult> results;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    io.int32(throttle_time_ms);
    io.array(results);
  }
};

}  // namespace runnel::protocol
