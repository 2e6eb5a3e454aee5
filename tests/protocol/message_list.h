#pragma once

// Every message struct with the highest version Kafka's schemas define for it, for tests
// that sweep all messages and versions.

#include "protocol/messages.h"

namespace runnel::protocol::testing {

// Calls fn.template operator()<Msg>(max_version, is_request) once per message type.
template <typename Fn>
void forEachMessageType(Fn&& fn) {
#define RUNNEL_MESSAGE_PAIR(name, max)            \
  fn.template operator()<name##Request>(max, true); \
  fn.template operator()<name##Response>(max, false)
  RUNNEL_MESSAGE_PAIR(Produce, 11);
  RUNNEL_MESSAGE_PAIR(Fetch, 17);
  RUNNEL_MESSAGE_PAIR(ListOffsets, 10);
  RUNNEL_MESSAGE_PAIR(Metadata, 12);
  RUNNEL_MESSAGE_PAIR(OffsetCommit, 9);
  RUNNEL_MESSAGE_PAIR(OffsetFetch, 9);
  RUNNEL_MESSAGE_PAIR(FindCoordinator, 6);
  RUNNEL_MESSAGE_PAIR(JoinGroup, 9);
  RUNNEL_MESSAGE_PAIR(Heartbeat, 4);
  RUNNEL_MESSAGE_PAIR(LeaveGroup, 5);
  RUNNEL_MESSAGE_PAIR(SyncGroup, 5);
  RUNNEL_MESSAGE_PAIR(DescribeGroups, 5);
  RUNNEL_MESSAGE_PAIR(ListGroups, 5);
  RUNNEL_MESSAGE_PAIR(ApiVersions, 4);
  RUNNEL_MESSAGE_PAIR(CreateTopics, 7);
  RUNNEL_MESSAGE_PAIR(DeleteTopics, 6);
  RUNNEL_MESSAGE_PAIR(DeleteRecords, 2);
  RUNNEL_MESSAGE_PAIR(InitProducerId, 5);
  RUNNEL_MESSAGE_PAIR(DescribeConfigs, 4);
  RUNNEL_MESSAGE_PAIR(AlterConfigs, 2);
  RUNNEL_MESSAGE_PAIR(CreatePartitions, 3);
  RUNNEL_MESSAGE_PAIR(DeleteGroups, 2);
  RUNNEL_MESSAGE_PAIR(OffsetDelete, 0);
#undef RUNNEL_MESSAGE_PAIR
}

}  // namespace runnel::protocol::testing
