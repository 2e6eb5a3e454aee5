#pragma once

#include <optional>
#include <string>
#include <vector>

#include "protocol/api.h"

namespace runnel::protocol {

struct MetadataRequest {
  static constexpr ApiKey kApiKey = ApiKey::kMetadata;
  static constexpr int16_t kFirstFlexibleVersion = 9;

  struct Topic {
    Uuid topic_id{};
    std::optional<std::string> name;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      if (io.version() >= 10) io.uuid(topic_id);
      io.nullableString(name);
    }
  };

  // Null (v1+) asks for every topic; empty asks for none (v0: empty means all).
  std::optional<std::vector<Topic>> topics;
  bool allow_auto_topic_creation = true;
  bool include_cluster_authorized_operations = false;
  bool include_topic_authorized_operations = false;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    io.nullableArray(topics);
    if (io.version() >= 4) io.boolean(allow_auto_topic_creation);
    if (io.version() >= 8 && io.version() <= 10) io.boolean(include_cluster_authorized_operations);
    if (io.version() >= 8) io.boolean(include_topic_authorized_operations);
  }
};

struct MetadataResponse {
  static constexpr ApiKey kApiKey = ApiKey::kMetadata;
  static constexpr int16_t kFirstFlexibleVersion = 9;

  struct Broker {
    int32_t node_id = 0;
    std::string host;
    int32_t port = 0;
    std::optional<std::string> rack;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.int32(node_id);
      io.string(host);
      io.int32(port);
      if (io.version() >= 1) io.nullableString(rack);
    }
  };

  struct Partition {
    int16_t error_code = 0;
    int32_t partition_index = 0;
    int32_t leader_id = 0;
    int32_t leader_epoch = -1;
    std::vector<int32_t> replica_nodes;
    std::vector<int32_t> isr_nodes;
    std::vector<int32_t> offline_replicas;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.int16(error_code);
      io.int32(partition_index);
      io.int32(leader_id);
      if (io.version() >= 7) io.int32(leader_epoch);
      io.array(replica_nodes);
      io.array(isr_nodes);
      if (io.version() >= 5) io.array(offline_replicas);
    }
  };

  struct Topic {
    int16_t error_code = 0;
    std::optional<std::string> name;
    Uuid topic_id{};
    bool is_internal = false;
    std::vector<Partition> partitions;
    int32_t topic_authorized_operations = INT32_MIN;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.int16(error_code);
      io.nullableString(name);
      if (io.version() >= 10) io.uuid(topic_id);
      if (io.version() >= 1) io.boolean(is_internal);
      io.array(partitions);
      if (io.version() >= 8) io.int32(topic_authorized_operations);
    }
  };

  int32_t throttle_time_ms = 0;
  std::vector<Broker> brokers;
  std::optional<std::string> cluster_id;
  int32_t controller_id = -1;
  std::vector<Topic> topics;
  int32_t cluster_authorized_operations = INT32_MIN;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    if (io.version() >= 3) io.int32(throttle_time_ms);
    io.array(brokers);
    if (io.version() >= 2) io.nullableString(cluster_id);
    if (io.version() >= 1) io.int32(controller_id);
    io.array(topics);
    if (io.version() >= 8 && io.version() <= 10) io.int32(cluster_authorized_operations);
  }
};

}  // namespace runnel::protocol
