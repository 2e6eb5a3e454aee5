#include "storage/segment.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <string>

#include "storage/batch_header.h"
#include "storage/batch_scanner.h"

namespace runnel::storage {
namespace {

constexpr size_t kRecoveryWindow = 1 << 20;

size_t maxEntries(int32_t index_bytes, size_t entry_size) {
  return size_t(std::max(index_bytes, 0)) / entry_size;
}

// Walks the records of an uncompressed batch for the first one at or after both offsets
// and timestamps. Only the fields before the key are decoded.
std::optional<TimestampOffset> firstRecordAtOrAfter(ByteSpan batch, const BatchHeader& header,
                                                    int64_t timestamp, int64_t min_offset) {
  ByteReader reader(batch.subspan(batch_layout::kHeaderSize));
  for (int32_t i = 0; i < header.record_count; ++i) {
    int64_t length = reader.varint();
    size_t start = reader.position();
    reader.u8();  // attributes
    int64_t record_timestamp = header.base_timestamp + reader.varint();
    int64_t record_offset = header.base_offset + reader.varint();
    if (!reader.ok() || length < 0 || size_t(length) < reader.position() - start) return std::nullopt;
    if (record_offset >= min_offset && record_timestamp >= timestamp) {
      return TimestampOffset{record_timestamp, record_offset};
    }
    reader.skip(size_t(length) - (reader.position() - start));
  }
  return std::nullopt;
}

}  // namespace

Segment::Segment(const std::filesystem::path& dir, int64_t base_offset, const SegmentOptions& options,
                 std::string_view file_suffix)
    : base_offset_(base_offset),
      options_(options),
      log_path_(dir / (segmentFileName(base_offset, ".log") + std::string(file_suffix))),
      offset_index_(dir / (segmentFileName(base_offset, ".index") + std::string(file_suffix)), base_offset,
                    maxEntries(options.segment_index_bytes, OffsetIndex::kEntrySize)),
      time_index_(dir / (segmentFileName(base_offset, ".timeindex") + std::string(file_suffix)), base_offset,
                  maxEntries(options.segment_index_bytes, TimeIndex::kEntrySize)),
      next_offset_(base_offset),
      offset_of_max_timestamp_(base_offset) {}

Result<std::shared_ptr<Segment>> Segment::create(const std::filesystem::path& dir, int64_t base_offset,
                                                 const SegmentOptions& options, std::string_view file_suffix) {
  std::shared_ptr<Segment> segment(new Segment(dir, base_offset, options, file_suffix));
  RUNNEL_ASSIGN_OR_RETURN(segment->log_fd_, openFile(segment->log_path_, O_RDWR | O_CREAT | O_TRUNC));
  RUNNEL_RETURN_IF_ERROR(segment->offset_index_.reset());
  RUNNEL_RETURN_IF_ERROR(segment->time_index_.reset());
  return segment;
}

Result<std::shared_ptr<Segment>> Segment::open(const std::filesystem::path& dir, int64_t base_offset,
                                               const SegmentOptions& options, bool full_recovery,
                                               RecoveryReport* report) {
  std::shared_ptr<Segment> segment(new Segment(dir, base_offset, options));
  RUNNEL_ASSIGN_OR_RETURN(segment->log_fd_, openFile(segment->log_path_, O_RDWR));
  RUNNEL_RETURN_IF_ERROR(segment->recover(full_recovery, report));
  return segment;
}

Status Segment::recover(bool full_recovery, RecoveryReport* report) {
  std::string name = log_path_.filename().string();
  RUNNEL_ASSIGN_OR_RETURN(uint64_t file_size, fileSize(log_fd_.get()));
  if (!full_recovery) {
    std::string why;
    std::filesystem::path index_path = log_path_, time_path = log_path_;
    index_path.replace_extension(".index");
    time_path.replace_extension(".timeindex");
    std::error_code ec;
    if (!std::filesystem::exists(index_path, ec) || !std::filesystem::exists(time_path, ec)) {
      why = "index file missing";
    } else if (Status s = offset_index_.load(file_size); !s.isOk()) {
      why = s.message();
    } else if (Status t = time_index_.load(INT64_MAX); !t.isOk()) {
      why = t.message();
    }
    if (why.empty()) {
      if (auto last = time_index_.lastEntry()) {
        max_timestamp_ = last->timestamp;
        offset_of_max_timestamp_ = last->offset;
      }
      uint64_t start = 0;
      if (auto entry = offset_index_.lastEntry()) {
        start = entry->position;
        last_indexed_offset_ = entry->offset;
      }
      RUNNEL_ASSIGN_OR_RETURN(bool clean, walk(start, file_size, false, report, &why));
      if (clean && time_index_.lastEntry() && time_index_.lastEntry()->offset >= nextOffset()) {
        clean = false;
        why = "time index points past the end of the log";
      }
      if (clean) {
        RUNNEL_RETURN_IF_ERROR(offset_index_.persist());
        return time_index_.persist();
      }
    }
    if (report) {
      report->indexes_rebuilt++;
      report->messages.push_back(name + ": rebuilding indexes (" + why + ")");
    }
  }
  RUNNEL_RETURN_IF_ERROR(offset_index_.reset());
  RUNNEL_RETURN_IF_ERROR(time_index_.reset());
  size_ = 0;
  next_offset_ = base_offset_;
  max_timestamp_ = -1;
  offset_of_max_timestamp_ = base_offset_;
  last_indexed_offset_ = -1;
  bytes_since_index_ = 0;
  roll_base_ms_ = -1;
  std::string unused;
  RUNNEL_ASSIGN_OR_RETURN(bool ok, walk(0, file_size, true, report, &unused));
  (void)ok;
  RUNNEL_RETURN_IF_ERROR(offset_index_.persist());
  return time_index_.persist();
}

Result<bool> Segment::walk(uint64_t position, uint64_t file_size, bool truncate, RecoveryReport* report,
                           std::string* why) {
  BatchScanner scanner(log_fd_.get(), position, file_size, kRecoveryWindow);
  int64_t expected = position == 0 ? base_offset_ : last_indexed_offset_;
  bool first = true;
  for (;;) {
    BatchScanner::Step step = scanner.next(true);
    if (step == BatchScanner::Step::kEnd) break;
    if (step == BatchScanner::Step::kIoError) return scanner.ioStatus();
    const BatchHeader& h = scanner.header();
    std::string problem;
    if (step == BatchScanner::Step::kInvalid) {
      problem = scanner.error();
    } else if (first && position != 0 ? h.base_offset != expected : h.base_offset < expected) {
      problem = "batch base offset " + std::to_string(h.base_offset) + " out of sequence";
    } else if (h.lastOffset() - base_offset_ > INT32_MAX) {
      problem = "batch offset too far from the segment base";
    }
    if (!problem.empty()) {
      *why = problem + " at byte " + std::to_string(scanner.position());
      if (!truncate) return false;
      uint64_t dropped = file_size - scanner.position();
      RUNNEL_RETURN_IF_ERROR(truncateFile(log_fd_.get(), scanner.position()));
      RUNNEL_RETURN_IF_ERROR(syncFd(log_fd_.get()));
      if (report) {
        report->truncated_bytes += int64_t(dropped);
        report->messages.push_back(log_path_.filename().string() + ": " + *why + "; truncated " +
                                   std::to_string(dropped) + " bytes");
      }
      break;
    }
    if (roll_base_ms_ < 0 && position == 0) roll_base_ms_ = h.max_timestamp;
    indexBatch({h.base_offset, h.lastOffset(), h.max_timestamp, uint32_t(h.totalSize())}, scanner.position());
    size_ = scanner.nextPosition();
    next_offset_ = h.nextOffset();
    expected = h.nextOffset();
    first = false;
  }
  if (position != 0 && first) {
    // The batch the last index entry points at must exist.
    *why = "last index entry points past the end of the log";
    return false;
  }
  if (first) size_ = position;
  return true;
}

void Segment::indexBatch(const AppendedBatch& batch, uint64_t position) {
  if (batch.max_timestamp > max_timestamp_.load(std::memory_order_relaxed)) {
    max_timestamp_.store(batch.max_timestamp, std::memory_order_release);
    offset_of_max_timestamp_ = batch.base_offset;
  }
  if (bytes_since_index_ >= uint64_t(std::max(options_.index_interval_bytes, 0)) &&
      batch.base_offset > last_indexed_offset_ && position > 0) {
    offset_index_.append(batch.base_offset, uint32_t(position));
    time_index_.maybeAppend(max_timestamp_.load(std::memory_order_relaxed), offset_of_max_timestamp_);
    last_indexed_offset_ = batch.base_offset;
    bytes_since_index_ = 0;
  }
  bytes_since_index_ += batch.size;
}

Status Segment::append(ByteSpan data, std::span<const AppendedBatch> batches, int64_t now_ms) {
  uint64_t start = size_.load(std::memory_order_relaxed);
  Status written = pwriteAll(log_fd_.get(), data.data(), data.size(), start);
  if (!written.isOk()) {
    // Drop a partial write so the file ends on a batch boundary again.
    (void)truncateFile(log_fd_.get(), start);
    return written;
  }
  if (roll_base_ms_ < 0) roll_base_ms_ = now_ms;
  // Publish before indexing: a reader that finds an index entry then loads size_ must see
  // the position it points at.
  next_offset_.store(batches.back().last_offset + 1, std::memory_order_release);
  size_.store(start + data.size(), std::memory_order_release);
  uint64_t position = start;
  for (const AppendedBatch& batch : batches) {
    indexBatch(batch, position);
    position += batch.size;
  }
  return Status::ok();
}

Status Segment::seal() {
  time_index_.maybeAppend(max_timestamp_.load(std::memory_order_relaxed), offset_of_max_timestamp_);
  return flush();
}

Status Segment::flush() {
  RUNNEL_RETURN_IF_ERROR(syncFd(log_fd_.get()));
  RUNNEL_RETURN_IF_ERROR(offset_index_.sync());
  return time_index_.sync();
}

Status Segment::removeFiles() {
  RUNNEL_RETURN_IF_ERROR(removeFile(log_path_));
  RUNNEL_RETURN_IF_ERROR(offset_index_.remove());
  return time_index_.remove();
}

int64_t Segment::lastModifiedMs() const {
  struct stat st;
  if (::fstat(log_fd_.get(), &st) != 0) return 0;
  return int64_t(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
}

Status Segment::read(int64_t offset, size_t max_bytes, int64_t max_offset, Bytes& out, bool* found) const {
  *found = false;
  OffsetPosition start = offset_index_.lookup(offset);
  uint64_t limit = size();
  BatchScanner scanner(log_fd_.get(), start.position, limit);
  for (;;) {
    BatchScanner::Step step = scanner.next(false);
    if (step == BatchScanner::Step::kEnd) return Status::ok();
    if (step == BatchScanner::Step::kIoError) return scanner.ioStatus();
    if (step == BatchScanner::Step::kInvalid) {
      return Status::corruption(log_path_.filename().string() + ": " + scanner.error());
    }
    if (scanner.header().lastOffset() >= offset) break;
  }
  *found = true;
  if (scanner.header().lastOffset() >= max_offset) return Status::ok();
  uint64_t first = scanner.position();
  size_t first_size = scanner.header().totalSize();
  size_t want = size_t(std::min<uint64_t>(limit - first, std::max(max_bytes, first_size)));
  size_t old = out.size();
  out.resize(old + want);
  auto got = preadAll(log_fd_.get(), out.data() + old, want, first);
  if (!got.isOk() || *got < first_size) {
    out.resize(old);
    return got.isOk() ? Status::ioError(log_path_.string() + ": short read") : got.status();
  }
  // Keep whole batches only, and none that reaches max_offset.
  size_t keep = first_size;
  while (keep + batch_layout::kHeaderSize <= *got) {
    const uint8_t* p = out.data() + old + keep;
    size_t total = size_t(int32_t(loadBe32(p + batch_layout::kBatchLength))) + batch_layout::kLogOverhead;
    int64_t last = int64_t(loadBe64(p)) + int32_t(loadBe32(p + batch_layout::kLastOffsetDelta));
    if (keep + total > *got || last >= max_offset) break;
    keep += total;
  }
  out.resize(old + keep);
  return Status::ok();
}

Status Segment::forEachBatchHeader(int64_t from_offset, const std::function<void(const BatchHeader&)>& fn) const {
  BatchScanner scanner(log_fd_.get(), offset_index_.lookup(from_offset).position, size());
  for (;;) {
    BatchScanner::Step step = scanner.next(false);
    if (step == BatchScanner::Step::kEnd) return Status::ok();
    if (step == BatchScanner::Step::kIoError) return scanner.ioStatus();
    if (step == BatchScanner::Step::kInvalid) {
      return Status::corruption(log_path_.filename().string() + ": " + scanner.error());
    }
    if (scanner.header().lastOffset() >= from_offset) fn(scanner.header());
  }
}

Result<std::optional<TimestampOffset>> Segment::findByTimestamp(int64_t timestamp, int64_t min_offset) const {
  int64_t from = std::max(time_index_.lookup(timestamp), min_offset);
  OffsetPosition start = offset_index_.lookup(from);
  BatchScanner scanner(log_fd_.get(), start.position, size());
  for (;;) {
    BatchScanner::Step step = scanner.next(false);
    if (step == BatchScanner::Step::kEnd) return std::optional<TimestampOffset>();
    if (step == BatchScanner::Step::kIoError) return scanner.ioStatus();
    if (step == BatchScanner::Step::kInvalid) {
      return Status::corruption(log_path_.filename().string() + ": " + scanner.error());
    }
    const BatchHeader& h = scanner.header();
    if (h.lastOffset() < min_offset || h.max_timestamp < timestamp) continue;
    TimestampOffset whole{h.max_timestamp, std::max(h.base_offset, min_offset)};
    // Every record of a LogAppendTime batch carries the max timestamp; a compressed batch
    // is answered by its first offset, which may return a few earlier records but never
    // skips one.
    if ((h.attributes & kTimestampTypeLogAppend) || h.compression() != 0) return std::optional(whole);
    Bytes batch(h.totalSize());
    RUNNEL_ASSIGN_OR_RETURN(size_t n, preadAll(log_fd_.get(), batch.data(), batch.size(), scanner.position()));
    if (n != batch.size()) return Status::ioError(log_path_.string() + ": short read");
    if (auto found = firstRecordAtOrAfter(batch, h, timestamp, min_offset)) return std::optional(*found);
    return std::optional(whole);
  }
}

}  // namespace runnel::storage
