#pragma once

// The durable log of one partition, after Kafka's design: a directory of segments named by
// base offset, each a .log of record batches (magic v2) exactly as they travel on the wire
// plus a sparse offset index and a time index. docs/storage-format.md describes the files,
// the recovery rules and the flush policy.
//
// Thread safety: every method may be called from any thread. Appends, rolls, retention and
// deletions are serialized by one mutex; reads take only a short lock on the segment list
// and never wait for an append's write or for an fsync.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "storage/log_types.h"
#include "storage/producer_state.h"

namespace runnel::storage {

class CleanedSegment;
class Segment;

class PartitionLog {
 public:
  // Opens (creating if needed) the log in `dir` (e.g. <log.dir>/users-0) and recovers it.
  // Damaged data is repaired and described in `report`; only I/O failures are errors.
  static Result<std::unique_ptr<PartitionLog>> open(const std::filesystem::path& dir, const LogConfig& config,
                                                    RecoveryReport* report = nullptr);
  ~PartitionLog();  // flushes and fsyncs
  PartitionLog(const PartitionLog&) = delete;
  PartitionLog& operator=(const PartitionLog&) = delete;

  // Appends whole v2 batches as received from a producer (one or more, back to back).
  // Validates each batch (header, length, CRC, record count); assigns offsets by rewriting
  // each base offset in place; with log_append_time sets the timestamp-type bit and max
  // timestamp to now_ms and fixes the CRC. Rejects the whole append (InvalidArgument or
  // Corruption) on any invalid batch. Returns once the bytes are in the page cache.
  // Batches carrying a producer id go through the idempotence checks under the same lock:
  // a repeated batch is answered with its original offsets (duplicate) and a sequence or
  // epoch violation is refused (producer_error); neither writes anything.
  Result<AppendResult> append(std::span<uint8_t> batches, int64_t now_ms);

  // Copies whole batches starting with the one that contains `offset` into `out`
  // (appending), up to max_bytes but always at least one whole batch if any exists at or
  // after offset. OutOfRange if offset < logStartOffset() or offset > logEndOffset();
  // offset == logEndOffset() reads nothing. Batches reaching `max_offset` (exclusive) are
  // not returned. Reads from one segment per call.
  Status read(int64_t offset, size_t max_bytes, Bytes& out, int64_t max_offset = INT64_MAX) const;

  int64_t logStartOffset() const { return log_start_offset_.load(std::memory_order_acquire); }
  int64_t logEndOffset() const { return log_end_offset_.load(std::memory_order_acquire); }

  // Earliest offset at or after logStartOffset() whose record timestamp >= timestamp (Kafka
  // ListOffsets by time); nullopt if none.
  Result<std::optional<TimestampOffset>> offsetForTimestamp(int64_t timestamp) const;
  // Largest batch max timestamp in the log, -1 if there is none.
  int64_t maxTimestamp() const;

  // DeleteRecords: advances the log start offset (persisted before anything is removed) and
  // removes the segments wholly below it. OutOfRange if offset > logEndOffset().
  Status deleteRecordsBefore(int64_t offset);
  // Time and size retention: deletes the oldest segments whose max timestamp is older than
  // now_ms - retention_ms, and while the log minus the segment still holds retention_bytes.
  // An expired active segment is rolled first so it can go too, as Kafka does.
  Status applyRetention(int64_t now_ms);
  // Takes effect for the next append; index settings apply to segments created from now on.
  void updateConfig(const LogConfig& config);
  // Writes and fsyncs everything appended so far.
  Status flush();
  // Flushes if flush.ms has passed since the oldest unflushed append; for a periodic task.
  Status maybeFlush(int64_t now_ms);
  // For topic deletion: closes the log and removes its directory. Afterwards every method
  // fails or reads nothing.
  Status deleteAll();

  // --- Log compaction support (partition_log_compaction.cc) ---
  // The segments, oldest first; the last one is the active segment.
  std::vector<SegmentInfo> segmentInfos() const;
  // Starts writing a replacement segment with this base offset (<base>.log.cleaned), for
  // replaceSegments.
  Result<std::unique_ptr<CleanedSegment>> startCleanedSegment(int64_t base_offset) const;
  // Swaps `cleaned` in for the contiguous non-active segments with `old_bases` (the first
  // of which must be cleaned's base), crash-safely: .cleaned -> .swap, old files ->
  // .deleted, .swap -> final names; open() completes an interrupted swap. The new segment's
  // mtime is set to last_modified_ms. NotFound (and nothing changes) if those segments are
  // no longer all in the log, e.g. because retention removed some meanwhile. Readers holding
  // an old segment keep reading it.
  Status replaceSegments(std::unique_ptr<CleanedSegment> cleaned, std::span<const int64_t> old_bases,
                         int64_t last_modified_ms);

  uint64_t sizeBytes() const;
  size_t segmentCount() const;
  const std::filesystem::path& dir() const { return dir_; }

 private:
  PartitionLog(std::filesystem::path dir, const LogConfig& config);

  Status load(RecoveryReport* report);
  Status loadSegments(RecoveryReport* report);
  // Removes .cleaned and .deleted files and completes an interrupted segment swap.
  Status recoverCleanerFiles(RecoveryReport* report);
  // Rebuilds producers_ from the newest snapshot and the batch headers after it.
  Status loadProducerState(RecoveryReport* report);
  // Writes a producer state snapshot at `offset` and drops all but the newest two.
  Status snapshotProducers(int64_t offset);
  Result<int64_t> readLogStartCheckpoint(RecoveryReport* report) const;
  Status writeLogStartCheckpoint(int64_t offset);

  // The following run under append_mutex_.
  // The idempotence checks of an append's producer batches: the answer when the append
  // must not be written (a duplicate or a refusal), else nullopt with `pending` staged.
  std::optional<AppendResult> checkProducers(std::span<const ProducerBatch> batches,
                                             ProducerStateManager::Pending& pending) const;
  bool shouldRoll(const Segment& active, size_t append_bytes, int64_t last_offset, int64_t now_ms) const;
  Status roll();
  // Advances the log start to `new_start` if higher (checkpoint first), then removes the
  // oldest `count` segments (never the active one).
  Status removeOldest(size_t count, int64_t new_start);
  bool flushDue(int64_t now_ms) const;

  // The segment holding `offset` (the last with base <= offset), else the first; and the
  // one after `segment`. Both null when there is none.
  std::shared_ptr<Segment> segmentFor(int64_t offset) const;
  std::shared_ptr<Segment> segmentAfter(const Segment& segment) const;
  std::shared_ptr<Segment> activeSegment() const;

  const std::filesystem::path dir_;

  mutable std::mutex append_mutex_;  // serializes appends, rolls, retention, deletion, config
  LogConfig config_;
  ProducerStateManager producers_;
  int64_t unflushed_records_ = 0;
  int64_t first_unflushed_ms_ = -1;

  // Sorted by base offset; the last is the active segment. Changed only with append_mutex_
  // held as well, so the appender may read it without this lock.
  mutable std::mutex segments_mutex_;
  std::vector<std::shared_ptr<Segment>> segments_;

  std::mutex flush_mutex_;  // one fsync pass at a time, outside append_mutex_
  std::atomic<int64_t> log_start_offset_{0};
  std::atomic<int64_t> log_end_offset_{0};
  std::atomic<bool> deleted_{false};
};

}  // namespace runnel::storage
