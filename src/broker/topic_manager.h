#pragma once

#include <array>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "broker/broker_config.h"
#include "broker/topic_config.h"
#include "common/result.h"
#include "storage/partition_log.h"

namespace runnel::broker {

using TopicId = std::array<uint8_t, 16>;

// Callbacks waiting for data on a partition (delayed Fetch requests). A waiter is held
// weakly: a completed fetch simply goes away.
class AppendWaiters {
 public:
  using Waker = std::function<void()>;

  void add(const std::shared_ptr<Waker>& waker);
  // Calls and forgets every live waiter.
  void wakeAll();

 private:
  std::mutex mu_;
  std::vector<std::weak_ptr<Waker>> waiters_;
};

struct Partition {
  std::string topic;
  int32_t index = 0;
  std::unique_ptr<storage::PartitionLog> log;
  AppendWaiters waiters;
};

// An immutable snapshot of a topic; changes publish a new snapshot, so readers never
// lock beyond the catalog lookup. Partitions are shared between snapshots.
struct Topic {
  std::string name;
  TopicId id{};
  bool internal = false;
  TopicConfig config;
  std::vector<std::shared_ptr<Partition>> partitions;
};

// The catalog of topics and their partition logs, persisted under the first log dir:
// one properties file per topic in <log.dir>/topics/, partition data in
// <log.dir>/<topic>-<partition>/ as Kafka lays it out.
class TopicManager {
 public:
  static Result<std::unique_ptr<TopicManager>> open(const BrokerConfig& config);
  ~TopicManager();

  // Kafka's topic name rules: 1-249 of [a-zA-Z0-9._-], not "." or "..".
  static Status validateName(const std::string& name);

  Result<std::shared_ptr<const Topic>> create(const std::string& name, int32_t partitions,
                                              TopicConfig config, bool internal = false,
                                              bool validate_only = false);
  Status remove(const std::string& name);
  Status addPartitions(const std::string& name, int32_t total_count, bool validate_only = false);
  Status alterConfig(const std::string& name, TopicConfig config, bool validate_only = false);

  std::shared_ptr<const Topic> find(const std::string& name) const;
  std::shared_ptr<Partition> partition(const std::string& topic, int32_t index) const;
  std::vector<std::shared_ptr<const Topic>> list() const;

  // Time and size retention over every partition; logs what it deleted.
  void applyRetention(int64_t now_ms);
  void flushAll();
  // Flushes the partitions whose flush.messages / flush.ms policy is due.
  void maybeFlushAll(int64_t now_ms);

  const BrokerConfig& brokerConfig() const { return config_; }
  const std::string& clusterId() const { return cluster_id_; }

 private:
  explicit TopicManager(const BrokerConfig& config);
  Status loadAll();
  Status loadClusterId();
  Status persist(const Topic& topic) const;
  Result<std::shared_ptr<Partition>> openPartition(const Topic& topic, int32_t index) const;
  std::filesystem::path partitionDir(const std::string& topic, int32_t index) const;
  std::filesystem::path topicFile(const std::string& topic) const;
  // Runs fn on every partition log and logs its failures.
  void forEachPartition(const std::function<Status(storage::PartitionLog&)>& fn, const char* what);

  BrokerConfig config_;
  std::filesystem::path root_;
  std::string cluster_id_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const Topic>> topics_;
  // Serializes catalog changes (create/delete/alter), which do disk I/O outside mu_.
  std::mutex admin_mu_;
};

}  // namespace runnel::broker
