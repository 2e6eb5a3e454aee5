#pragma once

// InitProducerId (API key 22), versions 0-5 as in Apache Kafka's message
// definitions; the range the broker serves is in api.cc.

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/api.h"

namespace runnel::protocol {

struct InitProducerIdRequest {
  static constexpr ApiKey kApiKey = ApiKey::kInitProducerId;
  static constexpr int16_t kFirstFlexibleVersion = 2;

  std::optional<std::string> transactional_id;
  int32_t transaction_timeout_ms = 0;
  int64_t producer_id = -1;
  int16_t producer_epoch = -1;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    io.nullableString(transactional_id);
    io.int32(transaction_timeout_ms);
    if (io.version() >= 3) io.int64(producer_id);
    if (io.version() >= 3) io.int16(producer_epoch);
  }
};

struct InitProducerIdResponse {
  static constexpr ApiKey kApiKey = ApiKey::kInitProducerId;
  static constexpr int16_t kFirstFlexibleVersion = 2;

  int32_t throttle_time_ms = 0;
  int16_t error_code = 0;
  int64_t producer_id = -1;
  int16_t producer_epoch = 0;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    io.int32(throttle_time_ms);
    io.int16(error_code);
    io.int64(producer_id);
    io.int16(producer_epoch);
  }
};

}  // namespace runnel::protocol
