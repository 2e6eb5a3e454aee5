#pragma once

// DescribeConfigs (API key 32), versions 0-4 as in Apache Kafka's message
// definitions; the range the broker serves is in api.cc.

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/api.h"

namespace runnel::protocol {

struct DescribeConfigsRequest {
  static constexpr ApiKey kApiKey = ApiKey::kDescribeConfigs;
  static constexpr int16_t kFirstFlexibleVersion = 4;

  struct DescribeConfigsResource {
    int8_t resource_type = 0;
    std::string resource_name;
    std::optional<std::vector<std::string>> configuration_keys;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.int8(resource_type);
      io.string(resource_name);
      io.nullableArray(configuration_keys);
    }
  };

  std::vector<DescribeConfigsResource> resources;
  bool include_synonyms = false;
  bool include_documentation = false;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    io.array(resources);
    if (io.version() >= 1) io.boolean(include_synonyms);
    if (io.version() >= 3) io.boolean(include_documentation);
  }
};

struct DescribeConfigsResponse {
  static constexpr ApiKey kApiKey = ApiKey::kDescribeConfigs;
  static constexpr int16_t kFirstFlexibleVersion = 4;

  struct DescribeConfigsSynonym {
    std::string name;
    std::optional<std::string> value;
    int8_t source = 0;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(name);
      io.nullableString(value);
      io.int8(source);
    }
  };

  struct DescribeConfigsResourceResult {
    std::string name;
    std::optional<std::string> value;
    bool read_only = false;
    bool is_default = false;
    int8_t config_source = -1;
    bool is_sensitive = false;
    std::vector<DescribeConfigsSynonym> synonyms;
    int8_t config_type = 0;
    std::optional<std::string> documentation;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.string(name);
      io.nullableString(value);
      io.boolean(read_only);
      if (io.version() == 0) io.boolean(is_default);
      if (io.version() >= 1) io.int8(config_source);
      io.boolean(is_sensitive);
      if (io.version() >= 1) io.array(synonyms);
      if (io.version() >= 3) io.int8(config_type);
      if (io.version() >= 3) io.nullableString(documentation);
    }
  };

  struct DescribeConfigsResult {
    int16_t error_code = 0;
    std::optional<std::string> error_message;
    int8_t resource_type = 0;
    std::string resource_name;
    std::vector<DescribeConfigsResourceResult> configs;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.int16(error_code);
      io.nullableString(error_message);
      io.int8(resource_type);
      io.string(resource_name);
      io.array(configs);
    }
  };

  int32_t throttle_time_ms = 0;
  std::vector<DescribeConfigsResult> results;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    io.int32(throttle_time_ms);
    io.array(results);
  }
};

}  // namespace runnel::protocol
