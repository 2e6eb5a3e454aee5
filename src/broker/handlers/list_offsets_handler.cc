#include "broker/handlers/handler_util.h"
#include "broker/handlers/handlers.h"
#include "broker/topic_manager.h"
#include "protocol/messages/list_offsets.h"

namespace runnel::broker {

using protocol::ErrorCode;
using protocol::ListOffsetsRequest;
using protocol::ListOffsetsResponse;

namespace {

constexpr int64_t kLatestTimestamp = -1;
constexpr int64_t kEarliestTimestamp = -2;

ListOffsetsResponse::ListOffsetsPartitionResponse listPartition(BrokerContext& context, const std::string& topic,
                                                                const ListOffsetsRequest::ListOffsetsPartition& p,
                                                                int16_t version) {
  ListOffsetsResponse::ListOffsetsPartitionResponse out;
  out.partition_index = p.partition_index;
  auto partition = context.topics.partition(topic, p.partition_index);
  if (!partition) {
    out.error_code = errorCode(ErrorCode::kUnknownTopicOrPartition);
    return out;
  }
  const storage::PartitionLog& log = *partition->log;
  std::optional<int64_t> offset;
  int64_t timestamp = -1;
  if (p.timestamp == kLatestTimestamp) {
    offset = log.logEndOffset();
  } else if (p.timestamp == kEarliestTimestamp) {
    offset = log.logStartOffset();
  } else {
    auto found = log.offsetForTimestamp(p.timestamp);
    if (!found) {
      out.error_code = errorCode(ErrorCode::kKafkaStorageError);
      return out;
    }
    if (*found) {
      offset = (*found)->offset;
      timestamp = (*found)->timestamp;
    }
  }
  if (version == 0) {
    // v0 returns up to max_num_offsets segment boundaries; the one that matters is the
    // offset itself.
    if (offset && p.max_num_offsets > 0) out.old_style_offsets.push_back(*offset);
  } else {
    out.offset = offset.value_or(-1);
    out.timestamp = timestamp;
  }
  return out;
}

}  // namespace

Status handleListOffsets(BrokerContext& context, const Request& request, Responder& responder) {
  return answerNow<ListOffsetsRequest, ListOffsetsResponse>(request, responder, [&](const ListOffsetsRequest& req) {
    ListOffsetsResponse response;
    for (const auto& topic : req.topics) {
      ListOffsetsResponse::ListOffsetsTopicResponse topic_response;
      topic_response.name = topic.name;
      for (const auto& partition : topic.partitions) {
        topic_response.partitions.push_back(listPartition(context, topic.name, partition, request.version()));
      }
      response.topics.push_back(std::move(topic_response));
    }
    return response;
  });
}

}  // namespace runnel::broker
