#include "broker/group/group_coordinator.h"
#include "broker/handlers/handler_util.h"
#include "broker/handlers/handlers.h"
#include "broker/offset_store.h"
#include "broker/topic_manager.h"
#include "protocol/messages/find_coordinator.h"
#include "protocol/messages/offset_commit.h"
#include "protocol/messages/offset_fetch.h"

namespace runnel::broker {

using protocol::ErrorCode;

namespace {

// offset.metadata.max.bytes
constexpr size_t kOffsetMetadataMaxBytes = 4096;

}  // namespace

// Every group and transaction is coordinated by this broker, the only one.
Status handleFindCoordinator(BrokerContext& context, const Request& request, Responder& responder) {
  using protocol::FindCoordinatorRequest;
  using protocol::FindCoordinatorResponse;
  return answerNow<FindCoordinatorRequest, FindCoordinatorResponse>(
      request, responder, [&](const FindCoordinatorRequest&) {
        FindCoordinatorResponse response;
        response.node_id = context.config.node_id;
        response.host = context.advertised_host;
        response.port = context.advertised_port;
        return response;
      });
}

Status handleOffsetCommit(BrokerContext& context, const Request& request, Responder& responder) {
  using protocol::OffsetCommitRequest;
  using protocol::OffsetCommitResponse;
  return answerNow<OffsetCommitRequest, OffsetCommitResponse>(request, responder, [&](const OffsetCommitRequest& req) {
    OffsetCommitResponse response;
    int64_t now = nowMs();
    std::vector<OffsetCommitEntry> entries;
    // Per partition: NONE, or why it was not committed.
    std::vector<std::vector<int16_t>> codes;
    for (const auto& topic : req.topics) {
      auto& topic_codes = codes.emplace_back();
      bool known = context.topics.find(topic.name) != nullptr;
      for (const auto& p : topic.partitions) {
        ErrorCode code = ErrorCode::kNone;
        if (req.group_id.empty()) code = ErrorCode::kInvalidGroupId;
        else if (!known || !context.topics.partition(topic.name, p.partition_index)) code = ErrorCode::kUnknownTopicOrPartition;
        else if (p.committed_metadata && p.committed_metadata->size() > kOffsetMetadataMaxBytes) code = ErrorCode::kOffsetMetadataTooLarge;
        if (code == ErrorCode::kNone) {
          CommittedOffset committed;
          committed.offset = p.committed_offset;
          committed.leader_epoch = p.committed_leader_epoch;
          committed.metadata = p.committed_metadata.value_or("");
          committed.commit_timestamp = p.commit_timestamp >= 0 ? p.commit_timestamp : now;
          entries.push_back({topic.name, p.partition_index, std::move(committed)});
        }
        topic_codes.push_back(errorCode(code));
      }
    }
    // v0 commits carry no generation: they come from consumers that assign partitions.
    ErrorCode group_error = ErrorCode::kNone;
    if (!req.group_id.empty()) {
      group_error = context.groups->commitOffsets(req.group_id, req.generation_id_or_member_epoch, req.member_id,
                                                  req.group_instance_id, entries);
    }
    for (size_t t = 0; t < req.topics.size(); ++t) {
      OffsetCommitResponse::Topic topic_response;
      topic_response.name = req.topics[t].name;
      for (size_t i = 0; i < req.topics[t].partitions.size(); ++i) {
        int16_t code = codes[t][i];
        if (code == 0) code = errorCode(group_error);
        topic_response.partitions.push_back({req.topics[t].partitions[i].partition_index, code, {}});
      }
      response.topics.push_back(std::move(topic_response));
    }
    return response;
  });
}

Status handleOffsetFetch(BrokerContext& context, const Request& request, Responder& responder) {
  using protocol::OffsetFetchRequest;
  using protocol::OffsetFetchResponse;
  return answerNowIgnoringTrailingBytes<OffsetFetchRequest, OffsetFetchResponse>(request, responder, [&](const OffsetFetchRequest& req) {
    OffsetFetchResponse response;
    auto partitionResult = [&](const std::string& topic, int32_t index) {
      OffsetFetchResponse::Partition p;
      p.partition_index = index;
      p.committed_offset = -1;
      p.metadata = "";
      if (auto committed = context.offsets.fetch(req.group_id, topic, index)) {
        p.committed_offset = committed->offset;
        p.committed_leader_epoch = committed->leader_epoch;
        p.metadata = committed->metadata;
      }
      return p;
    };
    if (!req.topics) {
      // v2+: null topics asks for every committed offset of the group.
      std::map<std::string, OffsetFetchResponse::Topic> by_topic;
      for (const auto& entry : context.offsets.fetchAll(req.group_id)) {
        auto& topic = by_topic[entry.topic];
        topic.name = entry.topic;
        topic.partitions.push_back(partitionResult(entry.topic, entry.partition));
      }
      for (auto& [name, topic] : by_topic) response.topics.push_back(std::move(topic));
      return response;
    }
    for (const auto& topic : *req.topics) {
      OffsetFetchResponse::Topic topic_response;
      topic_response.name = topic.name;
      for (int32_t index : topic.partition_indexes) {
        topic_response.partitions.push_back(partitionResult(topic.name, index));
      }
      response.topics.push_back(std::move(topic_response));
    }
    return response;
  });
}

}  // namespace runnel::broker
