#include "storage/time_index.h"

#include <fcntl.h>

#include <algorithm>
#include <string>

#include "common/bytes.h"

namespace runnel::storage {

TimeIndex::TimeIndex(std::filesystem::path path, int64_t base_offset, size_t max_entries)
    : path_(std::move(path)), base_offset_(base_offset), max_entries_(std::max<size_t>(max_entries, 2)) {}

Status TimeIndex::load(int64_t next_offset) {
  RUNNEL_ASSIGN_OR_RETURN(fd_, openFile(path_, O_RDWR | O_CREAT));
  RUNNEL_ASSIGN_OR_RETURN(uint64_t size, fileSize(fd_.get()));
  if (size % kEntrySize != 0) {
    return Status::corruption(path_.filename().string() + " has a partial entry");
  }
  Bytes raw(size);
  RUNNEL_ASSIGN_OR_RETURN(size_t n, preadAll(fd_.get(), raw.data(), raw.size(), 0));
  if (n != size) return Status::ioError(path_.string() + ": short read");
  std::vector<TimeEntry> entries;
  entries.reserve(size / kEntrySize);
  for (size_t at = 0; at < size; at += kEntrySize) {
    int64_t timestamp = int64_t(loadBe64(raw.data() + at));
    int32_t relative = int32_t(loadBe32(raw.data() + at + 8));
    int64_t offset = base_offset_ + relative;
    bool ordered = entries.empty() ||
                   (timestamp > entries.back().timestamp && offset >= entries.back().offset);
    if (relative < 0 || offset >= next_offset || !ordered) {
      return Status::corruption(path_.filename().string() + " has an invalid entry at byte " +
                                std::to_string(at));
    }
    entries.push_back({timestamp, offset});
  }
  std::lock_guard lock(mutex_);
  entries_ = std::move(entries);
  persisted_ = entries_.size();
  return Status::ok();
}

Status TimeIndex::reset() {
  RUNNEL_ASSIGN_OR_RETURN(fd_, openFile(path_, O_RDWR | O_CREAT | O_TRUNC));
  std::lock_guard lock(mutex_);
  entries_.clear();
  persisted_ = 0;
  return Status::ok();
}

void TimeIndex::maybeAppend(int64_t timestamp, int64_t offset) {
  std::lock_guard lock(mutex_);
  if (!entries_.empty() && timestamp <= entries_.back().timestamp) return;
  entries_.push_back({timestamp, offset});
}

int64_t TimeIndex::lookup(int64_t timestamp) const {
  std::lock_guard lock(mutex_);
  auto it = std::lower_bound(entries_.begin(), entries_.end(), timestamp,
                             [](const TimeEntry& e, int64_t t) { return e.timestamp < t; });
  if (it == entries_.begin()) return base_offset_;
  return std::prev(it)->offset;
}

std::optional<TimeEntry> TimeIndex::lastEntry() const {
  std::lock_guard lock(mutex_);
  if (entries_.empty()) return std::nullopt;
  return entries_.back();
}

bool TimeIndex::isFull() const {
  std::lock_guard lock(mutex_);
  return entries_.size() + 1 >= max_entries_;
}

Status TimeIndex::persist() {
  std::lock_guard persist_lock(persist_mutex_);
  Bytes raw;
  size_t total;
  {
    std::lock_guard lock(mutex_);
    total = entries_.size();
    raw.resize((total - persisted_) * kEntrySize);
    for (size_t i = persisted_; i < total; ++i) {
      uint8_t* p = raw.data() + (i - persisted_) * kEntrySize;
      storeBe64(p, uint64_t(entries_[i].timestamp));
      storeBe32(p + 8, uint32_t(entries_[i].offset - base_offset_));
    }
  }
  if (raw.empty()) return Status::ok();
  RUNNEL_RETURN_IF_ERROR(pwriteAll(fd_.get(), raw.data(), raw.size(), persisted_ * kEntrySize));
  persisted_ = total;
  return Status::ok();
}

Status TimeIndex::sync() {
  RUNNEL_RETURN_IF_ERROR(persist());
  return syncFd(fd_.get());
}

Status TimeIndex::remove() { return removeFile(path_); }

}  // namespace runnel::storage
