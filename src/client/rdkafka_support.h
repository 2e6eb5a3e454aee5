#pragma once

// Shared by the librdkafka-backed clients; include only from .cc files of this module,
// so that rdkafka.h stays out of the public headers.

#include <librdkafka/rdkafka.h>

#include <memory>
#include <string_view>

#include "client/types.h"
#include "common/result.h"

namespace runnel::client::rdkafka {

enum class ClientKind { kProducer, kConsumer, kAdmin };

// A Status carrying Kafka's error name: "TOPIC_ALREADY_EXISTS: <message>". An empty
// `message` uses librdkafka's description of the error.
Status toStatus(rd_kafka_resp_err_t err, std::string_view message = {});

// Builds a librdkafka configuration from Java or librdkafka property names.
Result<rd_kafka_conf_t*> makeConf(const ClientConfig& config, ClientKind kind);

// Creates the handle; takes ownership of `conf` (also on failure).
Result<rd_kafka_t*> makeHandle(rd_kafka_type_t type, rd_kafka_conf_t* conf);

int64_t toRdOffset(int64_t offset);
int64_t fromRdOffset(int64_t offset);

struct ListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const { rd_kafka_topic_partition_list_destroy(list); }
};
using PartitionList = std::unique_ptr<rd_kafka_topic_partition_list_t, ListDeleter>;

PartitionList toList(const std::vector<TopicPartitionOffset>& partitions);
PartitionList toList(const std::vector<TopicPartition>& partitions);
// Fails with the first per-partition error.
Result<std::vector<TopicPartitionOffset>> fromList(const rd_kafka_topic_partition_list_t* list);

struct MetadataDeleter {
  void operator()(const rd_kafka_metadata_t* md) const { rd_kafka_metadata_destroy(md); }
};
using MetadataPtr = std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter>;

}  // namespace runnel::client::rdkafka
