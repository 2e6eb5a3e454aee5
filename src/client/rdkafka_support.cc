#include "client/rdkafka_support.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <random>
#include <string>

namespace runnel::client::rdkafka {
namespace {

// Java client properties that librdkafka spells differently.
struct Rename {
  std::string_view java;
  std::string_view librdkafka;
};
constexpr std::array kRenames = {
    Rename{"delivery.timeout.ms", "message.timeout.ms"},
    Rename{"send.buffer.bytes", "socket.send.buffer.bytes"},
    Rename{"receive.buffer.bytes", "socket.receive.buffer.bytes"},
    Rename{"max.in.flight.requests.per.connection", "max.in.flight"},
};

// Java-only properties with no librdkafka counterpart that matters to us. Config files
// written for the Java tools carry them, so they are accepted and ignored.
constexpr std::array<std::string_view, 10> kIgnored = {
    "key.serializer",   "value.serializer", "key.deserializer",       "value.deserializer",
    "max.block.ms",     "interceptor.classes", "default.api.timeout.ms", "max.poll.records",
    "exclude.internal.topics", "metric.reporters",
};

std::string_view assignorName(std::string_view value) {
  if (value.ends_with("RangeAssignor")) return "range";
  if (value.ends_with("RoundRobinAssignor")) return "roundrobin";
  if (value.ends_with("CooperativeStickyAssignor")) return "cooperative-sticky";
  return value;
}

Status set(rd_kafka_conf_t* conf, std::string_view name, const std::string& value) {
  char errstr[512];
  std::string key(name);
  if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
    return Status::invalidArgument(errstr);
  }
  return Status::ok();
}

}  // namespace

Status toStatus(rd_kafka_resp_err_t err, std::string_view message) {
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return Status::ok();
  std::string text = rd_kafka_err2name(err);
  text += ": ";
  if (message.empty()) {
    text += rd_kafka_err2str(err);
  } else {
    text += message;
  }
  switch (err) {
    case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS:
      return Status::alreadyExists(std::move(text));
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
    case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
    case RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND:
      return Status::notFound(std::move(text));
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
      return Status::timedOut(std::move(text));
    case RD_KAFKA_RESP_ERR_INVALID_PARTITIONS:
    case RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR:
    case RD_KAFKA_RESP_ERR_INVALID_REPLICA_ASSIGNMENT:
    case RD_KAFKA_RESP_ERR_INVALID_CONFIG:
    case RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION:
    case RD_KAFKA_RESP_ERR_INVALID_REQUEST:
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
    case RD_KAFKA_RESP_ERR__INVALID_ARG:
      return Status::invalidArgument(std::move(text));
    case RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION:
    case RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE:
      return Status::unsupported(std::move(text));
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR__RESOLVE:
      return Status::ioError(std::move(text));
    default:
      return Status::internal(std::move(text));
  }
}

Result<rd_kafka_conf_t*> makeConf(const ClientConfig& config, ClientKind kind) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  auto fail = [conf](Status status) -> Result<rd_kafka_conf_t*> {
    rd_kafka_conf_destroy(conf);
    return status;
  };
  // Java's defaults where librdkafka's differ in ways users notice: a producer gives up
  // on a record after 2 minutes, not 5.
  if (kind == ClientKind::kProducer && !config.contains("delivery.timeout.ms") &&
      !config.contains("message.timeout.ms")) {
    if (Status s = set(conf, "message.timeout.ms", "120000"); !s.isOk()) return fail(s);
  }
  for (const auto& [name, value] : config) {
    std::string_view key = name;
    if (std::find(kIgnored.begin(), kIgnored.end(), key) != kIgnored.end()) continue;
    if (kind != ClientKind::kProducer && key == "partitioner") continue;
    std::string converted = value;
    for (const Rename& rename : kRenames) {
      if (key == rename.java) key = rename.librdkafka;
    }
    if (key == "buffer.memory") {
      // librdkafka bounds the queue in KiB.
      auto bytes = std::strtoll(value.c_str(), nullptr, 10);
      key = "queue.buffering.max.kbytes";
      converted = std::to_string(std::max<long long>(1, bytes / 1024));
    } else if (key == "partition.assignment.strategy") {
      converted = std::string(assignorName(value));
    } else if (key == "auto.offset.reset" && value == "none") {
      converted = "error";
    }
    if (Status s = set(conf, key, converted); !s.isOk()) return fail(s);
  }
  if (kind == ClientKind::kProducer) {
    if (Status s = set(conf, "partitioner", "murmur2_random"); !s.isOk()) return fail(s);
  }
  if (kind == ClientKind::kConsumer && !config.contains("group.id")) {
    std::random_device random;
    if (Status s = set(conf, "group.id", "runnel-consumer-" + std::to_string(random() % 1000000)); !s.isOk()) {
      return fail(s);
    }
    if (Status s = set(conf, "enable.auto.commit", "false"); !s.isOk()) return fail(s);
  }
  return conf;
}

Result<rd_kafka_t*> makeHandle(rd_kafka_type_t type, rd_kafka_conf_t* conf) {
  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf, errstr, sizeof errstr);
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return Status::invalidArgument(errstr);
  }
  return rk;
}

int64_t toRdOffset(int64_t offset) {
  switch (offset) {
    case kOffsetBeginning: return RD_KAFKA_OFFSET_BEGINNING;
    case kOffsetEnd: return RD_KAFKA_OFFSET_END;
    case kOffsetStored: return RD_KAFKA_OFFSET_STORED;
    case kOffsetInvalid: return RD_KAFKA_OFFSET_INVALID;
    default: return offset;
  }
}

int64_t fromRdOffset(int64_t offset) {
  switch (offset) {
    case RD_KAFKA_OFFSET_BEGINNING: return kOffsetBeginning;
    case RD_KAFKA_OFFSET_END: return kOffsetEnd;
    case RD_KAFKA_OFFSET_STORED: return kOffsetStored;
    case RD_KAFKA_OFFSET_INVALID: return kOffsetInvalid;
    default: return offset;
  }
}

PartitionList toList(const std::vector<TopicPartitionOffset>& partitions) {
  PartitionList list(rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size())));
  for (const auto& p : partitions) {
    rd_kafka_topic_partition_list_add(list.get(), p.topic.c_str(), p.partition)->offset = toRdOffset(p.offset);
  }
  return list;
}

PartitionList toList(const std::vector<TopicPartition>& partitions) {
  PartitionList list(rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size())));
  for (const auto& p : partitions) rd_kafka_topic_partition_list_add(list.get(), p.topic.c_str(), p.partition);
  return list;
}

Result<std::vector<TopicPartitionOffset>> fromList(const rd_kafka_topic_partition_list_t* list) {
  std::vector<TopicPartitionOffset> out;
  out.reserve(list->cnt);
  for (int i = 0; i < list->cnt; ++i) {
    const auto& p = list->elems[i];
    if (p.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return toStatus(p.err, std::string(p.topic) + "-" + std::to_string(p.partition) + ": " + rd_kafka_err2str(p.err));
    }
    out.push_back({p.topic, p.partition, fromRdOffset(p.offset)});
  }
  return out;
}

}  // namespace runnel::client::rdkafka
