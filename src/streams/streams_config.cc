#include "streams/streams_config.h"

#include <filesystem>
#include <set>

#include "common/properties.h"
#include "streams/serdes.h"

namespace runnel::streams {
namespace {

// Keys of Kafka Streams itself: never passed to the clients.
const std::set<std::string, std::less<>>& streamsOnlyKeys() {
  static const std::set<std::string, std::less<>> keys = {
      "application.id", "num.stream.threads", "commit.interval.ms", "default.key.serde",
      "default.value.serde", "processing.guarantee", "default.timestamp.extractor",
      "default.deserialization.exception.handler", "default.production.exception.handler",
      "state.dir", "poll.ms", "buffered.records.per.partition", "replication.factor",
      "application.server", "max.task.idle.ms", "num.standby.replicas",
      "statestore.cache.max.bytes", "cache.max.bytes.buffering", "topology.optimization",
      "metrics.recording.level", "rocksdb.config.setter", "upgrade.from", "window.size.ms",
      "acceptable.recovery.lag", "probing.rebalance.interval.ms", "max.warmup.replicas",
      "task.timeout.ms", "default.dsl.store"};
  return keys;
}

enum class ClientKind { kConsumer, kProducer, kAdmin };

// Plain (unprefixed) client keys that only one kind of client understands: librdkafka
// warns about the others, so they go only where they belong.
bool belongsTo(std::string_view key, ClientKind kind) {
  static const std::set<std::string, std::less<>> consumer_only = {
      "session.timeout.ms", "heartbeat.interval.ms", "max.poll.interval.ms", "max.poll.records",
      "fetch.min.bytes", "fetch.max.bytes", "fetch.max.wait.ms", "max.partition.fetch.bytes",
      "auto.offset.reset", "isolation.level", "group.instance.id", "enable.auto.commit",
      "auto.commit.interval.ms", "partition.assignment.strategy", "allow.auto.create.topics"};
  static const std::set<std::string, std::less<>> producer_only = {
      "acks", "linger.ms", "batch.size", "compression.type", "enable.idempotence", "delivery.timeout.ms",
      "buffer.memory", "max.in.flight.requests.per.connection", "retries", "max.request.size"};
  if (consumer_only.contains(key)) return kind == ClientKind::kConsumer;
  if (producer_only.contains(key)) return kind == ClientKind::kProducer;
  return true;
}

// Kafka names classes with or without their package; both spellings are accepted.
bool namesClass(std::string_view value, std::string_view simple_name) {
  if (value == simple_name) return true;
  return value.size() > simple_name.size() && value.ends_with(simple_name) &&
         value[value.size() - simple_name.size() - 1] == '.';
}

Status invalidValue(std::string_view key, std::string_view value, std::string_view why) {
  return Status::invalidArgument("Invalid value " + std::string(value) + " for configuration " + std::string(key) +
                                 ": " + std::string(why));
}

Result<int64_t> intValue(const std::map<std::string, std::string>& props, std::string_view key, int64_t fallback,
                         int64_t min_value) {
  auto it = props.find(std::string(key));
  if (it == props.end()) return fallback;
  auto parsed = parseInt64(it->second);
  if (!parsed) return invalidValue(key, it->second, "Not a number of type INT or LONG");
  if (*parsed < min_value) return invalidValue(key, it->second, "Value must be at least " + std::to_string(min_value));
  return *parsed;
}

std::string valueOr(const std::map<std::string, std::string>& props, std::string_view key, std::string fallback) {
  auto it = props.find(std::string(key));
  return it == props.end() ? fallback : it->second;
}

Result<std::shared_ptr<const SerdeBase>> serdeValue(const std::map<std::string, std::string>& props,
                                                   std::string_view key) {
  auto it = props.find(std::string(key));
  if (it == props.end() || it->second.empty()) return std::shared_ptr<const SerdeBase>();
  auto serde = serdeByName(it->second);
  if (!serde) return invalidValue(key, it->second, serde.status().message());
  return std::move(serde).value();
}

}  // namespace

Result<StreamsConfig> StreamsConfig::create(std::map<std::string, std::string> props) {
  StreamsConfig config;
  config.application_id_ = valueOr(props, kApplicationId, "");
  if (config.application_id_.empty()) {
    return Status::invalidArgument("Missing required configuration \"application.id\" which has no default value.");
  }
  config.bootstrap_servers_ = valueOr(props, kBootstrapServers, "");
  RUNNEL_ASSIGN_OR_RETURN(int64_t threads, intValue(props, kNumStreamThreads, 1, 1));
  config.num_stream_threads_ = static_cast<int32_t>(threads);
  RUNNEL_ASSIGN_OR_RETURN(int64_t standbys, intValue(props, kNumStandbyReplicas, 0, 0));
  config.num_standby_replicas_ = static_cast<int32_t>(standbys);

  std::string guarantee = valueOr(props, kProcessingGuarantee, "at_least_once");
  if (guarantee != "at_least_once") {
    return invalidValue(kProcessingGuarantee, guarantee, "only at_least_once is supported so far");
  }
  RUNNEL_ASSIGN_OR_RETURN(config.commit_interval_ms_, intValue(props, kCommitIntervalMs, 30000, 0));
  config.auto_offset_reset_ = valueOr(props, kAutoOffsetReset, "earliest");
  if (config.auto_offset_reset_ != "earliest" && config.auto_offset_reset_ != "latest" &&
      config.auto_offset_reset_ != "none") {
    return invalidValue(kAutoOffsetReset, config.auto_offset_reset_, "String must be one of: latest, earliest, none");
  }

  std::string extractor = valueOr(props, kDefaultTimestampExtractor, "FailOnInvalidTimestamp");
  if (namesClass(extractor, "FailOnInvalidTimestamp")) {
    config.timestamp_extractor_ = TimestampExtractorKind::kFailOnInvalid;
  } else if (namesClass(extractor, "LogAndSkipOnInvalidTimestamp")) {
    config.timestamp_extractor_ = TimestampExtractorKind::kLogAndSkipOnInvalid;
  } else if (namesClass(extractor, "UsePartitionTimeOnInvalidTimestamp")) {
    config.timestamp_extractor_ = TimestampExtractorKind::kUsePartitionTimeOnInvalid;
  } else if (namesClass(extractor, "WallclockTimestampExtractor")) {
    config.timestamp_extractor_ = TimestampExtractorKind::kWallclock;
  } else {
    return invalidValue(kDefaultTimestampExtractor, extractor,
                        "unknown timestamp extractor (custom ones are set per source with Consumed)");
  }

  std::string deserialization = valueOr(props, kDeserializationExceptionHandler, "LogAndFailExceptionHandler");
  if (namesClass(deserialization, "LogAndFailExceptionHandler")) {
    config.deserialization_handling_ = DeserializationHandling::kLogAndFail;
  } else if (namesClass(deserialization, "LogAndContinueExceptionHandler")) {
    config.deserialization_handling_ = DeserializationHandling::kLogAndContinue;
  } else {
    return invalidValue(kDeserializationExceptionHandler, deserialization, "unknown deserialization exception handler");
  }
  std::string production = valueOr(props, kProductionExceptionHandler, "DefaultProductionExceptionHandler");
  if (namesClass(production, "DefaultProductionExceptionHandler")) {
    config.production_handling_ = ProductionHandling::kFail;
  } else if (namesClass(production, "AlwaysContinueProductionExceptionHandler")) {
    config.production_handling_ = ProductionHandling::kContinue;
  } else {
    return invalidValue(kProductionExceptionHandler, production, "unknown production exception handler");
  }

  config.state_dir_ = valueOr(props, kStateDir, (std::filesystem::temp_directory_path() / "kafka-streams").string());
  RUNNEL_ASSIGN_OR_RETURN(config.poll_ms_, intValue(props, kPollMs, 100, 0));
  RUNNEL_ASSIGN_OR_RETURN(config.buffered_records_per_partition_, intValue(props, kBufferedRecordsPerPartition, 1000, 1));
  // The old name still counts where the new one is not set, as in Kafka 3.4+.
  RUNNEL_ASSIGN_OR_RETURN(int64_t legacy_cache_bytes, intValue(props, kCacheMaxBytesBuffering, 10485760, 0));
  RUNNEL_ASSIGN_OR_RETURN(config.cache_max_bytes_, intValue(props, kStatestoreCacheMaxBytes, legacy_cache_bytes, 0));
  RUNNEL_ASSIGN_OR_RETURN(int64_t replication, intValue(props, kReplicationFactor, -1, -1));
  config.replication_factor_ = static_cast<int16_t>(replication);
  config.application_server_ = valueOr(props, kApplicationServer, "");
  config.client_id_ = valueOr(props, kClientId, "");
  RUNNEL_ASSIGN_OR_RETURN(config.default_key_serde_, serdeValue(props, kDefaultKeySerde));
  RUNNEL_ASSIGN_OR_RETURN(config.default_value_serde_, serdeValue(props, kDefaultValueSerde));
  config.props_ = std::move(props);
  return config;
}

client::ClientConfig StreamsConfig::clientConfig(std::initializer_list<std::string_view> prefixes) const {
  ClientKind kind = ClientKind::kConsumer;
  for (auto prefix : prefixes) {
    if (prefix == "producer.") kind = ClientKind::kProducer;
    if (prefix == "admin.") kind = ClientKind::kAdmin;
  }
  client::ClientConfig out;
  static constexpr std::string_view kAllPrefixes[] = {"main.consumer.", "consumer.", "producer.", "admin.",
                                                      "restore.consumer.", "global.consumer."};
  for (const auto& [key, value] : props_) {
    if (streamsOnlyKeys().contains(key) || key == kClientId) continue;
    bool prefixed = false;
    for (auto prefix : kAllPrefixes) prefixed = prefixed || key.starts_with(prefix);
    if (!prefixed && belongsTo(key, kind)) out[key] = value;
  }
  // Prefixed keys override plain ones, the more specific prefix last.
  for (auto prefix : prefixes) {
    for (const auto& [key, value] : props_) {
      if (key.starts_with(prefix)) out[key.substr(prefix.size())] = value;
    }
  }
  return out;
}

client::ClientConfig StreamsConfig::consumerConfig(const std::string& client_id) const {
  client::ClientConfig out = clientConfig({"consumer.", "main.consumer."});
  out["group.id"] = application_id_;
  out["client.id"] = client_id;
  out["auto.offset.reset"] = auto_offset_reset_;
  // Offsets are committed by the stream thread for what it has processed, not fetched.
  out["enable.auto.commit"] = "false";
  // Co-partitioned topics must land on the same member (DESIGN.md).
  out["partition.assignment.strategy"] = "range";
  // librdkafka 2.0.2 stops fetching a partition while 100000 (its default) of its records
  // are queued and resumes late, so a stream thread that drains its queue waits for
  // fetches; a larger threshold tripled end-to-end throughput (bench/RESULTS.md). Memory
  // stays bounded by queued.max.messages.kbytes (64 MiB per consumer).
  out.try_emplace("queued.min.messages", "1000000");
  return out;
}

client::ClientConfig StreamsConfig::producerConfig(const std::string& client_id) const {
  client::ClientConfig out = clientConfig({"producer."});
  out["client.id"] = client_id;
  // Kafka Streams' producer defaults for at_least_once.
  out.try_emplace("linger.ms", "100");
  return out;
}

client::ClientConfig StreamsConfig::adminConfig() const {
  client::ClientConfig out = clientConfig({"admin."});
  out["client.id"] = (client_id_.empty() ? application_id_ : client_id_) + "-admin";
  return out;
}

}  // namespace runnel::streams
