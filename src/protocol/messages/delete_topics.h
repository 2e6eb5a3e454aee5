#pragma once

// DeleteTopics (API key 20), versions 0-6 as in Apache Kafka's message
// definitions; the range the broker serves is in api.cc.

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/api.h"

namespace runnel::protocol {

struct DeleteTopicsRequest {
  static constexpr ApiKey kApiKey = ApiKey::kDeleteTopics;
  static constexpr int16_t kFirstFlexibleVersion = 4;

  struct DeleteTopicState {
    std::optional<std::string> name;
    Uuid topic_id{};
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.nullableString(name);
      io.uuid(topic_id);
    }
  };

  std::vector<DeleteTopicState> topics;
  std::vector<std::string> topic_names;
  int32_t timeout_ms = 0;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    if (io.version() >= 6) io.array(topics);
    if (io.version() <= 5) io.array(topic_names);
    io.int32(timeout_ms);
  }
};

struct DeleteTopicsResponse {
  static constexpr ApiKey kApiKey = ApiKey::kDeleteTopics;
  static constexpr int16_t kFirstFlexibleVersion = 4;

  struct DeletableTopicResult {
    std::optional<std::string> name;
    Uuid topic_id{};
    int16_t error_code = 0;
    std::optional<std::string> error_message;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.nullableString(name);
      if (io.version() >= 6) io.uuid(topic_id);
      io.int16(error_code);
      if (io.version() >= 5) io.nullableString(error_message);
    }
  };

  int32_t throttle_time_ms = 0;
  std::vector<DeletableTopicResult> responses;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    if (io.version() >= 1) io.int32(throttle_time_ms);
    io.array(responses);
  }
};

}  // namespace runnel::protocol
