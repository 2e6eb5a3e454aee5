#pragma once

// FindCoordinator (API key 10), versions 0-6 as in Apache Kafka's message
// definitions; the range the broker serves is in api.cc.

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/api.h"

namespace runnel::protocol {

struct FindCoordinatorRequest {
  static constexpr ApiKey kApiKey = ApiKey::kFindCoordinator;
  static constexpr int16_t kFirstFlexibleVersion = 3;

  std::string key;
  int8_t key_type = 0;
  std::vector<std::string> coordinator_keys;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    if (io.version() <= 3) io.string(key);
    if (io.version() >= 1) io.int8(key_type);
    if (io.version() >= 4) io.array(coordinator_keys);
  }
};

struct FindCoordinatorResponse {
  static constexpr ApiKey kApiKey = ApiKey::kFindCoordinator;
  static constexpr int16_t kFirstFlexibleVersion = 3;

  struct Coordinator {
    std::string key;
    int32_t node_id = 0;
    std::string host;
    int32_t port = 0;
    int16_t error_code = 0;
    std::optional<std::string> error_message;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(key);
      io.int32(node_id);
      io.string(host);
      io.int32(port);
      io.int16(error_code);
      io.nullableString(error_message);
    }
  };

  int32_t throttle_time_ms = 0;
  int16_t error_code = 0;
  std::optional<std::string> error_message;
  int32_t node_id = 0;
  std::string host;
  int32_t port = 0;
  std::vector<Coordinator> coordinators;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    if (io.version() >= 1) io.int32(throttle_time_ms);
    if (io.version() <= 3) io.int16(error_code);
    if (io.version() >= 1 && io.version() <= 3) io.nullableString(error_message);
    if (io.version() <= 3) io.int32(node_id);
    if (io.version() <= 3) io.string(host);
    if (io.version() <= 3) io.int32(port);
    if (io.version() >= 4) io.array(coordinators);
  }
};

}  // namespace runnel::protocol
