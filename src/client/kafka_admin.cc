#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <functional>
#include <string>

#include "client/admin_request.h"
#include "client/kafka_client.h"
#include "client/kafka_group_admin.h"
#include "client/rdkafka_support.h"

namespace runnel::client {
namespace {

using rdkafka::toStatus;

bool isInternalTopic(std::string_view name) {
  return name == "__consumer_offsets" || name == "__transaction_state";
}

ConfigSource toSource(rd_kafka_ConfigSource_t source) {
  switch (source) {
    case RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG: return ConfigSource::kDynamicTopicConfig;
    case RD_KAFKA_CONFIG_SOURCE_DYNAMIC_BROKER_CONFIG: return ConfigSource::kDynamicBrokerConfig;
    case RD_KAFKA_CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG: return ConfigSource::kDynamicDefaultBrokerConfig;
    case RD_KAFKA_CONFIG_SOURCE_STATIC_BROKER_CONFIG: return ConfigSource::kStaticBrokerConfig;
    case RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG: return ConfigSource::kDefaultConfig;
    default: return ConfigSource::kUnknown;
  }
}

Status topicResultsStatus(const rd_kafka_topic_result_t** results, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[i]);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    const char* message = rd_kafka_topic_result_error_string(results[i]);
    return toStatus(err, message ? message : "");
  }
  return Status::ok();
}

class KafkaAdmin final : public Admin {
 public:
  KafkaAdmin(rd_kafka_t* rk, std::chrono::milliseconds timeout) : rk_(rk), timeout_(timeout), groups_(rk, timeout) {}
  ~KafkaAdmin() override { rd_kafka_destroy(rk_); }

  Status createTopics(const std::vector<NewTopic>& topics) override {
    std::vector<rd_kafka_NewTopic_t*> requests;
    struct Cleanup {
      std::vector<rd_kafka_NewTopic_t*>& r;
      ~Cleanup() { rd_kafka_NewTopic_destroy_array(r.data(), r.size()); }
    } cleanup{requests};
    char errstr[512];
    for (const NewTopic& topic : topics) {
      rd_kafka_NewTopic_t* request = rd_kafka_NewTopic_new(topic.name.c_str(), topic.partitions,
                                                           topic.replication_factor, errstr, sizeof errstr);
      if (request == nullptr) return Status::invalidArgument(errstr);
      requests.push_back(request);
      for (const auto& [name, value] : topic.configs) {
        if (auto err = rd_kafka_NewTopic_set_config(request, name.c_str(), value.c_str())) return toStatus(err);
      }
    }
    return run(RD_KAFKA_ADMIN_OP_CREATETOPICS, RD_KAFKA_EVENT_CREATETOPICS_RESULT,
               [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                 rd_kafka_CreateTopics(rk_, requests.data(), requests.size(), options, queue);
               },
               [](rd_kafka_event_t* event) {
                 size_t count = 0;
                 auto* results = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count);
                 return topicResultsStatus(results, count);
               });
  }

  Status deleteTopics(const std::vector<std::string>& topics) override {
    std::vector<rd_kafka_DeleteTopic_t*> requests;
    for (const auto& name : topics) requests.push_back(rd_kafka_DeleteTopic_new(name.c_str()));
    Status status = run(RD_KAFKA_ADMIN_OP_DELETETOPICS, RD_KAFKA_EVENT_DELETETOPICS_RESULT,
                        [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                          rd_kafka_DeleteTopics(rk_, requests.data(), requests.size(), options, queue);
                        },
                        [](rd_kafka_event_t* event) {
                          size_t count = 0;
                          auto* results =
                              rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(event), &count);
                          return topicResultsStatus(results, count);
                        });
    rd_kafka_DeleteTopic_destroy_array(requests.data(), requests.size());
    return status;
  }

  Status createPartitions(const std::string& topic, int32_t total_partitions) override {
    char errstr[512];
    rd_kafka_NewPartitions_t* request =
        rd_kafka_NewPartitions_new(topic.c_str(), static_cast<size_t>(total_partitions), errstr, sizeof errstr);
    if (request == nullptr) return Status::invalidArgument(errstr);
    Status status = run(RD_KAFKA_ADMIN_OP_CREATEPARTITIONS, RD_KAFKA_EVENT_CREATEPARTITIONS_RESULT,
                        [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                          rd_kafka_CreatePartitions(rk_, &request, 1, options, queue);
                        },
                        [](rd_kafka_event_t* event) {
                          size_t count = 0;
                          auto* results = rd_kafka_CreatePartitions_result_topics(
                              rd_kafka_event_CreatePartitions_result(event), &count);
                          return topicResultsStatus(results, count);
                        });
    rd_kafka_NewPartitions_destroy(request);
    return status;
  }

  Result<ClusterMetadata> metadata(const std::optional<std::vector<std::string>>& topics) override {
    const rd_kafka_metadata_t* raw = nullptr;
    // Always all topics: asking for named ones could auto-create them on brokers that
    // allow it.
    if (auto err = rd_kafka_metadata(rk_, 1, nullptr, &raw, timeoutMs())) return toStatus(err);
    rdkafka::MetadataPtr md(raw);
    ClusterMetadata out;
    for (int i = 0; i < md->broker_cnt; ++i) {
      out.brokers.push_back({md->brokers[i].id, md->brokers[i].host, md->brokers[i].port});
    }
    std::sort(out.brokers.begin(), out.brokers.end(), [](auto& a, auto& b) { return a.id < b.id; });
    for (int i = 0; i < md->topic_cnt; ++i) {
      const rd_kafka_metadata_topic_t& t = md->topics[i];
      if (topics && std::find(topics->begin(), topics->end(), t.topic) == topics->end()) continue;
      TopicMetadata topic;
      topic.name = t.topic;
      topic.is_internal = isInternalTopic(topic.name);
      if (t.err) topic.error = toStatus(t.err, "topic " + topic.name + ": " + rd_kafka_err2str(t.err));
      for (int p = 0; p < t.partition_cnt; ++p) {
        const rd_kafka_metadata_partition_t& part = t.partitions[p];
        PartitionMetadata pm;
        pm.id = part.id;
        pm.leader = part.leader;
        pm.replicas.assign(part.replicas, part.replicas + part.replica_cnt);
        pm.isr.assign(part.isrs, part.isrs + part.isr_cnt);
        if (part.err) pm.error = toStatus(part.err);
        topic.partitions.push_back(std::move(pm));
      }
      std::sort(topic.partitions.begin(), topic.partitions.end(), [](auto& a, auto& b) { return a.id < b.id; });
      out.topics.push_back(std::move(topic));
    }
    if (topics) {
      for (const auto& name : *topics) {
        bool found = std::any_of(out.topics.begin(), out.topics.end(), [&](auto& t) { return t.name == name; });
        if (!found) {
          TopicMetadata missing;
          missing.name = name;
          missing.error = toStatus(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
                                   "This server does not host this topic-partition.");
          out.topics.push_back(std::move(missing));
        }
      }
    }
    std::sort(out.topics.begin(), out.topics.end(), [](auto& a, auto& b) { return a.name < b.name; });
    if (char* id = rd_kafka_clusterid(rk_, 0)) {
      out.cluster_id = id;
      rd_kafka_mem_free(rk_, id);
    }
    out.controller_id = rd_kafka_controllerid(rk_, 0);
    return out;
  }

  Result<std::vector<ConfigEntry>> describeTopicConfigs(const std::string& topic) override {
    rd_kafka_ConfigResource_t* resource = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str());
    std::vector<ConfigEntry> entries;
    Status status = run(RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT,
                        [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                          rd_kafka_DescribeConfigs(rk_, &resource, 1, options, queue);
                        },
                        [&](rd_kafka_event_t* event) {
                          size_t count = 0;
                          auto* resources = rd_kafka_DescribeConfigs_result_resources(
                              rd_kafka_event_DescribeConfigs_result(event), &count);
                          for (size_t i = 0; i < count; ++i) {
                            if (auto err = rd_kafka_ConfigResource_error(resources[i])) {
                              const char* message = rd_kafka_ConfigResource_error_string(resources[i]);
                              return toStatus(err, message ? message : "");
                            }
                            size_t n = 0;
                            auto* configs = rd_kafka_ConfigResource_configs(resources[i], &n);
                            for (size_t c = 0; c < n; ++c) entries.push_back(toEntry(configs[c]));
                          }
                          return Status::ok();
                        });
    rd_kafka_ConfigResource_destroy(resource);
    if (!status.isOk()) return status;
    std::sort(entries.begin(), entries.end(), [](auto& a, auto& b) { return a.name < b.name; });
    return entries;
  }

  Status alterTopicConfigs(const std::string& topic, const std::map<std::string, std::string>& set,
                           const std::vector<std::string>& remove) override {
    // librdkafka 2.0 has only the legacy AlterConfigs, which replaces every dynamic config
    // of the topic: read the current overrides and write back the merged set.
    RUNNEL_ASSIGN_OR_RETURN(auto current, describeTopicConfigs(topic));
    std::map<std::string, std::string> merged;
    for (const ConfigEntry& e : current) {
      if (e.source == ConfigSource::kDynamicTopicConfig && e.value) merged[e.name] = *e.value;
    }
    for (const auto& name : remove) merged.erase(name);
    for (const auto& [name, value] : set) merged[name] = value;
    rd_kafka_ConfigResource_t* resource = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str());
    for (const auto& [name, value] : merged) {
      if (auto err = rd_kafka_ConfigResource_set_config(resource, name.c_str(), value.c_str())) {
        rd_kafka_ConfigResource_destroy(resource);
        return toStatus(err);
      }
    }
    Status status = run(RD_KAFKA_ADMIN_OP_ALTERCONFIGS, RD_KAFKA_EVENT_ALTERCONFIGS_RESULT,
                        [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                          rd_kafka_AlterConfigs(rk_, &resource, 1, options, queue);
                        },
                        [](rd_kafka_event_t* event) {
                          size_t count = 0;
                          auto* resources = rd_kafka_AlterConfigs_result_resources(
                              rd_kafka_event_AlterConfigs_result(event), &count);
                          for (size_t i = 0; i < count; ++i) {
                            if (auto err = rd_kafka_ConfigResource_error(resources[i])) {
                              const char* message = rd_kafka_ConfigResource_error_string(resources[i]);
                              return toStatus(err, message ? message : "");
                            }
                          }
                          return Status::ok();
                        });
    rd_kafka_ConfigResource_destroy(resource);
    return status;
  }

  Result<std::vector<TopicPartitionOffset>> listOffsets(const std::vector<TopicPartition>& partitions,
                                                        OffsetSpec spec) override {
    std::vector<TopicPartitionOffset> out;
    if (spec.kind == OffsetSpec::Kind::kForTimestamp) {
      std::vector<TopicPartitionOffset> query;
      for (const auto& p : partitions) query.push_back({p.topic, p.partition, spec.timestamp});
      auto list = rdkafka::toList(query);
      if (auto err = rd_kafka_offsets_for_times(rk_, list.get(), timeoutMs())) return toStatus(err);
      return rdkafka::fromList(list.get());
    }
    for (const auto& p : partitions) {
      int64_t low = 0;
      int64_t high = 0;
      if (auto err = rd_kafka_query_watermark_offsets(rk_, p.topic.c_str(), p.partition, &low, &high, timeoutMs())) {
        return toStatus(err, p.topic + "-" + std::to_string(p.partition) + ": " + rd_kafka_err2str(err));
      }
      out.push_back({p.topic, p.partition, spec.kind == OffsetSpec::Kind::kEarliest ? low : high});
    }
    return out;
  }

  Result<std::vector<GroupListing>> listGroups(const std::vector<GroupState>& states) override {
    return groups_.listGroups(states);
  }
  Result<std::vector<GroupDescription>> describeGroups(const std::vector<std::string>& groups) override {
    return groups_.describeGroups(groups);
  }
  Result<std::vector<TopicPartitionOffset>> listGroupOffsets(const std::string& group) override {
    return groups_.listGroupOffsets(group);
  }
  Status alterGroupOffsets(const std::string& group, const std::vector<TopicPartitionOffset>& offsets) override {
    return groups_.alterGroupOffsets(group, offsets);
  }
  Result<std::vector<std::pair<std::string, Status>>> deleteGroups(const std::vector<std::string>& groups) override {
    return groups_.deleteGroups(groups);
  }
  Result<DeleteGroupOffsetsResult> deleteGroupOffsets(const std::string& group,
                                                      const std::vector<TopicPartition>& partitions) override {
    return groups_.deleteGroupOffsets(group, partitions);
  }

 private:
  static ConfigEntry toEntry(const rd_kafka_ConfigEntry_t* entry) {
    ConfigEntry e;
    e.name = rd_kafka_ConfigEntry_name(entry);
    if (const char* value = rd_kafka_ConfigEntry_value(entry)) e.value = value;
    e.is_default = rd_kafka_ConfigEntry_is_default(entry);
    e.read_only = rd_kafka_ConfigEntry_is_read_only(entry);
    e.sensitive = rd_kafka_ConfigEntry_is_sensitive(entry);
    e.source = toSource(rd_kafka_ConfigEntry_source(entry));
    return e;
  }

  int timeoutMs() const { return static_cast<int>(timeout_.count()); }

  Status run(rd_kafka_admin_op_t op, rd_kafka_event_type_t expected,
             const std::function<void(rd_kafka_AdminOptions_t*, rd_kafka_queue_t*)>& start,
             const std::function<Status(rd_kafka_event_t*)>& check) {
    return rdkafka::runAdminRequest(rk_, timeout_, op, expected, start, check);
  }

  rd_kafka_t* rk_;
  std::chrono::milliseconds timeout_;
  rdkafka::GroupAdmin groups_;
};

}  // namespace

const char* configSourceName(ConfigSource source) {
  switch (source) {
    case ConfigSource::kDynamicTopicConfig: return "DYNAMIC_TOPIC_CONFIG";
    case ConfigSource::kDynamicBrokerConfig: return "DYNAMIC_BROKER_CONFIG";
    case ConfigSource::kDynamicDefaultBrokerConfig: return "DYNAMIC_DEFAULT_BROKER_CONFIG";
    case ConfigSource::kStaticBrokerConfig: return "STATIC_BROKER_CONFIG";
    case ConfigSource::kDefaultConfig: return "DEFAULT_CONFIG";
    case ConfigSource::kUnknown: break;
  }
  return "UNKNOWN";
}

namespace {

// "NAME: text" where NAME is an upper-case Kafka error name, optionally '_'-prefixed.
size_t errorNameLength(const std::string& message) {
  size_t colon = message.find(": ");
  if (colon == std::string::npos || colon == 0) return 0;
  for (size_t i = 0; i < colon; ++i) {
    char c = message[i];
    if (!(std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      return 0;
    }
  }
  return colon;
}

}  // namespace

std::string kafkaErrorMessage(const Status& status) {
  const std::string& message = status.message();
  size_t n = errorNameLength(message);
  return n == 0 ? message : message.substr(n + 2);
}

std::string kafkaErrorName(const Status& status) {
  return status.message().substr(0, errorNameLength(status.message()));
}

Result<std::unique_ptr<Admin>> makeKafkaAdmin(const ClientConfig& config) {
  std::chrono::milliseconds timeout{60000};
  ClientConfig effective = config;
  if (auto it = effective.find("default.api.timeout.ms"); it != effective.end()) {
    timeout = std::chrono::milliseconds(std::strtoll(it->second.c_str(), nullptr, 10));
  }
  RUNNEL_ASSIGN_OR_RETURN(rd_kafka_conf_t * conf, rdkafka::makeConf(effective, rdkafka::ClientKind::kAdmin));
  RUNNEL_ASSIGN_OR_RETURN(rd_kafka_t * rk, rdkafka::makeHandle(RD_KAFKA_PRODUCER, conf));
  return std::unique_ptr<Admin>(std::make_unique<KafkaAdmin>(rk, timeout));
}

}  // namespace runnel::client
