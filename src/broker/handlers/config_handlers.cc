#include <algorithm>

#include "broker/handlers/handler_util.h"
#include "broker/handlers/handlers.h"
#include "broker/topic_manager.h"
#include "protocol/messages/alter_configs.h"
#include "protocol/messages/describe_configs.h"

namespace runnel::broker {

using protocol::ErrorCode;
using protocol::DescribeConfigsRequest;
using protocol::DescribeConfigsResponse;

namespace {

constexpr int8_t kResourceTopic = 2;
constexpr int8_t kResourceBroker = 4;

// ConfigSource values of DescribeConfigs v1+.
constexpr int8_t kDynamicTopicConfig = 1;
constexpr int8_t kStaticBrokerConfig = 4;
constexpr int8_t kDefaultConfig = 5;

std::vector<ConfigEntry> brokerEntries(const BrokerConfig& c) {
  std::string dirs;
  for (const auto& dir : c.log_dirs) dirs += (dirs.empty() ? "" : ",") + dir;
  return {
      {"auto.create.topics.enable", c.auto_create_topics_enable ? "true" : "false", false},
      {"broker.id", std::to_string(c.node_id), false},
      {"default.replication.factor", std::to_string(c.default_replication_factor), false},
      {"listeners", "PLAINTEXT://" + c.listener.host + ":" + std::to_string(c.listener.port), false},
      {"log.dirs", dirs, false},
      {"log.retention.bytes", std::to_string(c.log_retention_bytes), false},
      {"log.retention.ms", std::to_string(c.log_retention_ms), false},
      {"log.segment.bytes", std::to_string(c.log_segment_bytes), false},
      {"message.max.bytes", std::to_string(c.message_max_bytes), false},
      {"num.partitions", std::to_string(c.num_partitions), false},
      {"offsets.topic.num.partitions", std::to_string(c.offsets_topic_num_partitions), false},
  };
}

DescribeConfigsResponse::DescribeConfigsResult describeResource(
    BrokerContext& context, const DescribeConfigsRequest::DescribeConfigsResource& resource) {
  DescribeConfigsResponse::DescribeConfigsResult result;
  result.resource_type = resource.resource_type;
  result.resource_name = resource.resource_name;
  std::vector<ConfigEntry> entries;
  int8_t override_source = kDynamicTopicConfig;
  if (resource.resource_type == kResourceTopic) {
    auto topic = context.topics.find(resource.resource_name);
    if (!topic) {
      result.error_code = errorCode(ErrorCode::kUnknownTopicOrPartition);
      result.error_message = "Topic " + resource.resource_name + " does not exist";
      return result;
    }
    entries = topic->config.describe(context.config);
  } else if (resource.resource_type == kResourceBroker) {
    entries = brokerEntries(context.config);
    override_source = kStaticBrokerConfig;
  } else {
    result.error_code = errorCode(ErrorCode::kInvalidRequest);
    result.error_message = "Unsupported resource type " + std::to_string(resource.resource_type);
    return result;
  }
  for (const auto& entry : entries) {
    if (resource.configuration_keys &&
        std::find(resource.configuration_keys->begin(), resource.configuration_keys->end(), entry.name) ==
            resource.configuration_keys->end()) {
      continue;
    }
    DescribeConfigsResponse::DescribeConfigsResourceResult config;
    config.name = entry.name;
    config.value = entry.value;
    config.is_default = entry.is_default;
    config.read_only = resource.resource_type == kResourceBroker;
    config.config_source = entry.is_default ? kDefaultConfig : override_source;
    result.configs.push_back(std::move(config));
  }
  return result;
}

}  // namespace

Status handleDescribeConfigs(BrokerContext& context, const Request& request, Responder& responder) {
  return answerNow<DescribeConfigsRequest, DescribeConfigsResponse>(
      request, responder, [&](const DescribeConfigsRequest& req) {
        DescribeConfigsResponse response;
        for (const auto& resource : req.resources) {
          response.results.push_back(describeResource(context, resource));
        }
        return response;
      });
}

Status handleAlterConfigs(BrokerContext& context, const Request& request, Responder& responder) {
  using protocol::AlterConfigsRequest;
  using protocol::AlterConfigsResponse;
  return answerNow<AlterConfigsRequest, AlterConfigsResponse>(request, responder, [&](const AlterConfigsRequest& req) {
    AlterConfigsResponse response;
    for (const auto& resource : req.resources) {
      AlterConfigsResponse::AlterConfigsResourceResponse result;
      result.resource_type = resource.resource_type;
      result.resource_name = resource.resource_name;
      auto fail = [&](ErrorCode code, std::string message) {
        result.error_code = errorCode(code);
        result.error_message = std::move(message);
      };
      if (resource.resource_type != kResourceTopic) {
        fail(ErrorCode::kInvalidRequest, "Only topic configs can be altered on this broker");
      } else if (!context.topics.find(resource.resource_name)) {
        fail(ErrorCode::kUnknownTopicOrPartition, "Topic " + resource.resource_name + " does not exist");
      } else {
        // AlterConfigs (unlike IncrementalAlterConfigs) replaces the whole set of overrides.
        TopicConfig::Overrides overrides;
        for (const auto& config : resource.configs) {
          if (config.value) overrides[config.name] = *config.value;
        }
        auto config = TopicConfig::make(std::move(overrides));
        if (!config) {
          fail(ErrorCode::kInvalidConfig, config.status().message());
        } else {
          Status s = context.topics.alterConfig(resource.resource_name, std::move(config).value(), req.validate_only);
          if (!s.isOk()) fail(ErrorCode::kUnknownServerError, s.message());
        }
      }
      response.responses.push_back(std::move(result));
    }
    return response;
  });
}

}  // namespace runnel::broker
