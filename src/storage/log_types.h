#pragma once

// Plain value types of the partition log's interface (see partition_log.h).

#include <cstdint>
#include <string>
#include <vector>

namespace runnel::storage {

// A partition's topic-level settings, by their Kafka names.
struct LogConfig {
  int64_t segment_bytes = 1073741824;   // segment.bytes
  int64_t segment_ms = 604800000;       // segment.ms (roll when the active segment's first batch is older)
  int64_t retention_ms = 604800000;     // retention.ms, -1 = keep forever
  int64_t retention_bytes = -1;         // retention.bytes per partition, -1 = unlimited
  int64_t flush_messages = INT64_MAX;   // flush.messages: fsync after this many unflushed records
  int64_t flush_ms = INT64_MAX;         // flush.ms: fsync when the oldest unflushed append is this old
  int32_t index_interval_bytes = 4096;  // index.interval.bytes
  int32_t segment_index_bytes = 10485760;  // segment.index.bytes (max index file size; roll when full)
  bool log_append_time = false;         // message.timestamp.type=LogAppendTime
  bool delete_retention = true;         // cleanup.policy contains "delete" (retention applies)
  int64_t producer_id_expiration_ms = 86400000;  // producer.id.expiration.ms (a broker config)
};

// Why an idempotent producer's append was refused; the broker answers with Kafka's error.
enum class ProducerError {
  kNone,
  kOutOfOrderSequence,    // OUT_OF_ORDER_SEQUENCE_NUMBER
  kInvalidProducerEpoch,  // INVALID_PRODUCER_EPOCH
};

struct AppendResult {
  int64_t base_offset;
  int64_t last_offset;
  int64_t log_append_time = -1;
  int64_t log_start_offset;
  int32_t record_count;
  // Idempotent producers: the append repeated one of the producer's last batches, which
  // is not written again; the offsets above are the original's.
  bool duplicate = false;
  // Set when the append was refused by the sequence checks: nothing was written and the
  // offsets above are meaningless.
  ProducerError producer_error = ProducerError::kNone;
  std::string error_message;
};

// What open() found and repaired. Nothing here is an error: the log opened.
struct RecoveryReport {
  int64_t truncated_bytes = 0;
  int32_t indexes_rebuilt = 0;
  std::vector<std::string> messages;
};

// One segment as the log cleaner sees it (PartitionLog::segmentInfos).
struct SegmentInfo {
  int64_t base_offset;
  int64_t next_offset;  // the offset after its last batch; base_offset when empty
  uint64_t size;
  int64_t max_timestamp;  // -1 when empty
  int64_t last_modified_ms;
};

struct TimestampOffset {
  int64_t timestamp;
  int64_t offset;
};

}  // namespace runnel::storage
