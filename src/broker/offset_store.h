#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"

namespace runnel::broker {

class TopicManager;

struct CommittedOffset {
  int64_t offset = -1;
  int32_t leader_epoch = -1;
  std::string metadata;
  int64_t commit_timestamp = -1;
};

struct OffsetCommitEntry {
  std::string topic;
  int32_t partition = 0;
  CommittedOffset committed;
};

// Consumer groups' committed offsets and group metadata. Durable in the internal compacted
// topic __consumer_offsets, in Kafka's own key/value record format, so the broker reloads
// them on start by replaying that topic. Lookups are served from memory. Group metadata
// values are opaque here: the group coordinator encodes them.
class OffsetStore {
 public:
  static constexpr const char* kTopic = "__consumer_offsets";

  // Creates the internal topic if needed and replays it.
  static Result<std::unique_ptr<OffsetStore>> open(TopicManager& topics);

  // Kafka's placement: abs(groupId.hashCode) % offsets.topic.num.partitions, with
  // Java's String.hashCode.
  int32_t partitionFor(const std::string& group) const;

  // Writes all entries of one OffsetCommit request as one batch, then makes them visible.
  Status commit(const std::string& group, std::span<const OffsetCommitEntry> entries, int64_t now_ms);
  std::optional<CommittedOffset> fetch(const std::string& group, const std::string& topic, int32_t partition) const;
  std::vector<OffsetCommitEntry> fetchAll(const std::string& group) const;
  std::vector<std::string> groupsWithOffsets() const;

  // Tombstones for the given partitions' offsets.
  Status deleteOffsets(const std::string& group, std::span<const std::pair<std::string, int32_t>> partitions,
                       int64_t now_ms);
  // Writes a group's metadata record (GroupMetadataKey v2), or its tombstone for nullopt.
  Status storeGroup(const std::string& group, std::optional<ByteSpan> value, int64_t now_ms);
  // Tombstones for the group's metadata and all its offsets.
  Status deleteGroup(const std::string& group, int64_t now_ms);
  // The group metadata values found by the replay on open; hands them over once.
  std::map<std::string, Bytes> takeLoadedGroups();

 private:
  explicit OffsetStore(TopicManager& topics) : topics_(topics) {}
  Status replay();
  // Appends one batch of (key, value-or-tombstone) records to the group's partition.
  Status append(const std::string& group, const std::vector<std::pair<Bytes, std::optional<Bytes>>>& records,
                int64_t now_ms);
  void apply(const std::string& group, const std::string& topic, int32_t partition,
             std::optional<CommittedOffset> committed);

  using PartitionOffsets = std::map<std::pair<std::string, int32_t>, CommittedOffset>;

  TopicManager& topics_;
  int32_t partition_count_ = 1;
  mutable std::mutex mu_;
  std::unordered_map<std::string, PartitionOffsets> groups_;
  std::map<std::string, Bytes> loaded_groups_;
};

// Java's String.hashCode over the UTF-16 code units of a UTF-8 string.
int32_t javaStringHash(const std::string& utf8);

}  // namespace runnel::broker
