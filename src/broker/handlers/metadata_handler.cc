#include "broker/handlers/handler_util.h"
#include "broker/handlers/handlers.h"
#include "broker/topic_manager.h"
#include "protocol/messages/metadata.h"

namespace runnel::broker {

using protocol::ErrorCode;
using protocol::MetadataRequest;
using protocol::MetadataResponse;

namespace {

MetadataResponse::Topic describeTopic(const BrokerContext& context, const Topic& topic) {
  MetadataResponse::Topic out;
  out.name = topic.name;
  out.topic_id = topic.id;
  out.is_internal = topic.internal;
  for (const auto& partition : topic.partitions) {
    MetadataResponse::Partition p;
    p.partition_index = partition->index;
    p.leader_id = context.config.node_id;
    p.leader_epoch = 0;
    p.replica_nodes = {context.config.node_id};
    p.isr_nodes = {context.config.node_id};
    out.partitions.push_back(std::move(p));
  }
  return out;
}

MetadataResponse::Topic topicError(const std::string& name, ErrorCode code) {
  MetadataResponse::Topic out;
  out.name = name;
  out.error_code = errorCode(code);
  return out;
}

}  // namespace

Status handleMetadata(BrokerContext& context, const Request& request, Responder& responder) {
  return answerNow<MetadataRequest, MetadataResponse>(request, responder, [&](const MetadataRequest& req) {
    MetadataResponse response;
    response.brokers.push_back({context.config.node_id, context.advertised_host, context.advertised_port, {}, {}});
    response.cluster_id = context.topics.clusterId();
    response.controller_id = context.config.node_id;
    // v0 asks for all topics with an empty list; v1+ with null.
    bool all_topics = !req.topics || (request.version() == 0 && req.topics->empty());
    if (all_topics) {
      for (const auto& topic : context.topics.list()) response.topics.push_back(describeTopic(context, *topic));
      return response;
    }
    bool may_create = context.config.auto_create_topics_enable && req.allow_auto_topic_creation;
    for (const auto& requested : *req.topics) {
      if (!requested.name) continue;
      const std::string& name = *requested.name;
      if (auto topic = context.topics.find(name)) {
        response.topics.push_back(describeTopic(context, *topic));
        continue;
      }
      if (!TopicManager::validateName(name).isOk()) {
        response.topics.push_back(topicError(name, ErrorCode::kInvalidTopicException));
        continue;
      }
      if (!may_create) {
        response.topics.push_back(topicError(name, ErrorCode::kUnknownTopicOrPartition));
        continue;
      }
      auto created = context.topics.create(name, context.config.num_partitions, TopicConfig());
      if (created) {
        response.topics.push_back(describeTopic(context, **created));
      } else if (auto raced = context.topics.find(name)) {
        response.topics.push_back(describeTopic(context, *raced));
      } else {
        response.topics.push_back(topicError(name, ErrorCode::kLeaderNotAvailable));
      }
    }
    return response;
  });
}

}  // namespace runnel::broker
