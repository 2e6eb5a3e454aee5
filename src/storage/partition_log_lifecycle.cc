// PartitionLog's life cycle: opening and recovering the directory, retention, DeleteRecords
// and topic deletion. Appends and reads are in partition_log.cc.

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>

#include "common/properties.h"
#include "storage/batch_header.h"
#include "storage/file_util.h"
#include "storage/partition_log.h"
#include "storage/segment.h"

namespace runnel::storage {
namespace {

constexpr char kLogStartCheckpoint[] = "log-start-offset";
constexpr char kCheckpointVersion[] = "0";

}  // namespace

Result<std::unique_ptr<PartitionLog>> PartitionLog::open(const std::filesystem::path& dir,
                                                         const LogConfig& config, RecoveryReport* report) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::ioError("create " + dir.string() + ": " + ec.message());
  std::unique_ptr<PartitionLog> log(new PartitionLog(dir, config));
  RecoveryReport unused;
  RUNNEL_RETURN_IF_ERROR(log->load(report ? report : &unused));
  return log;
}

Status PartitionLog::load(RecoveryReport* report) {
  RUNNEL_RETURN_IF_ERROR(loadSegments(report));
  RUNNEL_ASSIGN_OR_RETURN(int64_t checkpoint, readLogStartCheckpoint(report));
  SegmentOptions options{config_.index_interval_bytes, config_.segment_index_bytes};
  if (segments_.empty()) {
    RUNNEL_ASSIGN_OR_RETURN(auto segment, Segment::create(dir_, std::max<int64_t>(checkpoint, 0), options));
    segments_.push_back(std::move(segment));
    RUNNEL_RETURN_IF_ERROR(syncDirectory(dir_));
  }
  int64_t end = segments_.back()->nextOffset();
  int64_t start = std::max(checkpoint, segments_.front()->baseOffset());
  if (start > end) {
    // The tail above the recorded log start was lost; nothing below it may be served, so
    // start over empty at the log start rather than reuse offsets.
    report->messages.push_back("log start offset " + std::to_string(start) + " is past the recovered end " +
                               std::to_string(end) + "; starting an empty segment there");
    for (auto& segment : segments_) RUNNEL_RETURN_IF_ERROR(segment->removeFiles());
    segments_.clear();
    RUNNEL_ASSIGN_OR_RETURN(auto segment, Segment::create(dir_, start, options));
    segments_.push_back(std::move(segment));
    RUNNEL_RETURN_IF_ERROR(syncDirectory(dir_));
    end = start;
  }
  log_end_offset_ = end;
  log_start_offset_ = std::min(checkpoint, start);  // removeOldest persists the real start
  // Finish deletions interrupted after the checkpoint was written.
  size_t below = 0;
  while (below + 1 < segments_.size() && segments_[below + 1]->baseOffset() <= start) ++below;
  RUNNEL_RETURN_IF_ERROR(removeOldest(below, start));
  return loadProducerState(report);
}

Status PartitionLog::loadProducerState(RecoveryReport* report) {
  int64_t end = logEndOffset();
  RUNNEL_ASSIGN_OR_RETURN(std::optional<int64_t> snapshot, producers_.loadLatestSnapshot(dir_, end, report));
  // Without a snapshot every batch from the log start is read (headers only).
  int64_t from = std::max(snapshot.value_or(0), logStartOffset());
  auto replay = [this](const BatchHeader& h) {
    if (h.producer_id == kNoProducerId || (h.attributes & kControlFlag)) return;
    producers_.replay({h.producer_id, h.producer_epoch, h.base_sequence,
                       lastSequence(h.base_sequence, h.last_offset_delta), h.base_offset, h.lastOffset(),
                       h.max_timestamp});
  };
  for (auto segment = segmentFor(from); segment && from < end; segment = segmentAfter(*segment)) {
    RUNNEL_RETURN_IF_ERROR(segment->forEachBatchHeader(from, replay));
  }
  int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  producers_.removeExpired(now_ms, config_.producer_id_expiration_ms);
  return Status::ok();
}

Status PartitionLog::snapshotProducers(int64_t offset) {
  RUNNEL_RETURN_IF_ERROR(producers_.writeSnapshot(dir_, offset));
  // The previous one stays as a fallback should the newest be unreadable.
  return ProducerStateManager::removeOldSnapshots(dir_, 2);
}

Status PartitionLog::loadSegments(RecoveryReport* report) {
  RUNNEL_RETURN_IF_ERROR(recoverCleanerFiles(report));
  std::set<int64_t> logs;
  std::map<int64_t, std::vector<std::filesystem::path>> indexes;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    std::string name = entry.path().filename().string();
    if (name.ends_with(".tmp")) {
      RUNNEL_RETURN_IF_ERROR(removeFile(entry.path()));
      report->messages.push_back("removed stray " + name);
    } else if (auto base = parseSegmentFileName(name, ".log")) {
      logs.insert(*base);
    } else if (auto base = parseSegmentFileName(name, ".index")) {
      indexes[*base].push_back(entry.path());
    } else if (auto base = parseSegmentFileName(name, ".timeindex")) {
      indexes[*base].push_back(entry.path());
    }
  }
  if (ec) return Status::ioError("list " + dir_.string() + ": " + ec.message());
  for (const auto& [base, paths] : indexes) {
    if (logs.count(base)) continue;
    for (const auto& path : paths) {
      RUNNEL_RETURN_IF_ERROR(removeFile(path));
      report->messages.push_back("removed " + path.filename().string() + " without a .log");
    }
  }
  SegmentOptions options{config_.index_interval_bytes, config_.segment_index_bytes};
  for (auto it = logs.begin(); it != logs.end(); ++it) {
    // The active segment may end in a torn write: check all of it. Older ones were sealed
    // with an fsync, so their indexes are trusted after a cheap check of the tail.
    bool last = std::next(it) == logs.end();
    RUNNEL_ASSIGN_OR_RETURN(auto segment, Segment::open(dir_, *it, options, last, report));
    if (segment->size() == 0 && !last) {
      report->messages.push_back("removed empty segment " + segmentFileName(*it, ".log"));
      RUNNEL_RETURN_IF_ERROR(segment->removeFiles());
      continue;
    }
    segments_.push_back(std::move(segment));
  }
  return Status::ok();
}

Result<int64_t> PartitionLog::readLogStartCheckpoint(RecoveryReport* report) const {
  std::filesystem::path path = dir_ / kLogStartCheckpoint;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return int64_t(-1);
  RUNNEL_ASSIGN_OR_RETURN(std::string text, readSmallFile(path));
  // "<version>\n<offset>\n", like Kafka's checkpoint files.
  size_t newline = text.find('\n');
  std::optional<int64_t> offset;
  if (newline != std::string::npos && text.substr(0, newline) == kCheckpointVersion && text.back() == '\n') {
    offset = parseInt64(std::string_view(text).substr(newline + 1, text.size() - newline - 2));
  }
  if (!offset || *offset < 0) {
    report->messages.push_back(std::string("ignored unreadable ") + kLogStartCheckpoint);
    return int64_t(-1);
  }
  return *offset;
}

Status PartitionLog::writeLogStartCheckpoint(int64_t offset) {
  std::string text = std::string(kCheckpointVersion) + "\n" + std::to_string(offset) + "\n";
  return writeFileAtomically(dir_ / kLogStartCheckpoint, text);
}

Status PartitionLog::removeOldest(size_t count, int64_t new_start) {
  if (new_start > logStartOffset()) {
    RUNNEL_RETURN_IF_ERROR(writeLogStartCheckpoint(new_start));
    log_start_offset_.store(new_start, std::memory_order_release);
  }
  std::vector<std::shared_ptr<Segment>> doomed;
  {
    std::lock_guard lock(segments_mutex_);
    count = std::min(count, segments_.size() - 1);
    doomed.assign(segments_.begin(), segments_.begin() + ptrdiff_t(count));
    segments_.erase(segments_.begin(), segments_.begin() + ptrdiff_t(count));
  }
  // Readers still holding a doomed segment keep reading through its open descriptors.
  Status result;
  for (auto& segment : doomed) {
    Status s = segment->removeFiles();
    if (!s.isOk() && result.isOk()) result = s;
  }
  return result;
}

Status PartitionLog::deleteRecordsBefore(int64_t offset) {
  std::lock_guard lock(append_mutex_);
  if (deleted_) return Status::notFound(dir_.string() + " was deleted");
  if (offset > logEndOffset()) {
    return Status::outOfRange("offset " + std::to_string(offset) + " is past the log end " +
                              std::to_string(logEndOffset()));
  }
  if (offset <= logStartOffset()) return Status::ok();
  size_t below = 0;
  while (below + 1 < segments_.size() && segments_[below + 1]->baseOffset() <= offset) ++below;
  return removeOldest(below, offset);
}

Status PartitionLog::applyRetention(int64_t now_ms) {
  std::lock_guard lock(append_mutex_);
  if (deleted_) return Status::ok();
  // Producer state outlives the producer's batches (Kafka keeps it since KIP-360) until
  // producer.id.expiration.ms; this periodic pass is where it expires.
  producers_.removeExpired(now_ms, config_.producer_id_expiration_ms);
  if (!config_.delete_retention) return Status::ok();
  uint64_t total = 0;
  for (const auto& segment : segments_) total += segment->size();
  size_t count = 0;
  for (size_t i = 0; i < segments_.size(); ++i) {
    const Segment& segment = *segments_[i];
    if (segment.size() == 0) break;  // only the active segment can be empty
    int64_t timestamp = segment.maxTimestamp() >= 0 ? segment.maxTimestamp() : segment.lastModifiedMs();
    bool expired = config_.retention_ms >= 0 && now_ms - timestamp > config_.retention_ms;
    bool oversize = config_.retention_bytes >= 0 && total - segment.size() >= uint64_t(config_.retention_bytes);
    if (!expired && !oversize) break;
    total -= segment.size();
    ++count;
  }
  if (count == 0) return Status::ok();
  if (count == segments_.size()) RUNNEL_RETURN_IF_ERROR(roll());
  return removeOldest(count, segments_[count]->baseOffset());
}

Status PartitionLog::deleteAll() {
  std::lock_guard flush_lock(flush_mutex_);
  std::lock_guard lock(append_mutex_);
  if (deleted_.exchange(true)) return Status::ok();
  {
    std::lock_guard segments_lock(segments_mutex_);
    segments_.clear();
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
  if (ec) return Status::ioError("remove " + dir_.string() + ": " + ec.message());
  return Status::ok();
}

}  // namespace runnel::storage
