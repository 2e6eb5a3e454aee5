#include "broker/log_compactor.h"

#include <algorithm>
#include <array>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "protocol/record_batch.h"
#include "storage/cleaned_segment.h"

namespace runnel::broker {

using storage::BatchHeader;
using storage::SegmentInfo;

namespace {

constexpr size_t kReadChunk = 1 << 20;
constexpr size_t kWriteChunk = 1 << 20;
// What an offset map entry costs beyond its key bytes (node, hash slot, string header).
constexpr uint64_t kMapEntryOverhead = 64;

struct KeyHash {
  using is_transparent = void;
  size_t operator()(std::string_view key) const { return std::hash<std::string_view>()(key); }
};

// key -> offset of its latest record in the dirty part of the log.
using OffsetMap = std::unordered_map<std::string, int64_t, KeyHash, std::equal_to<>>;

std::string_view asKey(ByteSpan bytes) { return {reinterpret_cast<const char*>(bytes.data()), bytes.size()}; }

// Calls fn for every whole batch of one segment, from the log start on (batches wholly below
// it are gone for readers and are dropped).
Status forEachSegmentBatch(storage::PartitionLog& log, const SegmentInfo& segment, Bytes& buffer, uint64_t& bytes_read,
                           const std::function<Status(const BatchHeader&, ByteSpan)>& fn) {
  int64_t offset = std::max(segment.base_offset, log.logStartOffset());
  while (offset < segment.next_offset) {
    buffer.clear();
    RUNNEL_RETURN_IF_ERROR(log.read(offset, kReadChunk, buffer, segment.next_offset));
    if (buffer.empty()) break;
    bytes_read += buffer.size();
    RUNNEL_RETURN_IF_ERROR(protocol::forEachBatch(buffer, [&](const BatchHeader& header, ByteSpan batch) {
      offset = header.nextOffset();
      return fn(header, batch);
    }));
  }
  return Status::ok();
}

// The state of one cleaning pass.
class Compactor {
 public:
  Compactor(storage::PartitionLog& log, const CleanableRange& range, const CompactionConfig& config, int64_t now_ms)
      : log_(log), range_(range), config_(config), now_ms_(now_ms) {}

  Result<CompactionResult> run();

 private:
  // Fills the offset map from the dirty segments, stopping at a segment boundary when the map
  // is full; notes every producer's last batch. Returns the end of the mapped range.
  Result<int64_t> buildOffsetMap(const std::vector<SegmentInfo>& segments);
  // Rewrites one group of adjacent segments into one. False if the log changed under it.
  Result<bool> cleanGroup(std::span<const SegmentInfo> group);
  bool retain(const protocol::RecordView& record, bool retain_tombstones) const;
  // Appends the retained part of one batch to out_.
  Status filterBatch(const BatchHeader& header, ByteSpan batch, bool retain_tombstones, bool* kept_tombstone);
  Status flushOut(storage::CleanedSegment& cleaned);

  storage::PartitionLog& log_;
  const CleanableRange range_;
  const CompactionConfig config_;
  const int64_t now_ms_;
  OffsetMap map_;
  std::unordered_map<int64_t, int64_t> last_batch_of_producer_;
  protocol::RecordReader reader_;
  std::array<std::optional<protocol::RecordBatchBuilder>, 8> builders_;  // by codec
  Bytes in_;
  Bytes out_;
  std::vector<bool> keep_;
  CompactionResult result_;
};

Result<int64_t> Compactor::buildOffsetMap(const std::vector<SegmentInfo>& segments) {
  uint64_t map_bytes = 0;
  int64_t end = range_.first_dirty;
  // The active segment is last and never below first_uncleanable, so i + 1 exists.
  for (size_t i = 0; i + 1 < segments.size() && segments[i].base_offset < range_.first_uncleanable; ++i) {
    const SegmentInfo& segment = segments[i];
    bool dirty = segment.base_offset >= range_.first_dirty;
    // Kafka cleans up to where the map got full and leaves the rest for the next pass.
    if (dirty && end > range_.first_dirty && map_bytes > config_.offset_map_bytes) break;
    RUNNEL_RETURN_IF_ERROR(forEachSegmentBatch(log_, segment, in_, result_.bytes_read,
                                               [&](const BatchHeader& header, ByteSpan batch) -> Status {
      if (header.producer_id >= 0) last_batch_of_producer_[header.producer_id] = header.lastOffset();
      if (!dirty || (header.attributes & storage::kControlFlag)) return Status::ok();
      return reader_.forEachRecord(batch, [&](const BatchHeader&, const protocol::RecordView& record) {
        if (!record.key) return Status::ok();
        auto it = map_.find(asKey(*record.key));
        if (it != map_.end()) {
          it->second = record.offset;
        } else {
          map_.emplace(std::string(asKey(*record.key)), record.offset);
          map_bytes += record.key->size() + kMapEntryOverhead;
        }
        return Status::ok();
      });
    }));
    if (dirty) end = segments[i + 1].base_offset;
  }
  return end;
}

bool Compactor::retain(const protocol::RecordView& record, bool retain_tombstones) const {
  // A record without a key cannot be compacted; Kafka's cleaner drops it.
  if (!record.key) return false;
  auto it = map_.find(asKey(*record.key));
  if (it != map_.end() && it->second > record.offset) return false;
  return record.value.has_value() || retain_tombstones;
}

Status Compactor::filterBatch(const BatchHeader& header, ByteSpan batch, bool retain_tombstones,
                              bool* kept_tombstone) {
  if (header.attributes & storage::kControlFlag) {
    out_.insert(out_.end(), batch.begin(), batch.end());
    return Status::ok();
  }
  int32_t kept = 0;
  keep_.clear();
  RUNNEL_RETURN_IF_ERROR(reader_.forEachRecord(batch, [&](const BatchHeader&, const protocol::RecordView& record) {
    bool keep = retain(record, retain_tombstones);
    keep_.push_back(keep);
    kept += keep;
    if (keep && !record.value) *kept_tombstone = true;
    return Status::ok();
  }));
  result_.records_removed += header.record_count - kept;
  if (kept == header.record_count) {
    out_.insert(out_.end(), batch.begin(), batch.end());
    return Status::ok();
  }
  // An emptied batch goes, unless it is its producer's last: its sequence number is what
  // the producer's deduplication state is rebuilt from, so Kafka keeps it, empty.
  bool producer_last = header.producer_id >= 0 && last_batch_of_producer_[header.producer_id] == header.lastOffset();
  if (kept == 0 && !producer_last) return Status::ok();
  auto& builder = builders_[size_t(header.compression())];
  if (!builder) builder.emplace(protocol::Compression(header.compression()));
  builder->reset(header.base_offset);
  builder->setProducerId(header.producer_id);
  builder->setProducerEpoch(header.producer_epoch);
  builder->setBaseSequence(header.base_sequence);
  builder->setTransactional(header.attributes & storage::kTransactionalFlag);
  builder->setPartitionLeaderEpoch(header.partition_leader_epoch);
  if (header.attributes & storage::kTimestampTypeLogAppend) builder->setLogAppendTime(header.max_timestamp);
  size_t i = 0;
  RUNNEL_RETURN_IF_ERROR(reader_.forEachRecord(batch, [&](const BatchHeader&, const protocol::RecordView& record) {
    if (keep_[i++]) builder->addWithOffset(record.offset, record.timestamp, record.key, record.value, record.headers);
    return Status::ok();
  }));
  builder->setLastOffset(header.lastOffset());
  return builder->appendTo(out_);
}

Status Compactor::flushOut(storage::CleanedSegment& cleaned) {
  if (out_.empty()) return Status::ok();
  result_.bytes_written += out_.size();
  Status status = cleaned.append(out_);
  out_.clear();
  return status;
}

Result<bool> Compactor::cleanGroup(std::span<const SegmentInfo> group) {
  RUNNEL_ASSIGN_OR_RETURN(auto cleaned, log_.startCleanedSegment(group.front().base_offset));
  bool any_dirty = false;
  bool kept_tombstone = false;
  int64_t last_modified = 0;
  std::vector<int64_t> bases;
  out_.clear();
  for (const SegmentInfo& segment : group) {
    bases.push_back(segment.base_offset);
    bool dirty = segment.base_offset >= range_.first_dirty;
    any_dirty |= dirty;
    last_modified = std::max(last_modified, segment.last_modified_ms);
    // A cleaned segment's mtime is when its newest content was first cleaned (see below),
    // so its tombstones have lived delete.retention.ms since then once this is false.
    bool retain_tombstones = dirty || segment.last_modified_ms > now_ms_ - config_.delete_retention_ms;
    Status read = forEachSegmentBatch(log_, segment, in_, result_.bytes_read, [&](const BatchHeader& h, ByteSpan b) {
      RUNNEL_RETURN_IF_ERROR(filterBatch(h, b, retain_tombstones, &kept_tombstone));
      return out_.size() >= kWriteChunk ? flushOut(*cleaned) : Status::ok();
    });
    if (read.code() == Status::Code::kOutOfRange) return false;  // retention got there first
    RUNNEL_RETURN_IF_ERROR(read);
  }
  RUNNEL_RETURN_IF_ERROR(flushOut(*cleaned));
  if (any_dirty) last_modified = now_ms_;
  Status swapped = log_.replaceSegments(std::move(cleaned), bases, last_modified);
  if (swapped.code() == Status::Code::kNotFound) return false;
  RUNNEL_RETURN_IF_ERROR(swapped);
  if (kept_tombstone) {
    result_.tombstone_expiry_ms = std::min(result_.tombstone_expiry_ms, last_modified + config_.delete_retention_ms);
  }
  return true;
}

Result<CompactionResult> Compactor::run() {
  std::vector<SegmentInfo> segments = log_.segmentInfos();
  RUNNEL_ASSIGN_OR_RETURN(int64_t end, buildOffsetMap(segments));
  size_t count = 0;
  while (count + 1 < segments.size() && segments[count].base_offset < end) ++count;
  uint64_t max_group_bytes = uint64_t(std::max<int64_t>(config_.segment_bytes, 1));
  for (size_t i = 0; i < count;) {
    // Merge neighbours while their original sizes fit in one segment, as Kafka groups them.
    size_t j = i + 1;
    uint64_t bytes = segments[i].size;
    while (j < count && bytes + segments[j].size <= max_group_bytes &&
           segments[j].next_offset - 1 - segments[i].base_offset <= INT32_MAX) {
      bytes += segments[j++].size;
    }
    RUNNEL_ASSIGN_OR_RETURN(bool done, cleanGroup(std::span(segments).subspan(i, j - i)));
    if (!done) {
      result_.cleaned_up_to = range_.first_dirty;  // the log changed; the next pass redoes it
      return result_;
    }
    i = j;
  }
  result_.cleaned_up_to = end;
  return result_;
}

}  // namespace

CleanableRange cleanableRange(const std::vector<SegmentInfo>& segments, int64_t first_dirty,
                              const CompactionConfig& config, int64_t now_ms) {
  CleanableRange range;
  if (segments.empty()) return range;
  // From the start of the segment holding first_dirty: cleaning works in whole segments.
  range.first_dirty = segments.front().base_offset;
  for (const SegmentInfo& s : segments) {
    if (s.base_offset <= first_dirty) range.first_dirty = s.base_offset;
  }
  range.first_uncleanable = segments.back().base_offset;
  for (size_t i = 0; i + 1 < segments.size(); ++i) {
    const SegmentInfo& s = segments[i];
    if (s.base_offset < range.first_dirty) {
      range.clean_bytes += s.size;
      continue;
    }
    if (config.min_compaction_lag_ms > 0 && s.max_timestamp > now_ms - config.min_compaction_lag_ms) {
      range.first_uncleanable = s.base_offset;
      break;
    }
    range.dirty_bytes += s.size;
  }
  // A checkpoint past the cleanable end (e.g. the dirty part shrank) means nothing is dirty.
  range.first_dirty = std::min(range.first_dirty, range.first_uncleanable);
  return range;
}

Result<CompactionResult> compactLog(storage::PartitionLog& log, const CleanableRange& range,
                                    const CompactionConfig& config, int64_t now_ms) {
  Compactor compactor(log, range, config, now_ms);
  return compactor.run();
}

}  // namespace runnel::broker
