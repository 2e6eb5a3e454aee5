#include "storage/partition_log.h"

#include <algorithm>
#include <string>

#include "storage/batch_header.h"
#include "storage/segment.h"

namespace runnel::storage {

PartitionLog::PartitionLog(std::filesystem::path dir, const LogConfig& config)
    : dir_(std::move(dir)), config_(config) {}

PartitionLog::~PartitionLog() {
  if (deleted_.load()) return;
  // A snapshot at the end lets the next open skip reading the log for producer state.
  if (flush().isOk()) (void)snapshotProducers(logEndOffset());
}

namespace {

// Checks every batch of a produce request before anything is written. Header fields only:
// no per-record work.
Status validateBatches(std::span<uint8_t> data, std::vector<AppendedBatch>& batches, int64_t& records) {
  using namespace batch_layout;
  if (data.empty()) return Status::invalidArgument("append of no batches");
  size_t at = 0;
  while (at < data.size()) {
    ByteSpan rest(data.data() + at, data.size() - at);
    RUNNEL_ASSIGN_OR_RETURN(BatchHeader h, parseBatchHeader(rest));
    std::string where = "batch at byte " + std::to_string(at);
    if (h.totalSize() > rest.size()) return Status::corruption(where + " is truncated");
    if (!batchCrcMatches(rest.first(h.totalSize()))) return Status::corruption(where + " has a bad CRC");
    if (h.record_count == 0 || h.record_count != h.last_offset_delta + 1) {
      return Status::invalidArgument(where + ": record count " + std::to_string(h.record_count) +
                                     " does not match last offset delta " +
                                     std::to_string(h.last_offset_delta));
    }
    batches.push_back({0, h.last_offset_delta, h.max_timestamp, uint32_t(h.totalSize())});
    records += h.record_count;
    at += h.totalSize();
  }
  return Status::ok();
}

// The batch at `p` as the producer state sees it, once its offsets are assigned.
ProducerBatch producerBatch(const uint8_t* p, const AppendedBatch& batch) {
  using namespace batch_layout;
  int32_t base_sequence = int32_t(loadBe32(p + kBaseSequence));
  return ProducerBatch{int64_t(loadBe64(p + kProducerId)),
                       int16_t(loadBe16(p + kProducerEpoch)),
                       base_sequence,
                       lastSequence(base_sequence, int32_t(batch.last_offset - batch.base_offset)),
                       batch.base_offset,
                       batch.last_offset,
                       batch.max_timestamp};
}

bool hasProducerId(const uint8_t* p) {
  return int64_t(loadBe64(p + batch_layout::kProducerId)) != kNoProducerId &&
         !(loadBe16(p + batch_layout::kAttributes) & kControlFlag);
}

}  // namespace

Result<AppendResult> PartitionLog::append(std::span<uint8_t> data, int64_t now_ms) {
  std::vector<AppendedBatch> batches;
  int64_t records = 0;
  RUNNEL_RETURN_IF_ERROR(validateBatches(data, batches, records));
  if (data.size() > size_t(INT32_MAX)) return Status::invalidArgument("append larger than 2 GiB");

  AppendResult result;
  bool flush_due;
  {
    std::lock_guard lock(append_mutex_);
    if (deleted_) return Status::notFound(dir_.string() + " was deleted");
    int64_t next = log_end_offset_.load(std::memory_order_relaxed);
    result.base_offset = next;
    std::vector<ProducerBatch> producer_batches;
    size_t at = 0;
    for (AppendedBatch& batch : batches) {
      uint8_t* p = data.data() + at;
      int64_t delta = batch.last_offset;
      storeBe64(p + batch_layout::kBaseOffset, uint64_t(next));  // outside the CRC
      if (config_.log_append_time) {
        storeBe16(p + batch_layout::kAttributes,
                  loadBe16(p + batch_layout::kAttributes) | kTimestampTypeLogAppend);
        storeBe64(p + batch_layout::kMaxTimestamp, uint64_t(now_ms));
        updateBatchCrc(p, batch.size);
        batch.max_timestamp = now_ms;
      }
      batch.base_offset = next;
      batch.last_offset = next + delta;
      next = batch.last_offset + 1;
      at += batch.size;
      if (hasProducerId(p)) producer_batches.push_back(producerBatch(p, batch));
    }
    ProducerStateManager::Pending pending;
    if (!producer_batches.empty()) {
      if (auto answer = checkProducers(producer_batches, pending)) return *answer;
    }
    std::shared_ptr<Segment> active = segments_.back();
    if (shouldRoll(*active, data.size(), batches.back().last_offset, now_ms)) {
      producers_.removeExpired(now_ms, config_.producer_id_expiration_ms);
      RUNNEL_RETURN_IF_ERROR(roll());
      active = segments_.back();
    }
    RUNNEL_RETURN_IF_ERROR(active->append(data, batches, now_ms));
    producers_.commit(std::move(pending));
    log_end_offset_.store(next, std::memory_order_release);
    unflushed_records_ += records;
    if (first_unflushed_ms_ < 0) first_unflushed_ms_ = now_ms;
    flush_due = flushDue(now_ms);
    result.last_offset = next - 1;
    result.log_append_time = config_.log_append_time ? now_ms : -1;
    result.log_start_offset = logStartOffset();
    result.record_count = int32_t(std::min<int64_t>(records, INT32_MAX));
  }
  // The fsync runs outside append_mutex_ so other appends and all reads go on meanwhile.
  if (flush_due) RUNNEL_RETURN_IF_ERROR(flush());
  return result;
}

std::optional<AppendResult> PartitionLog::checkProducers(std::span<const ProducerBatch> batches,
                                                         ProducerStateManager::Pending& pending) const {
  ProducerCheck check = producers_.check(batches, pending);
  if (!check.duplicate && check.error == ProducerError::kNone) return std::nullopt;
  AppendResult result{-1, -1, -1, logStartOffset(), 0};
  if (check.duplicate) {
    const BatchMetadata& original = *check.duplicate;
    result.base_offset = original.first_offset;
    result.last_offset = original.last_offset;
    result.log_append_time = config_.log_append_time ? original.timestamp : -1;
    result.record_count = int32_t(original.last_offset - original.first_offset + 1);
    result.duplicate = true;
  } else {
    result.producer_error = check.error;
    result.error_message = std::move(check.message);
  }
  return result;
}

bool PartitionLog::flushDue(int64_t now_ms) const {
  return unflushed_records_ >= config_.flush_messages ||
         (first_unflushed_ms_ >= 0 && now_ms - first_unflushed_ms_ >= config_.flush_ms);
}

bool PartitionLog::shouldRoll(const Segment& active, size_t append_bytes, int64_t last_offset,
                              int64_t now_ms) const {
  if (active.size() == 0) return false;
  uint64_t after = active.size() + append_bytes;
  return after > uint64_t(std::max<int64_t>(config_.segment_bytes, 1)) || after > uint64_t(INT32_MAX) ||
         (active.rollBaseMs() >= 0 && now_ms - active.rollBaseMs() > config_.segment_ms) ||
         active.indexFull() || last_offset - active.baseOffset() > INT32_MAX;
}

Status PartitionLog::roll() {
  std::shared_ptr<Segment> old = segments_.back();
  RUNNEL_RETURN_IF_ERROR(old->seal());
  SegmentOptions options{config_.index_interval_bytes, config_.segment_index_bytes};
  RUNNEL_ASSIGN_OR_RETURN(std::shared_ptr<Segment> fresh,
                          Segment::create(dir_, log_end_offset_.load(std::memory_order_relaxed), options));
  RUNNEL_RETURN_IF_ERROR(syncDirectory(dir_));
  {
    std::lock_guard lock(segments_mutex_);
    segments_.push_back(std::move(fresh));
  }
  // As Kafka does at every roll, so that open reads at most the active segment's batches
  // to rebuild the producer state.
  return snapshotProducers(log_end_offset_.load(std::memory_order_relaxed));
}

Status PartitionLog::read(int64_t offset, size_t max_bytes, Bytes& out, int64_t max_offset) const {
  int64_t end = logEndOffset();
  if (offset < logStartOffset() || offset > end) {
    return Status::outOfRange("offset " + std::to_string(offset) + " is outside [" +
                              std::to_string(logStartOffset()) + ", " + std::to_string(end) + "]");
  }
  if (offset == end || offset >= max_offset) return Status::ok();
  std::shared_ptr<Segment> segment = segmentFor(offset);
  // Retention may have removed the segment between the check above and the lookup.
  if (offset < logStartOffset()) return Status::outOfRange("offset " + std::to_string(offset) + " was deleted");
  while (segment) {
    bool found = false;
    RUNNEL_RETURN_IF_ERROR(segment->read(offset, max_bytes, max_offset, out, &found));
    if (found) return Status::ok();
    segment = segmentAfter(*segment);  // only past a gap left by recovery truncation
  }
  return Status::ok();
}

Result<std::optional<TimestampOffset>> PartitionLog::offsetForTimestamp(int64_t timestamp) const {
  int64_t start = logStartOffset();
  for (std::shared_ptr<Segment> segment = segmentFor(start); segment; segment = segmentAfter(*segment)) {
    if (segment->maxTimestamp() < timestamp) continue;
    RUNNEL_ASSIGN_OR_RETURN(std::optional<TimestampOffset> found, segment->findByTimestamp(timestamp, start));
    if (found) return found;
  }
  return std::optional<TimestampOffset>();
}

int64_t PartitionLog::maxTimestamp() const {
  std::lock_guard lock(segments_mutex_);
  int64_t max = -1;
  for (const auto& segment : segments_) max = std::max(max, segment->maxTimestamp());
  return max;
}

std::shared_ptr<Segment> PartitionLog::segmentFor(int64_t offset) const {
  std::lock_guard lock(segments_mutex_);
  if (segments_.empty()) return nullptr;
  auto it = std::upper_bound(segments_.begin(), segments_.end(), offset,
                             [](int64_t o, const std::shared_ptr<Segment>& s) { return o < s->baseOffset(); });
  return it == segments_.begin() ? *it : *std::prev(it);
}

std::shared_ptr<Segment> PartitionLog::segmentAfter(const Segment& segment) const {
  std::lock_guard lock(segments_mutex_);
  auto it = std::upper_bound(segments_.begin(), segments_.end(), segment.baseOffset(),
                             [](int64_t o, const std::shared_ptr<Segment>& s) { return o < s->baseOffset(); });
  return it == segments_.end() ? nullptr : *it;
}

std::shared_ptr<Segment> PartitionLog::activeSegment() const {
  std::lock_guard lock(segments_mutex_);
  return segments_.empty() ? nullptr : segments_.back();
}

uint64_t PartitionLog::sizeBytes() const {
  std::lock_guard lock(segments_mutex_);
  uint64_t total = 0;
  for (const auto& segment : segments_) total += segment->size();
  return total;
}

size_t PartitionLog::segmentCount() const {
  std::lock_guard lock(segments_mutex_);
  return segments_.size();
}

void PartitionLog::updateConfig(const LogConfig& config) {
  std::lock_guard lock(append_mutex_);
  config_ = config;
}

Status PartitionLog::flush() {
  std::lock_guard flush_lock(flush_mutex_);
  std::shared_ptr<Segment> active;
  {
    std::lock_guard lock(append_mutex_);
    if (deleted_) return Status::ok();
    unflushed_records_ = 0;
    first_unflushed_ms_ = -1;
    active = segments_.empty() ? nullptr : segments_.back();
  }
  // Older segments were fsynced when they were sealed by a roll.
  return active ? active->flush() : Status::ok();
}

Status PartitionLog::maybeFlush(int64_t now_ms) {
  {
    std::lock_guard lock(append_mutex_);
    if (!flushDue(now_ms)) return Status::ok();
  }
  return flush();
}

}  // namespace runnel::storage
