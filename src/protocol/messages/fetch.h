#pragma once

// Fetch (API key 1), versions 0-17 as in Apache Kafka's message
// definitions; the range the broker serves is in api.cc.

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/api.h"

namespace runnel::protocol {

struct FetchRequest {
  static constexpr ApiKey kApiKey = ApiKey::kFetch;
  static constexpr int16_t kFirstFlexibleVersion = 12;

  struct FetchPartition {
    int32_t partition = 0;
    int32_t current_leader_epoch = -1;
    int64_t fetch_offset = 0;
    int32_t last_fetched_epoch = -1;
    int64_t log_start_offset = -1;
    int32_t partition_max_bytes = 0;
    // Tagged field 0 (ReplicaDirectoryId, v17+) stays in tagged_fields.
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.int32(partition);
      if (io.version() >= 9) io.int32(current_leader_epoch);
      io.int64(fetch_offset);
      if (io.version() >= 12) io.int32(last_fetched_epoch);
      if (io.version() >= 5) io.int64(log_start_offset);
      io.int32(partition_max_bytes);
    }
  };

  struct FetchTopic {
    std::string topic;
    Uuid topic_id{};
    std::vector<FetchPartition> partitions;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      if (io.version() <= 12) io.string(topic);
      if (io.version() >= 13) io.uuid(topic_id);
      io.array(partitions);
    }
  };

  struct ForgottenTopic {
    std::string topic;
    Uuid topic_id{};
    std::vector<int32_t> partitions;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      if (io.version() <= 12) io.string(topic);
      if (io.version() >= 13) io.uuid(topic_id);
      io.array(partitions);
    }
  };

  // Tagged field 0 (ClusterId, v12+) stays in tagged_fields.
  int32_t replica_id = -1;
  // Tagged field 1 (ReplicaState, v15+) stays in tagged_fields.
  int32_t max_wait_ms = 0;
  int32_t min_bytes = 0;
  int32_t max_bytes = INT32_MAX;
  int8_t isolation_level = 0;
  int32_t session_id = 0;
  int32_t session_epoch = -1;
  std::vector<FetchTopic> topics;
  std::vector<ForgottenTopic> forgotten_topics_data;
  std::string rack_id;
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    if (io.version() <= 14) io.int32(replica_id);
    io.int32(max_wait_ms);
    io.int32(min_bytes);
    if (io.version() >= 3) io.int32(max_bytes);
    if (io.version() >= 4) io.int8(isolation_level);
    if (io.version() >= 7) io.int32(session_id);
    if (io.version() >= 7) io.int32(session_epoch);
    io.array(topics);
    if (io.version() >= 7) io.array(forgotten_topics_data);
    if (io.version() >= 11) io.string(rack_id);
  }
};

struct FetchResponse {
  static constexpr ApiKey kApiKey = ApiKey::kFetch;
  static constexpr int16_t kFirstFlexibleVersion = 12;

  struct AbortedTransaction {
    int64_t producer_id = 0;
    int64_t first_offset = 0;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.int64(producer_id);
      io.int64(first_offset);
    }
  };

  struct PartitionData {
    int32_t partition_index = 0;
    int16_t error_code = 0;
    int64_t high_watermark = 0;
    int64_t last_stable_offset = -1;
    int64_t log_start_offset = -1;
    // Tagged field 0 (DivergingEpoch, v12+) stays in tagged_fields.
    // Tagged field 1 (CurrentLeader, v12+) stays in tagged_fields.
    // Tagged field 2 (SnapshotId, v12+) stays in tagged_fields.
    std::optional<std::vector<AbortedTransaction>> aborted_transactions;
    int32_t preferred_read_replica = -1;
    std::optional<ByteSpan> records;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      io.int32(partition_index);
      io.int16(error_code);
      io.int64(high_watermark);
      if (io.version() >= 4) io.int64(last_stable_offset);
      if (io.version() >= 5) io.int64(log_start_offset);
      if (io.version() >= 4) io.nullableArray(aborted_transactions);
      if (io.version() >= 11) io.int32(preferred_read_replica);
      io.records(records);
    }
  };

  struct FetchableTopicResponse {
    std::string topic;
    Uuid topic_id{};
    std::vector<PartitionData> partitions;
    std::vector<TaggedField> tagged_fields;

    template <typename Io>
    void io(Io& io) {
      if (io.version() <= 12) io.string(topic);
      if (io.version() >= 13) io.uuid(topic_id);
      io.array(partitions);
    }
  };

  int32_t throttle_time_ms = 0;
  int16_t error_code = 0;
  int32_t session_id = 0;
  std::vector<FetchableTopicResponse> responses;
  // Tagged field 0 (NodeEndpoints, v16+) stays in tagged_fields.
  std::vector<TaggedField> tagged_fields;

  template <typename Io>
  void io(Io& io) {
    if (io.version() >= 1) io.int32(throttle_time_ms);
    if (io.version() >= 7) io.int16(error_code);
    if (io.version() >= 7) io.int32(session_id);
    io.array(responses);
  }
};

}  // namespace runnel::protocol
