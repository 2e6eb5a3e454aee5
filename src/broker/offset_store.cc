#include "broker/offset_store.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "broker/topic_manager.h"
#include "protocol/record_batch.h"

namespace runnel::broker {
namespace {

// Record formats of __consumer_offsets, as Kafka writes them.
constexpr int16_t kOffsetKeyVersion = 1;
constexpr int16_t kOffsetValueVersion = 3;
constexpr int16_t kGroupKeyVersion = 2;

void writeString(ByteWriter& w, const std::string& s) {
  w.be16(uint16_t(s.size()));
  w.raw(s);
}

std::string readString(ByteReader& r) {
  int16_t n = int16_t(r.be16());
  if (n < 0) return {};
  return std::string(asStringView(r.bytes(size_t(n))));
}

Bytes offsetKey(const std::string& group, const std::string& topic, int32_t partition) {
  Bytes key;
  ByteWriter w(key);
  w.be16(uint16_t(kOffsetKeyVersion));
  writeString(w, group);
  writeString(w, topic);
  w.be32(uint32_t(partition));
  return key;
}

Bytes groupKey(const std::string& group) {
  Bytes key;
  ByteWriter w(key);
  w.be16(uint16_t(kGroupKeyVersion));
  writeString(w, group);
  return key;
}

Bytes offsetValue(const CommittedOffset& c) {
  Bytes value;
  ByteWriter w(value);
  w.be16(uint16_t(kOffsetValueVersion));
  w.be64(uint64_t(c.offset));
  w.be32(uint32_t(c.leader_epoch));
  writeString(w, c.metadata);
  w.be64(uint64_t(c.commit_timestamp));
  return value;
}

std::optional<CommittedOffset> parseOffsetValue(ByteSpan bytes) {
  ByteReader r(bytes);
  int16_t version = int16_t(r.be16());
  CommittedOffset c;
  c.offset = int64_t(r.be64());
  if (version >= 3) c.leader_epoch = int32_t(r.be32());
  c.metadata = readString(r);
  c.commit_timestamp = int64_t(r.be64());
  if (version == 1) r.be64();  // expire timestamp, no longer used
  if (!r.ok() || version < 0 || version > 3) return std::nullopt;
  return c;
}

}  // namespace

int32_t javaStringHash(const std::string& utf8) {
  uint32_t h = 0;
  auto mix = [&h](uint32_t unit) { h = 31 * h + unit; };
  for (size_t i = 0; i < utf8.size();) {
    auto b = uint8_t(utf8[i]);
    uint32_t cp;
    size_t len;
    if (b < 0x80) { cp = b; len = 1; }
    else if ((b >> 5) == 0x6) { cp = b & 0x1f; len = 2; }
    else if ((b >> 4) == 0xe) { cp = b & 0x0f; len = 3; }
    else { cp = b & 0x07; len = 4; }
    for (size_t k = 1; k < len && i + k < utf8.size(); ++k) cp = (cp << 6) | (uint8_t(utf8[i + k]) & 0x3f);
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      mix(0xd800 + (cp >> 10));
      mix(0xdc00 + (cp & 0x3ff));
    } else {
      mix(cp);
    }
  }
  return int32_t(h);
}

Result<std::unique_ptr<OffsetStore>> OffsetStore::open(TopicManager& topics) {
  std::unique_ptr<OffsetStore> store(new OffsetStore(topics));
  auto topic = topics.find(kTopic);
  if (!topic) {
    RUNNEL_ASSIGN_OR_RETURN(TopicConfig config,
                            TopicConfig::make({{"cleanup.policy", "compact"}, {"segment.bytes", "104857600"}}));
    RUNNEL_ASSIGN_OR_RETURN(topic, topics.create(kTopic, topics.brokerConfig().offsets_topic_num_partitions,
                                                 std::move(config), /*internal=*/true));
  }
  store->partition_count_ = int32_t(topic->partitions.size());
  RUNNEL_RETURN_IF_ERROR(store->replay());
  return store;
}

int32_t OffsetStore::partitionFor(const std::string& group) const {
  return int32_t((uint32_t(javaStringHash(group)) & 0x7fffffff) % uint32_t(partition_count_));
}

void OffsetStore::apply(const std::string& group, const std::string& topic, int32_t partition,
                        std::optional<CommittedOffset> committed) {
  auto key = std::make_pair(topic, partition);
  if (committed) {
    groups_[group][key] = std::move(*committed);
  } else if (auto it = groups_.find(group); it != groups_.end()) {
    it->second.erase(key);
  }
}

Status OffsetStore::replay() {
  auto topic = topics_.find(kTopic);
  protocol::RecordReader reader;
  size_t commits = 0;
  Bytes chunk;
  for (const auto& partition : topic->partitions) {
    int64_t offset = partition->log->logStartOffset();
    int64_t end = partition->log->logEndOffset();
    while (offset < end) {
      chunk.clear();
      RUNNEL_RETURN_IF_ERROR(partition->log->read(offset, 1 << 20, chunk));
      if (chunk.empty()) break;
      int64_t next = offset;
      Status s = reader.forEachRecord(chunk, [&](const storage::BatchHeader& header,
                                                 const protocol::RecordView& record) -> Status {
        next = header.nextOffset();
        if (record.offset < offset || !record.key) return Status::ok();
        ByteReader key(*record.key);
        int16_t version = int16_t(key.be16());
        std::string group = readString(key);
        if (version == kGroupKeyVersion) {
          if (!key.ok()) return Status::ok();
          if (record.value) loaded_groups_[group] = Bytes(record.value->begin(), record.value->end());
          else loaded_groups_.erase(group);
          return Status::ok();
        }
        if (version > 1) return Status::ok();
        std::string topic_name = readString(key);
        int32_t partition_index = int32_t(key.be32());
        if (!key.ok()) return Status::ok();
        std::optional<CommittedOffset> committed;
        if (record.value) {
          committed = parseOffsetValue(*record.value);
          if (!committed) return Status::ok();
        }
        apply(group, topic_name, partition_index, std::move(committed));
        ++commits;
        return Status::ok();
      });
      if (!s.isOk()) return Status::corruption(std::string(kTopic) + ": " + s.message());
      if (next <= offset) break;
      offset = next;
    }
  }
  spdlog::info("loaded {} committed offsets for {} groups, metadata of {} groups", commits, groups_.size(),
               loaded_groups_.size());
  return Status::ok();
}

Status OffsetStore::append(const std::string& group,
                           const std::vector<std::pair<Bytes, std::optional<Bytes>>>& records, int64_t now_ms) {
  auto partition = topics_.partition(kTopic, partitionFor(group));
  if (!partition) return Status::internal(std::string(kTopic) + " is missing");
  protocol::RecordBatchBuilder builder;
  for (const auto& [key, value] : records) {
    builder.add(now_ms, ByteSpan(key), value ? std::optional<ByteSpan>(ByteSpan(*value)) : std::nullopt);
  }
  Bytes batch = builder.build();
  auto appended = partition->log->append(std::span<uint8_t>(batch), now_ms);
  return appended ? Status::ok() : appended.status();
}

Status OffsetStore::commit(const std::string& group, std::span<const OffsetCommitEntry> entries, int64_t now_ms) {
  if (entries.empty()) return Status::ok();
  std::vector<std::pair<Bytes, std::optional<Bytes>>> records;
  for (const auto& entry : entries) {
    records.emplace_back(offsetKey(group, entry.topic, entry.partition), offsetValue(entry.committed));
  }
  // Held across the append so that the log and the map agree on the last commit.
  std::lock_guard lock(mu_);
  RUNNEL_RETURN_IF_ERROR(append(group, records, now_ms));
  for (const auto& entry : entries) apply(group, entry.topic, entry.partition, entry.committed);
  return Status::ok();
}

Status OffsetStore::deleteOffsets(const std::string& group,
                                  std::span<const std::pair<std::string, int32_t>> partitions, int64_t now_ms) {
  if (partitions.empty()) return Status::ok();
  std::vector<std::pair<Bytes, std::optional<Bytes>>> records;
  for (const auto& [topic, partition] : partitions) {
    records.emplace_back(offsetKey(group, topic, partition), std::nullopt);
  }
  std::lock_guard lock(mu_);
  RUNNEL_RETURN_IF_ERROR(append(group, records, now_ms));
  for (const auto& [topic, partition] : partitions) apply(group, topic, partition, std::nullopt);
  if (auto it = groups_.find(group); it != groups_.end() && it->second.empty()) groups_.erase(it);
  return Status::ok();
}

Status OffsetStore::storeGroup(const std::string& group, std::optional<ByteSpan> value, int64_t now_ms) {
  std::vector<std::pair<Bytes, std::optional<Bytes>>> records;
  records.emplace_back(groupKey(group), value ? std::optional<Bytes>(Bytes(value->begin(), value->end()))
                                              : std::nullopt);
  std::lock_guard lock(mu_);
  return append(group, records, now_ms);
}

Status OffsetStore::deleteGroup(const std::string& group, int64_t now_ms) {
  std::vector<std::pair<Bytes, std::optional<Bytes>>> records;
  std::lock_guard lock(mu_);
  if (auto it = groups_.find(group); it != groups_.end()) {
    for (const auto& [key, committed] : it->second) {
      records.emplace_back(offsetKey(group, key.first, key.second), std::nullopt);
    }
  }
  records.emplace_back(groupKey(group), std::nullopt);
  RUNNEL_RETURN_IF_ERROR(append(group, records, now_ms));
  groups_.erase(group);
  return Status::ok();
}

std::map<std::string, Bytes> OffsetStore::takeLoadedGroups() {
  std::lock_guard lock(mu_);
  return std::exchange(loaded_groups_, {});
}

std::vector<std::string> OffsetStore::groupsWithOffsets() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [group, offsets] : groups_) {
    if (!offsets.empty()) out.push_back(group);
  }
  return out;
}

std::optional<CommittedOffset> OffsetStore::fetch(const std::string& group, const std::string& topic,
                                                  int32_t partition) const {
  std::lock_guard lock(mu_);
  auto g = groups_.find(group);
  if (g == groups_.end()) return std::nullopt;
  auto it = g->second.find({topic, partition});
  if (it == g->second.end()) return std::nullopt;
  return it->second;
}

std::vector<OffsetCommitEntry> OffsetStore::fetchAll(const std::string& group) const {
  std::lock_guard lock(mu_);
  std::vector<OffsetCommitEntry> out;
  auto g = groups_.find(group);
  if (g == groups_.end()) return out;
  for (const auto& [key, committed] : g->second) out.push_back({key.first, key.second, committed});
  return out;
}

}  // namespace runnel::broker
