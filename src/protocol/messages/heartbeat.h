#pragma once

// Heartbeat (API key 12), versions 0-4 as in Apache Kafka's message
// definitions; the range the broker serves is in api.cc.

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/api.h"

namespace runnel::protocol {

struct HeartbeatRequest {
  static constexpr ApiKey kApiKey = ApiKey::kHeartbeat;
  static constexpr int16_t kFirstFlexibleVersion = 4;

  std::string group_id;
  int32_t generation_id = 0;
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    io.string(group_id);
    io.int32(generation_id);
    io.string(member_id);
    if (io.version() >= 3) io.nullableString(group_instance_id);
  }
};

struct HeartbeatResponse {
  static constexpr ApiKey kApiKey = ApiKey::kHeartbeat;
  static constexpr int16_t kFirstFlexibleVersion = 4;

  int32_t throttle_time_ms = 0;
  int16_t error_code = 0;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    if (io.version() >= 1) io.int32(throttle_time_ms);
    io.int16(error_code);
  }
};

}  // namespace runnel::protocol
