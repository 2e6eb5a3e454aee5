#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/types.h"
#include "common/result.h"

namespace runnel::client {

struct NewTopic {
  std::string name;
  int32_t partitions = -1;          // -1: the broker's num.partitions
  int16_t replication_factor = -1;  // -1: the broker's default.replication.factor
  std::map<std::string, std::string> configs;
};

struct PartitionMetadata {
  int32_t id = 0;
  int32_t leader = -1;  // -1: no leader
  std::vector<int32_t> replicas;
  std::vector<int32_t> isr;
  Status error;  // e.g. LEADER_NOT_AVAILABLE
};

struct TopicMetadata {
  std::string name;
  std::vector<PartitionMetadata> partitions;  // sorted by id
  Status error;                               // e.g. UNKNOWN_TOPIC_OR_PARTITION
  bool is_internal = false;
};

struct BrokerMetadata {
  int32_t id = 0;
  std::string host;
  int32_t port = 0;
};

struct ClusterMetadata {
  std::string cluster_id;  // empty if the broker did not say
  int32_t controller_id = -1;
  std::vector<BrokerMetadata> brokers;
  std::vector<TopicMetadata> topics;  // sorted by name
};

enum class ConfigSource {
  kUnknown,
  kDynamicTopicConfig,
  kDynamicBrokerConfig,
  kDynamicDefaultBrokerConfig,
  kStaticBrokerConfig,
  kDefaultConfig,
};
// "DYNAMIC_TOPIC_CONFIG", ... as Kafka names them.
const char* configSourceName(ConfigSource source);

struct ConfigEntry {
  std::string name;
  std::optional<std::string> value;  // nullopt for sensitive or unset values
  bool is_default = false;
  bool read_only = false;
  bool sensitive = false;
  ConfigSource source = ConfigSource::kUnknown;
};

// Where listOffsets() looks.
struct OffsetSpec {
  enum class Kind { kEarliest, kLatest, kForTimestamp };
  Kind kind = Kind::kLatest;
  int64_t timestamp = 0;  // kForTimestamp: the first offset with a timestamp >= this

  static OffsetSpec earliest() { return {Kind::kEarliest, 0}; }
  static OffsetSpec latest() { return {Kind::kLatest, 0}; }
  static OffsetSpec forTimestamp(int64_t ts) { return {Kind::kForTimestamp, ts}; }
};

// A classic consumer group's state, as Kafka's ConsumerGroupState.
enum class GroupState { kUnknown, kPreparingRebalance, kCompletingRebalance, kStable, kDead, kEmpty };
// Kafka's name: "Stable", "PreparingRebalance", ...
const char* groupStateName(GroupState state);
// Case-insensitive, as ConsumerGroupState.parse; kUnknown for any other text.
GroupState parseGroupState(std::string_view name);

struct GroupListing {
  std::string group_id;
  GroupState state = GroupState::kUnknown;
  bool is_simple = false;  // no protocol type: offsets committed without joining
};

struct GroupMember {
  std::string consumer_id;
  std::optional<std::string> group_instance_id;  // static membership only
  std::string client_id;
  std::string host;
  std::vector<TopicPartition> assignment;
};

struct GroupDescription {
  std::string group_id;
  Status error;  // the group could not be described; the other fields are empty
  GroupState state = GroupState::kUnknown;
  std::string partition_assignor;
  BrokerMetadata coordinator;
  std::vector<GroupMember> members;
};

struct DeleteGroupOffsetsResult {
  Status error;  // group level: GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, ...
  std::vector<std::pair<TopicPartition, Status>> partitions;
};

// Cluster administration. Errors carry Kafka's error name and the broker's message:
// "TOPIC_ALREADY_EXISTS: Topic 'users' already exists." (see kafkaErrorMessage()).
// Every call blocks for at most the configured timeout (default.api.timeout.ms,
// default 60 s). Batch calls fail with the first per-item error.
class Admin {
 public:
  virtual ~Admin() = default;

  [[nodiscard]] virtual Status createTopics(const std::vector<NewTopic>& topics) = 0;
  [[nodiscard]] virtual Status deleteTopics(const std::vector<std::string>& topics) = 0;
  // Grows `topic` to `total_partitions` partitions.
  [[nodiscard]] virtual Status createPartitions(const std::string& topic, int32_t total_partitions) = 0;

  // Metadata for all topics (internal ones included) or only for `topics`; a requested
  // topic that does not exist comes back with an error status.
  virtual Result<ClusterMetadata> metadata(const std::optional<std::vector<std::string>>& topics) = 0;

  virtual Result<std::vector<ConfigEntry>> describeTopicConfigs(const std::string& topic) = 0;
  // Sets `set` and removes `remove` from the topic's dynamic configs, keeping the others.
  [[nodiscard]] virtual Status alterTopicConfigs(const std::string& topic,
                                                 const std::map<std::string, std::string>& set,
                                                 const std::vector<std::string>& remove) = 0;

  // For each partition, the offset that `spec` designates (-1 if no record has a
  // timestamp at or after spec.timestamp).
  virtual Result<std::vector<TopicPartitionOffset>> listOffsets(const std::vector<TopicPartition>& partitions,
                                                                OffsetSpec spec) = 0;

  // Consumer groups in any of `states` (all groups when empty), sorted by id.
  virtual Result<std::vector<GroupListing>> listGroups(const std::vector<GroupState>& states) = 0;
  // One description per requested group, in request order. A group the coordinator
  // does not know comes back in state kDead, as Kafka answers.
  virtual Result<std::vector<GroupDescription>> describeGroups(const std::vector<std::string>& groups) = 0;
  // The group's committed offsets, sorted; partitions without one are left out.
  virtual Result<std::vector<TopicPartitionOffset>> listGroupOffsets(const std::string& group) = 0;
  // Commits `offsets` for the group as an admin (fails while the group has members).
  [[nodiscard]] virtual Status alterGroupOffsets(const std::string& group,
                                                 const std::vector<TopicPartitionOffset>& offsets) = 0;
  // Per group, in request order: ok, or why it was not deleted.
  virtual Result<std::vector<std::pair<std::string, Status>>> deleteGroups(const std::vector<std::string>& groups) = 0;
  virtual Result<DeleteGroupOffsetsResult> deleteGroupOffsets(const std::string& group,
                                                              const std::vector<TopicPartition>& partitions) = 0;
};

// The message of a Status made by this module without the "ERROR_NAME: " prefix, which
// is how Kafka's tools print exceptions ("Topic 'users' already exists.").
std::string kafkaErrorMessage(const Status& status);
// The Kafka error name of such a Status ("TOPIC_ALREADY_EXISTS"), or "" if none.
std::string kafkaErrorName(const Status& status);

}  // namespace runnel::client
