#pragma once

// AlterConfigs (API key 33), versions 0-2 as in Apache Kafka's message
// definitions; the range the broker serves is in api.cc.

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/api.h"

namespace runnel::protocol {

struct AlterConfigsRequest {
  static constexpr ApiKey kApiKey = ApiKey::kAlterConfigs;
  static constexpr int16_t kFirstFlexibleVersion = 2;

  struct AlterableConfig {
    std::string name;
    std::optional<std::string> value;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(name);
      io.nullableString(value);
    }
  };

  struct AlterConfigsResource {
    int8_t resource_type = 0;
    std::string resource_name;
    std::vector<AlterableConfig> configs;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.int8(resource_type);
      io.string(resource_name);
      io.array(configs);
    }
  };

  std::vector<AlterConfigsResource> resources;
  bool validate_only = false;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    io.array(resources);
    io.boolean(validate_only);
  }
};

struct AlterConfigsResponse {
  static constexpr ApiKey kApiKey = ApiKey::kAlterConfigs;
  static constexpr int16_t kFirstFlexibleVersion = 2;

  struct AlterConfigsResourceResponse {
    int16_t error_code = 0;
    std::optional<std::string> error_message;
    int8_t resource_type = 0;
    std::string resource_name;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.int16(error_code);
      io.nullableString(error_message);
      io.int8(resource_type);
      io.string(resource_name);
    }
  };

  int32_t throttle_time_ms = 0;
  std::vector<AlterConfigsResourceResponse> responses;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    io.int32(throttle_time_ms);
    io.array(responses);
  }
};

}  // namespace runnel::protocol
