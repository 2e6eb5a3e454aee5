// What the log cleaner needs from a partition log: a view of its segments, a place to write
// a replacement segment, and a crash-safe swap of that segment for the ones it replaces
// (Kafka's scheme: .cleaned -> .swap -> live, old files -> .deleted). The cleaning itself
// decodes records and lives in the broker (broker/log_cleaner.h).

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <string>

#include "storage/batch_scanner.h"
#include "storage/cleaned_segment.h"
#include "storage/file_util.h"
#include "storage/partition_log.h"
#include "storage/segment.h"

namespace runnel::storage {
namespace {

constexpr std::array<const char*, 3> kSegmentSuffixes = {".index", ".timeindex", ".log"};
constexpr char kCleanedSuffix[] = ".cleaned";
constexpr char kSwapSuffix[] = ".swap";
constexpr char kDeletedSuffix[] = ".deleted";

std::filesystem::path segmentPath(const std::filesystem::path& dir, int64_t base, const char* suffix,
                                  std::string_view state = {}) {
  return dir / (segmentFileName(base, suffix) + std::string(state));
}

// Index files are optional (open() rebuilds missing ones); the .log is not.
Status renameSegmentFiles(const std::filesystem::path& dir, int64_t base, std::string_view from,
                          std::string_view to) {
  for (const char* suffix : kSegmentSuffixes) {
    std::filesystem::path source = segmentPath(dir, base, suffix, from);
    if (::rename(source.c_str(), segmentPath(dir, base, suffix, to).c_str()) != 0 &&
        (errno != ENOENT || std::string_view(suffix) == ".log")) {
      return Status::fromErrno("rename " + source.string(), errno);
    }
  }
  return Status::ok();
}

Status removeSegmentFiles(const std::filesystem::path& dir, int64_t base, std::string_view state) {
  for (const char* suffix : kSegmentSuffixes) RUNNEL_RETURN_IF_ERROR(removeFile(segmentPath(dir, base, suffix, state)));
  return Status::ok();
}

Status setModifiedTime(const std::filesystem::path& path, int64_t ms) {
  struct timespec times[2];
  times[0].tv_nsec = UTIME_OMIT;
  times[1].tv_sec = ms / 1000;
  times[1].tv_nsec = (ms % 1000) * 1000000;
  if (::utimensat(AT_FDCWD, path.c_str(), times, 0) != 0) return Status::fromErrno("utimensat " + path.string(), errno);
  return Status::ok();
}

// The offset after the last whole batch of a segment file (its base when it has none).
Result<int64_t> scanNextOffset(const std::filesystem::path& path, int64_t base) {
  RUNNEL_ASSIGN_OR_RETURN(UniqueFd fd, openFile(path, O_RDONLY));
  RUNNEL_ASSIGN_OR_RETURN(uint64_t size, fileSize(fd.get()));
  BatchScanner scanner(fd.get(), 0, size);
  int64_t next = base;
  for (;;) {
    BatchScanner::Step step = scanner.next(false);
    if (step == BatchScanner::Step::kIoError) return scanner.ioStatus();
    if (step != BatchScanner::Step::kBatch) return next;
    next = scanner.header().nextOffset();
  }
}

}  // namespace

CleanedSegment::CleanedSegment(std::shared_ptr<Segment> segment) : segment_(std::move(segment)) {}

CleanedSegment::~CleanedSegment() {
  if (segment_) (void)segment_->removeFiles();  // abandoned: never swapped in
}

int64_t CleanedSegment::baseOffset() const { return segment_->baseOffset(); }

uint64_t CleanedSegment::size() const { return segment_->size(); }

Status CleanedSegment::append(ByteSpan data) {
  std::vector<AppendedBatch> batches;
  int64_t next = segment_->nextOffset();
  for (size_t at = 0; at < data.size();) {
    if (data.size() - at < batch_layout::kHeaderSize) return Status::invalidArgument("partial batch header");
    RUNNEL_ASSIGN_OR_RETURN(BatchHeader h, parseBatchHeader(data.subspan(at)));
    if (h.totalSize() > data.size() - at) return Status::invalidArgument("partial batch");
    if (h.base_offset < next || h.lastOffset() < h.base_offset ||
        h.lastOffset() - baseOffset() > INT32_MAX) {
      return Status::invalidArgument("cleaned batch at offset " + std::to_string(h.base_offset) +
                                     " is out of order or too far from the segment base");
    }
    batches.push_back({h.base_offset, h.lastOffset(), h.max_timestamp, uint32_t(h.totalSize())});
    next = h.nextOffset();
    at += h.totalSize();
  }
  if (batches.empty()) return Status::ok();
  return segment_->append(data, batches, 0);
}

std::vector<SegmentInfo> PartitionLog::segmentInfos() const {
  std::lock_guard lock(segments_mutex_);
  std::vector<SegmentInfo> out;
  out.reserve(segments_.size());
  for (const auto& s : segments_) {
    out.push_back({s->baseOffset(), s->nextOffset(), s->size(), s->maxTimestamp(), s->lastModifiedMs()});
  }
  return out;
}

Result<std::unique_ptr<CleanedSegment>> PartitionLog::startCleanedSegment(int64_t base_offset) const {
  SegmentOptions options;
  {
    std::lock_guard lock(append_mutex_);
    if (deleted_) return Status::notFound(dir_.string() + " was deleted");
    options = {config_.index_interval_bytes, config_.segment_index_bytes};
  }
  RUNNEL_ASSIGN_OR_RETURN(auto segment, Segment::create(dir_, base_offset, options, kCleanedSuffix));
  return std::make_unique<CleanedSegment>(std::move(segment));
}

Status PartitionLog::replaceSegments(std::unique_ptr<CleanedSegment> cleaned, std::span<const int64_t> old_bases,
                                     int64_t last_modified_ms) {
  const int64_t base = cleaned->baseOffset();
  if (old_bases.empty() || old_bases.front() != base) {
    return Status::invalidArgument("a cleaned segment replaces segments starting at its own base offset");
  }
  RUNNEL_RETURN_IF_ERROR(cleaned->segment_->seal());
  RUNNEL_RETURN_IF_ERROR(setModifiedTime(segmentPath(dir_, base, ".log", kCleanedSuffix), last_modified_ms));
  cleaned->segment_.reset();  // closes the files; they are renamed below
  // The .log is renamed last: a .log.swap means the whole replacement is on disk.
  RUNNEL_RETURN_IF_ERROR(renameSegmentFiles(dir_, base, kCleanedSuffix, kSwapSuffix));
  RUNNEL_RETURN_IF_ERROR(syncDirectory(dir_));

  std::vector<std::shared_ptr<Segment>> old;
  {
    std::lock_guard lock(append_mutex_);
    auto first = std::find_if(segments_.begin(), segments_.end(),
                              [&](const auto& s) { return s->baseOffset() == base; });
    size_t at = size_t(first - segments_.begin());
    bool present = !deleted_ && at + old_bases.size() < segments_.size();  // never the active one
    for (size_t i = 0; present && i < old_bases.size(); ++i) present = segments_[at + i]->baseOffset() == old_bases[i];
    if (!present) {
      (void)removeSegmentFiles(dir_, base, kSwapSuffix);
      return Status::notFound("the segments to replace changed meanwhile");
    }
    old.assign(segments_.begin() + ptrdiff_t(at), segments_.begin() + ptrdiff_t(at + old_bases.size()));
    for (int64_t b : old_bases) RUNNEL_RETURN_IF_ERROR(renameSegmentFiles(dir_, b, "", kDeletedSuffix));
    RUNNEL_RETURN_IF_ERROR(renameSegmentFiles(dir_, base, kSwapSuffix, ""));
    RUNNEL_RETURN_IF_ERROR(syncDirectory(dir_));
    SegmentOptions options{config_.index_interval_bytes, config_.segment_index_bytes};
    // Sealed with its indexes: open checks them and walks only the tail after the last entry.
    RUNNEL_ASSIGN_OR_RETURN(auto fresh, Segment::open(dir_, base, options, false, nullptr));
    std::lock_guard segments_lock(segments_mutex_);
    auto begin = segments_.begin() + ptrdiff_t(at);
    segments_.erase(begin + 1, begin + ptrdiff_t(old_bases.size()));
    segments_[at] = std::move(fresh);
  }
  // Readers still holding an old segment keep reading through its open descriptors.
  Status result;
  for (int64_t b : old_bases) {
    Status s = removeSegmentFiles(dir_, b, kDeletedSuffix);
    if (!s.isOk() && result.isOk()) result = s;
  }
  return result;
}

Status PartitionLog::recoverCleanerFiles(RecoveryReport* report) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) names.push_back(entry.path().filename().string());
  if (ec) return Status::ioError("list " + dir_.string() + ": " + ec.message());
  std::map<int64_t, bool> swaps;  // base -> has its .log.swap
  std::vector<int64_t> logs;
  for (const std::string& name : names) {
    if (auto base = parseSegmentFileName(name, ".log")) logs.push_back(*base);
    if (name.ends_with(kCleanedSuffix) || name.ends_with(kDeletedSuffix)) {
      // An unfinished cleaning, or the old files of a finished swap.
      RUNNEL_RETURN_IF_ERROR(removeFile(dir_ / name));
      report->messages.push_back("removed " + name);
    } else if (name.ends_with(kSwapSuffix)) {
      std::string_view unswapped = std::string_view(name).substr(0, name.size() - std::strlen(kSwapSuffix));
      for (const char* suffix : kSegmentSuffixes) {
        if (auto base = parseSegmentFileName(unswapped, suffix)) swaps[*base] |= std::string_view(suffix) == ".log";
      }
    }
  }
  for (const auto& [base, complete] : swaps) {
    if (!complete) {  // crashed while renaming .cleaned to .swap: the old segments are intact
      RUNNEL_RETURN_IF_ERROR(removeSegmentFiles(dir_, base, kSwapSuffix));
      report->messages.push_back("removed incomplete swap of segment " + segmentFileName(base, ""));
      continue;
    }
    // The replacement is whole: the segments it covers go, as Kafka's LogLoader does.
    RUNNEL_ASSIGN_OR_RETURN(int64_t next, scanNextOffset(segmentPath(dir_, base, ".log", kSwapSuffix), base));
    for (int64_t old : logs) {
      if (old >= base && (old < next || old == base)) RUNNEL_RETURN_IF_ERROR(removeSegmentFiles(dir_, old, ""));
    }
    RUNNEL_RETURN_IF_ERROR(renameSegmentFiles(dir_, base, kSwapSuffix, ""));
    RUNNEL_RETURN_IF_ERROR(syncDirectory(dir_));
    report->messages.push_back("completed the interrupted swap of segment " + segmentFileName(base, ".log"));
  }
  return Status::ok();
}

}  // namespace runnel::storage
