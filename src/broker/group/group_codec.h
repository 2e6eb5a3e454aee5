#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.h"

// The group coordinator's record formats: Kafka's GroupMetadataValue (written at v3, the
// last non-flexible version, read at v0-3) as stored in __consumer_offsets under a
// GroupMetadataKey (version 2), and the topics of a ConsumerProtocolSubscription.
namespace runnel::broker::group {

struct GroupRecord {
  struct MemberRecord {
    std::string member_id;
    std::optional<std::string> group_instance_id;
    std::string client_id;
    std::string client_host;
    int32_t rebalance_timeout_ms = 0;
    int32_t session_timeout_ms = 0;
    Bytes subscription;
    Bytes assignment;
  };

  std::string protocol_type;
  int32_t generation = 0;
  std::optional<std::string> protocol_name;
  std::optional<std::string> leader;
  int64_t state_timestamp_ms = -1;
  std::vector<MemberRecord> members;
};

Bytes encodeGroupRecord(const GroupRecord& record);
std::optional<GroupRecord> decodeGroupRecord(ByteSpan value);

// The topics of a "consumer" protocol member's metadata; empty if it does not parse.
std::vector<std::string> subscriptionTopics(ByteSpan metadata);

}  // namespace runnel::broker::group
