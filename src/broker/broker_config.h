#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/properties.h"
#include "common/result.h"

namespace runnel::broker {

struct Endpoint {
  std::string host;
  uint16_t port = 0;
};

// Broker settings, named and defaulted as Kafka's broker configs are.
struct BrokerConfig {
  int32_t node_id = 1;                          // node.id / broker.id
  Endpoint listener{"127.0.0.1", 9092};         // listeners=PLAINTEXT://host:port (port 0 picks one)
  std::string advertised_host;                  // advertised.listeners; empty: the listener's
  uint16_t advertised_port = 0;                 //   0: the bound port
  std::vector<std::string> log_dirs{"/tmp/kafka-logs"};  // log.dirs (log.dir)
  int32_t num_partitions = 1;                   // num.partitions
  int16_t default_replication_factor = 1;       // default.replication.factor
  bool auto_create_topics_enable = true;        // auto.create.topics.enable
  bool delete_topic_enable = true;              // delete.topic.enable
  int32_t num_io_threads = 0;                   // num.io.threads; 0: one per core
  int32_t message_max_bytes = 1048588;          // message.max.bytes
  int32_t socket_request_max_bytes = 104857600; // socket.request.max.bytes
  int32_t offsets_topic_num_partitions = 50;    // offsets.topic.num.partitions
  int64_t log_retention_check_interval_ms = 300000;  // log.retention.check.interval.ms
  int64_t log_initial_task_delay_ms = 30000;    // log.initial.task.delay.ms (first retention run)
  int64_t fetch_max_wait_cap_ms = 30000;        // caps a client's Fetch max.wait.ms

  // Group coordinator.
  int64_t group_initial_rebalance_delay_ms = 3000;   // group.initial.rebalance.delay.ms
  int32_t group_min_session_timeout_ms = 6000;       // group.min.session.timeout.ms
  int32_t group_max_session_timeout_ms = 1800000;    // group.max.session.timeout.ms
  int64_t offsets_retention_ms = 604800000;          // offsets.retention.minutes=10080
  int64_t offsets_retention_check_interval_ms = 600000;  // offsets.retention.check.interval.ms

  // Log defaults for topics without overrides.
  int64_t log_segment_bytes = 1073741824;       // log.segment.bytes
  int64_t log_roll_ms = 604800000;              // log.roll.ms (log.roll.hours=168)
  int64_t log_retention_ms = 604800000;         // log.retention.ms (log.retention.hours=168)
  int64_t log_retention_bytes = -1;             // log.retention.bytes
  int64_t log_flush_interval_messages = INT64_MAX;  // log.flush.interval.messages
  int64_t log_flush_interval_ms = INT64_MAX;    // log.flush.interval.ms
  int32_t log_index_interval_bytes = 4096;      // log.index.interval.bytes
  int32_t log_index_size_max_bytes = 10485760;  // log.index.size.max.bytes
  std::string log_cleanup_policy = "delete";    // log.cleanup.policy
  std::string log_message_timestamp_type = "CreateTime";  // log.message.timestamp.type
  int64_t producer_id_expiration_ms = 86400000;  // producer.id.expiration.ms

  // Log cleaner (compaction of cleanup.policy=compact topics).
  bool log_cleaner_enable = true;                       // log.cleaner.enable
  int32_t log_cleaner_threads = 1;                      // log.cleaner.threads
  int64_t log_cleaner_backoff_ms = 15000;               // log.cleaner.backoff.ms
  double log_cleaner_min_cleanable_ratio = 0.5;         // log.cleaner.min.cleanable.ratio
  int64_t log_cleaner_delete_retention_ms = 86400000;   // log.cleaner.delete.retention.ms
  int64_t log_cleaner_min_compaction_lag_ms = 0;        // log.cleaner.min.compaction.lag.ms
  int64_t log_cleaner_max_compaction_lag_ms = INT64_MAX;  // log.cleaner.max.compaction.lag.ms
  int64_t log_cleaner_dedupe_buffer_size = 134217728;   // log.cleaner.dedupe.buffer.size

  // Reads Kafka broker config names; unknown names are kept (ksql.* belongs to the SQL
  // server) and ignored here. Fails with a message naming the bad key.
  static Result<BrokerConfig> fromProperties(const Properties& props);
};

// Parses "PLAINTEXT://host:port" (the first listener of a comma-separated list).
Result<Endpoint> parseListener(const std::string& text);

}  // namespace runnel::broker
