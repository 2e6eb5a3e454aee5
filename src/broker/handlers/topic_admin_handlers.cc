#include "broker/handlers/handler_util.h"
#include "broker/handlers/handlers.h"
#include "broker/topic_manager.h"
#include "protocol/messages/create_partitions.h"
#include "protocol/messages/create_topics.h"
#include "protocol/messages/delete_topics.h"

namespace runnel::broker {

using protocol::ErrorCode;

namespace {

struct TopicError {
  ErrorCode code = ErrorCode::kNone;
  std::string message;
};

// Works out the partition count and validates replication for a single-node cluster.
TopicError checkLayout(const BrokerContext& context, const protocol::CreateTopicsRequest::CreatableTopic& topic,
                       int32_t& partitions) {
  partitions = topic.num_partitions == -1 ? context.config.num_partitions : topic.num_partitions;
  if (!topic.assignments.empty()) {
    if (topic.num_partitions != -1 || topic.replication_factor != -1) {
      return {ErrorCode::kInvalidRequest,
              "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at "
              "the same time."};
    }
    partitions = int32_t(topic.assignments.size());
    for (const auto& assignment : topic.assignments) {
      for (int32_t broker : assignment.broker_ids) {
        if (broker != context.config.node_id) {
          return {ErrorCode::kInvalidReplicaAssignment,
                  "Unknown broker " + std::to_string(broker) + " in the replica assignment."};
        }
      }
    }
    return {};
  }
  if (partitions <= 0) return {ErrorCode::kInvalidPartitions, "Number of partitions must be larger than 0."};
  int16_t rf = topic.replication_factor == -1 ? context.config.default_replication_factor : topic.replication_factor;
  if (rf <= 0) return {ErrorCode::kInvalidReplicationFactor, "Replication factor must be larger than 0."};
  if (rf > 1) {
    return {ErrorCode::kInvalidReplicationFactor,
            "Replication factor: " + std::to_string(rf) + " larger than available brokers: 1."};
  }
  return {};
}

TopicError createOne(BrokerContext& context, const protocol::CreateTopicsRequest::CreatableTopic& topic,
                     bool validate_only) {
  Status name_ok = TopicManager::validateName(topic.name);
  if (!name_ok.isOk()) return {ErrorCode::kInvalidTopicException, name_ok.message()};
  if (context.topics.find(topic.name)) {
    return {ErrorCode::kTopicAlreadyExists, "Topic '" + topic.name + "' already exists."};
  }
  int32_t partitions = 0;
  TopicError layout = checkLayout(context, topic, partitions);
  if (layout.code != ErrorCode::kNone) return layout;
  TopicConfig::Overrides overrides;
  for (const auto& config : topic.configs) {
    if (config.value) overrides[config.name] = *config.value;
  }
  auto config = TopicConfig::make(std::move(overrides));
  if (!config) return {ErrorCode::kInvalidConfig, config.status().message()};
  auto created = context.topics.create(topic.name, partitions, std::move(config).value(), false, validate_only);
  if (!created) {
    const Status& s = created.status();
    if (s.code() == Status::Code::kAlreadyExists) return {ErrorCode::kTopicAlreadyExists, s.message()};
    return {ErrorCode::kUnknownServerError, s.message()};
  }
  return {};
}

}  // namespace

Status handleCreateTopics(BrokerContext& context, const Request& request, Responder& responder) {
  using protocol::CreateTopicsRequest;
  using protocol::CreateTopicsResponse;
  return answerNow<CreateTopicsRequest, CreateTopicsResponse>(request, responder, [&](const CreateTopicsRequest& req) {
    CreateTopicsResponse response;
    for (const auto& topic : req.topics) {
      TopicError error = createOne(context, topic, req.validate_only);
      CreateTopicsResponse::CreatableTopicResult result;
      result.name = topic.name;
      result.error_code = errorCode(error.code);
      if (error.code != ErrorCode::kNone) result.error_message = error.message;
      response.topics.push_back(std::move(result));
    }
    return response;
  });
}

Status handleDeleteTopics(BrokerContext& context, const Request& request, Responder& responder) {
  using protocol::DeleteTopicsRequest;
  using protocol::DeleteTopicsResponse;
  return answerNow<DeleteTopicsRequest, DeleteTopicsResponse>(request, responder, [&](const DeleteTopicsRequest& req) {
    DeleteTopicsResponse response;
    std::vector<std::string> names = req.topic_names;
    for (const auto& state : req.topics) {
      if (state.name) names.push_back(*state.name);
    }
    for (const auto& name : names) {
      DeleteTopicsResponse::DeletableTopicResult result;
      result.name = name;
      auto topic = context.topics.find(name);
      ErrorCode code = ErrorCode::kNone;
      if (!context.config.delete_topic_enable) {
        code = ErrorCode::kTopicDeletionDisabled;
      } else if (!topic) {
        code = ErrorCode::kUnknownTopicOrPartition;
      } else if (topic->internal) {
        code = ErrorCode::kInvalidTopicException;
        result.error_message = "Topic " + name + " is an internal topic and cannot be deleted";
      } else if (!context.topics.remove(name).isOk()) {
        code = ErrorCode::kUnknownTopicOrPartition;
      }
      result.error_code = errorCode(code);
      response.responses.push_back(std::move(result));
    }
    return response;
  });
}

Status handleCreatePartitions(BrokerContext& context, const Request& request, Responder& responder) {
  using protocol::CreatePartitionsRequest;
  using protocol::CreatePartitionsResponse;
  return answerNow<CreatePartitionsRequest, CreatePartitionsResponse>(
      request, responder, [&](const CreatePartitionsRequest& req) {
        CreatePartitionsResponse response;
        for (const auto& topic : req.topics) {
          CreatePartitionsResponse::CreatePartitionsTopicResult result;
          result.name = topic.name;
          if (!context.topics.find(topic.name)) {
            result.error_code = errorCode(ErrorCode::kUnknownTopicOrPartition);
            result.error_message = "The topic '" + topic.name + "' does not exist.";
          } else {
            Status s = context.topics.addPartitions(topic.name, topic.count, req.validate_only);
            if (!s.isOk()) {
              result.error_code = errorCode(ErrorCode::kInvalidPartitions);
              result.error_message = s.message();
            }
          }
          response.results.push_back(std::move(result));
        }
        return response;
      });
}

}  // namespace runnel::broker
