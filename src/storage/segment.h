#pragma once

// One segment of a partition log: <base>.log holding record batches back to back exactly as
// they travel on the wire, plus its offset index and time index. See docs/storage-format.md.
//
// Concurrency: one appender at a time (the owning PartitionLog serializes appends, rolls and
// deletions); any number of concurrent readers. The appender publishes a write by storing
// size_ and next_offset_ with release order after the bytes are in the file, so a reader
// never sees a position it cannot pread. A Segment is held by shared_ptr: a reader keeps a
// deleted segment's file descriptors alive until it is done.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"
#include "storage/batch_header.h"
#include "storage/file_util.h"
#include "storage/log_types.h"
#include "storage/offset_index.h"
#include "storage/time_index.h"

namespace runnel::storage {

struct SegmentOptions {
  int32_t index_interval_bytes = 4096;
  int32_t segment_index_bytes = 10485760;
};

// What the appender knows about each batch of an append, from its header.
struct AppendedBatch {
  int64_t base_offset;
  int64_t last_offset;
  int64_t max_timestamp;
  uint32_t size;
};

class Segment {
 public:
  // Creates an empty segment, truncating any files already named for this base offset.
  // A non-empty file_suffix is appended to every file name: the log cleaner writes a
  // replacement segment as <base>.log.cleaned etc. (see docs/storage-format.md).
  static Result<std::shared_ptr<Segment>> create(const std::filesystem::path& dir, int64_t base_offset,
                                                 const SegmentOptions& options, std::string_view file_suffix = {});
  // Opens an existing segment and recovers it. With full_recovery every batch is CRC-checked
  // from the start, the .log is truncated at the first invalid one and both indexes are
  // rebuilt. Otherwise the indexes are loaded and only the batches after the last offset
  // index entry are checked; a damaged index or tail falls back to full recovery.
  static Result<std::shared_ptr<Segment>> open(const std::filesystem::path& dir, int64_t base_offset,
                                               const SegmentOptions& options, bool full_recovery,
                                               RecoveryReport* report);
  ~Segment() = default;

  int64_t baseOffset() const { return base_offset_; }
  // Offset after the last batch; the base offset when empty.
  int64_t nextOffset() const { return next_offset_.load(std::memory_order_acquire); }
  // Bytes of whole batches readers may see.
  uint64_t size() const { return size_.load(std::memory_order_acquire); }
  // Largest batch max timestamp, -1 when empty.
  int64_t maxTimestamp() const { return max_timestamp_.load(std::memory_order_acquire); }
  // Time the retention clock starts from when no batch carries a timestamp: file mtime.
  int64_t lastModifiedMs() const;

  // --- Appender side (serialized by the caller) ---
  // Writes `data` (whole batches, offsets assigned) with one pwrite at the end of the file.
  Status append(ByteSpan data, std::span<const AppendedBatch> batches, int64_t now_ms);
  // When the first append to this segment happened (for segment.ms); -1 when empty.
  int64_t rollBaseMs() const { return roll_base_ms_; }
  bool indexFull() const { return offset_index_.isFull() || time_index_.isFull(); }
  // Called when this segment stops being the active one: adds the final time index entry,
  // writes both indexes and fsyncs everything.
  Status seal();

  // --- Reader side (any thread) ---
  // Appends to `out` whole batches starting with the one containing `offset`, at most
  // max_bytes but at least one batch, stopping before any batch reaching max_offset.
  // *found is false when no batch in this segment ends at or after `offset`.
  Status read(int64_t offset, size_t max_bytes, int64_t max_offset, Bytes& out, bool* found) const;
  // Calls `fn` with the header of every batch whose last offset >= from_offset, in order.
  // Headers only: no CRC check (recovery has checked them).
  Status forEachBatchHeader(int64_t from_offset, const std::function<void(const BatchHeader&)>& fn) const;
  // The first record at or after `offset` min_offset with timestamp >= `timestamp`.
  Result<std::optional<TimestampOffset>> findByTimestamp(int64_t timestamp, int64_t min_offset) const;

  // Persists index entries and fsyncs the .log and both indexes.
  Status flush();
  // Unlinks the files; open descriptors stay valid for readers still holding the segment.
  Status removeFiles();

 private:
  Segment(const std::filesystem::path& dir, int64_t base_offset, const SegmentOptions& options,
          std::string_view file_suffix = {});
  // Walks batches from `position` (0, or the last offset index entry), CRC-checking them and
  // adding index entries. Returns false (with `why`) on an invalid batch; with `truncate` the
  // log is cut there instead and the walk succeeds.
  Result<bool> walk(uint64_t position, uint64_t file_size, bool truncate, RecoveryReport* report,
                    std::string* why);
  Status recover(bool full_recovery, RecoveryReport* report);
  void indexBatch(const AppendedBatch& batch, uint64_t position);

  const int64_t base_offset_;
  const SegmentOptions options_;
  const std::filesystem::path log_path_;
  UniqueFd log_fd_;
  OffsetIndex offset_index_;
  TimeIndex time_index_;

  std::atomic<uint64_t> size_{0};
  std::atomic<int64_t> next_offset_;
  std::atomic<int64_t> max_timestamp_{-1};

  // Appender state.
  int64_t offset_of_max_timestamp_;
  int64_t last_indexed_offset_ = -1;
  uint64_t bytes_since_index_ = 0;
  int64_t roll_base_ms_ = -1;
};

}  // namespace runnel::storage
