#pragma once

#include <string>
#include <vector>

#include "protocol/api.h"

namespace runnel::protocol {

struct ApiVersionsRequest {
  static constexpr ApiKey kApiKey = ApiKey::kApiVersions;
  static constexpr int16_t kFirstFlexibleVersion = 3;

  std::string client_software_name;
  std::string client_software_version;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    if (io.version() >= 3) {
      io.string(client_software_name);
      io.string(client_software_version);
    }
  }
};

struct ApiVersionsResponse {
  static constexpr ApiKey kApiKey = ApiKey::kApiVersions;
  static constexpr int16_t kFirstFlexibleVersion = 3;

  struct ApiVersion {
    int16_t api_key = 0;
    int16_t min_version = 0;
    int16_t max_version = 0;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.int16(api_key);
      io.int16(min_version);
      io.int16(max_version);
    }
  };

  int16_t error_code = 0;
  std::vector<ApiVersion> api_keys;
  int32_t throttle_time_ms = 0;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    io.int16(error_code);
    io.array(api_keys);
    if (io.version() >= 1) io.int32(throttle_time_ms);
  }
};

}  // namespace runnel::protocol
