#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "client/types.h"
#include "common/result.h"
#include "streams/serde.h"

namespace runnel::streams {

// Kafka Streams' configuration, with its key names and defaults. Keys the library does
// not know go to the clients as Kafka Streams passes them; `consumer.`, `main.consumer.`,
// `producer.` and `admin.` prefixes direct a client config to one client.
class StreamsConfig {
 public:
  static constexpr std::string_view kApplicationId = "application.id";
  static constexpr std::string_view kBootstrapServers = "bootstrap.servers";
  static constexpr std::string_view kNumStreamThreads = "num.stream.threads";
  static constexpr std::string_view kNumStandbyReplicas = "num.standby.replicas";
  static constexpr std::string_view kCommitIntervalMs = "commit.interval.ms";
  static constexpr std::string_view kDefaultKeySerde = "default.key.serde";
  static constexpr std::string_view kDefaultValueSerde = "default.value.serde";
  static constexpr std::string_view kAutoOffsetReset = "auto.offset.reset";
  static constexpr std::string_view kProcessingGuarantee = "processing.guarantee";
  static constexpr std::string_view kDefaultTimestampExtractor = "default.timestamp.extractor";
  static constexpr std::string_view kDeserializationExceptionHandler = "default.deserialization.exception.handler";
  static constexpr std::string_view kProductionExceptionHandler = "default.production.exception.handler";
  static constexpr std::string_view kStateDir = "state.dir";
  static constexpr std::string_view kPollMs = "poll.ms";
  static constexpr std::string_view kBufferedRecordsPerPartition = "buffered.records.per.partition";
  static constexpr std::string_view kReplicationFactor = "replication.factor";
  static constexpr std::string_view kApplicationServer = "application.server";
  static constexpr std::string_view kStatestoreCacheMaxBytes = "statestore.cache.max.bytes";
  static constexpr std::string_view kCacheMaxBytesBuffering = "cache.max.bytes.buffering";  // deprecated name
  static constexpr std::string_view kClientId = "client.id";

  enum class TimestampExtractorKind {
    kFailOnInvalid,           // FailOnInvalidTimestamp (the default)
    kLogAndSkipOnInvalid,     // LogAndSkipOnInvalidTimestamp
    kUsePartitionTimeOnInvalid,  // UsePartitionTimeOnInvalidTimestamp
    kWallclock,               // WallclockTimestampExtractor
  };
  enum class DeserializationHandling { kLogAndFail, kLogAndContinue };
  enum class ProductionHandling { kFail, kContinue };

  // Checks every known key (types, ranges, class names); application.id is required.
  static Result<StreamsConfig> create(std::map<std::string, std::string> props);

  const std::string& applicationId() const { return application_id_; }
  const std::string& bootstrapServers() const { return bootstrap_servers_; }
  int32_t numStreamThreads() const { return num_stream_threads_; }
  int32_t numStandbyReplicas() const { return num_standby_replicas_; }
  int64_t commitIntervalMs() const { return commit_interval_ms_; }
  const std::string& autoOffsetReset() const { return auto_offset_reset_; }
  TimestampExtractorKind timestampExtractor() const { return timestamp_extractor_; }
  DeserializationHandling deserializationHandling() const { return deserialization_handling_; }
  ProductionHandling productionHandling() const { return production_handling_; }
  const std::string& stateDir() const { return state_dir_; }
  int64_t pollMs() const { return poll_ms_; }
  int64_t bufferedRecordsPerPartition() const { return buffered_records_per_partition_; }
  // statestore.cache.max.bytes (formerly cache.max.bytes.buffering), shared by the
  // stream threads: 0 turns the record caches off.
  int64_t cacheMaxBytes() const { return cache_max_bytes_; }
  int16_t replicationFactor() const { return replication_factor_; }
  const std::string& applicationServer() const { return application_server_; }
  const std::string& clientId() const { return client_id_; }

  // Null when the key is not set; the stream that needs one reports it.
  const std::shared_ptr<const SerdeBase>& defaultKeySerde() const { return default_key_serde_; }
  const std::shared_ptr<const SerdeBase>& defaultValueSerde() const { return default_value_serde_; }

  // Client configurations as Kafka Streams derives them for a stream thread's clients.
  client::ClientConfig consumerConfig(const std::string& client_id) const;
  client::ClientConfig producerConfig(const std::string& client_id) const;
  client::ClientConfig adminConfig() const;

  const std::map<std::string, std::string>& originals() const { return props_; }

 private:
  client::ClientConfig clientConfig(std::initializer_list<std::string_view> prefixes) const;

  std::map<std::string, std::string> props_;
  std::string application_id_;
  std::string bootstrap_servers_;
  int32_t num_stream_threads_ = 1;
  int32_t num_standby_replicas_ = 0;
  int64_t commit_interval_ms_ = 30000;
  std::string auto_offset_reset_ = "earliest";
  TimestampExtractorKind timestamp_extractor_ = TimestampExtractorKind::kFailOnInvalid;
  DeserializationHandling deserialization_handling_ = DeserializationHandling::kLogAndFail;
  ProductionHandling production_handling_ = ProductionHandling::kFail;
  std::string state_dir_;
  int64_t poll_ms_ = 100;
  int64_t buffered_records_per_partition_ = 1000;
  int64_t cache_max_bytes_ = 10485760;
  int16_t replication_factor_ = -1;
  std::string application_server_;
  std::string client_id_;
  std::shared_ptr<const SerdeBase> default_key_serde_;
  std::shared_ptr<const SerdeBase> default_value_serde_;
};

}  // namespace runnel::streams
