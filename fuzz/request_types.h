#pragma once

// Maps a request's API key to its message struct, for the fuzzers and the seed
// generator: fn.template operator()<Msg>(max_version) with the highest version Kafka's
// schemas define. Returns false for keys without a definition.

#include <cstdint>

#include "protocol/messages.h"

namespace runnel::protocol::fuzz {

template <typename Fn>
bool withRequestType(int16_t api_key, Fn&& fn) {
  switch (ApiKey(api_key)) {
#define RUNNEL_REQUEST(name, max)                      \
  case ApiKey::k##name:                                \
    fn.template operator()<name##Request>(int16_t(max)); \
    return true;
    RUNNEL_REQUEST(Produce, 11)
    RUNNEL_REQUEST(Fetch, 17)
    RUNNEL_REQUEST(ListOffsets, 10)
    RUNNEL_REQUEST(Metadata, 12)
    RUNNEL_REQUEST(OffsetCommit, 9)
    RUNNEL_REQUEST(OffsetFetch, 9)
    RUNNEL_REQUEST(FindCoordinator, 6)
    RUNNEL_REQUEST(JoinGroup, 9)
    RUNNEL_REQUEST(Heartbeat, 4)
    RUNNEL_REQUEST(LeaveGroup, 5)
    RUNNEL_REQUEST(SyncGroup, 5)
    RUNNEL_REQUEST(DescribeGroups, 5)
    RUNNEL_REQUEST(ListGroups, 5)
    RUNNEL_REQUEST(ApiVersions, 4)
    RUNNEL_REQUEST(CreateTopics, 7)
    RUNNEL_REQUEST(DeleteTopics, 6)
    RUNNEL_REQUEST(DeleteRecords, 2)
    RUNNEL_REQUEST(InitProducerId, 5)
    RUNNEL_REQUEST(DescribeConfigs, 4)
    RUNNEL_REQUEST(AlterConfigs, 2)
    RUNNEL_REQUEST(CreatePartitions, 3)
    RUNNEL_REQUEST(DeleteGroups, 2)
    RUNNEL_REQUEST(OffsetDelete, 0)
#undef RUNNEL_REQUEST
  }
  return false;
}

}  // namespace runnel::protocol::fuzz
