#pragma once

// Compaction of one partition log, as Kafka's LogCleaner does it: an offset map (key ->
// offset of its latest record) is built over the dirty part of the log, then every
// non-active segment up to the end of that part is rewritten keeping, per key, only the
// latest record. Offsets are kept (batches get gaps), tombstones live on for
// delete.retention.ms after the cleaning that first kept them. Which log to clean, and
// when, is LogCleaner's business (log_cleaner.h). docs/storage-format.md, "Compaction".

#include <cstdint>
#include <vector>

#include "common/result.h"
#include "storage/log_types.h"
#include "storage/partition_log.h"

namespace runnel::broker {

// A compacted topic's settings, by their Kafka names.
struct CompactionConfig {
  double min_cleanable_dirty_ratio = 0.5;   // min.cleanable.dirty.ratio
  int64_t delete_retention_ms = 86400000;   // delete.retention.ms
  int64_t min_compaction_lag_ms = 0;        // min.compaction.lag.ms
  int64_t max_compaction_lag_ms = INT64_MAX;  // max.compaction.lag.ms
  int64_t segment_bytes = 1073741824;       // segment.bytes: cleaned segments are merged up to it
  uint64_t offset_map_bytes = 134217728;    // log.cleaner.dedupe.buffer.size
};

// The part of a log a cleaning may touch: [log start, first_uncleanable), of which
// [first_dirty, first_uncleanable) has not been cleaned yet. Both ends are segment bases.
struct CleanableRange {
  int64_t first_dirty = 0;
  int64_t first_uncleanable = 0;
  uint64_t clean_bytes = 0;
  uint64_t dirty_bytes = 0;

  double dirtyRatio() const {
    return dirty_bytes == 0 ? 0.0 : double(dirty_bytes) / double(clean_bytes + dirty_bytes);
  }
};

// Never the active segment, and no segment holding a record younger than
// min.compaction.lag.ms (judged by the segment's max timestamp, as Kafka does).
CleanableRange cleanableRange(const std::vector<storage::SegmentInfo>& segments, int64_t first_dirty,
                              const CompactionConfig& config, int64_t now_ms);

struct CompactionResult {
  int64_t cleaned_up_to = 0;  // the new first dirty offset (checkpointed by the caller)
  uint64_t bytes_read = 0;
  uint64_t bytes_written = 0;
  int64_t records_removed = 0;
  // When a tombstone kept by this cleaning may be removed (INT64_MAX: none kept).
  int64_t tombstone_expiry_ms = INT64_MAX;
};

// Cleans `log` over `range` (from cleanableRange). Concurrent appends, reads and retention go
// on meanwhile; if retention removes a segment being rewritten, that group is skipped.
Result<CompactionResult> compactLog(storage::PartitionLog& log, const CleanableRange& range,
                                    const CompactionConfig& config, int64_t now_ms);

}  // namespace runnel::broker
