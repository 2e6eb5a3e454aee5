#include "storage/offset_index.h"

#include <fcntl.h>

#include <algorithm>
#include <string>

#include "common/bytes.h"

namespace runnel::storage {

OffsetIndex::OffsetIndex(std::filesystem::path path, int64_t base_offset, size_t max_entries)
    : path_(std::move(path)), base_offset_(base_offset), max_entries_(std::max<size_t>(max_entries, 2)) {}

Status OffsetIndex::load(uint64_t log_size) {
  RUNNEL_ASSIGN_OR_RETURN(fd_, openFile(path_, O_RDWR | O_CREAT));
  RUNNEL_ASSIGN_OR_RETURN(uint64_t size, fileSize(fd_.get()));
  if (size % kEntrySize != 0) {
    return Status::corruption(path_.filename().string() + " has a partial entry");
  }
  Bytes raw(size);
  RUNNEL_ASSIGN_OR_RETURN(size_t n, preadAll(fd_.get(), raw.data(), raw.size(), 0));
  if (n != size) return Status::ioError(path_.string() + ": short read");
  std::vector<OffsetPosition> entries;
  entries.reserve(size / kEntrySize);
  for (size_t at = 0; at < size; at += kEntrySize) {
    int32_t relative = int32_t(loadBe32(raw.data() + at));
    uint32_t position = loadBe32(raw.data() + at + 4);
    bool ordered = entries.empty() || (base_offset_ + relative > entries.back().offset &&
                                       position > entries.back().position);
    if (relative < 0 || int32_t(position) < 0 || position >= log_size || !ordered) {
      return Status::corruption(path_.filename().string() + " has an invalid entry at byte " +
                                std::to_string(at));
    }
    entries.push_back({base_offset_ + relative, position});
  }
  std::lock_guard lock(mutex_);
  entries_ = std::move(entries);
  persisted_ = entries_.size();
  return Status::ok();
}

Status OffsetIndex::reset() {
  RUNNEL_ASSIGN_OR_RETURN(fd_, openFile(path_, O_RDWR | O_CREAT | O_TRUNC));
  std::lock_guard lock(mutex_);
  entries_.clear();
  persisted_ = 0;
  return Status::ok();
}

void OffsetIndex::append(int64_t offset, uint32_t position) {
  std::lock_guard lock(mutex_);
  entries_.push_back({offset, position});
}

OffsetPosition OffsetIndex::lookup(int64_t offset) const {
  std::lock_guard lock(mutex_);
  auto it = std::upper_bound(entries_.begin(), entries_.end(), offset,
                             [](int64_t o, const OffsetPosition& e) { return o < e.offset; });
  if (it == entries_.begin()) return {base_offset_, 0};
  return *std::prev(it);
}

std::optional<OffsetPosition> OffsetIndex::lastEntry() const {
  std::lock_guard lock(mutex_);
  if (entries_.empty()) return std::nullopt;
  return entries_.back();
}

size_t OffsetIndex::entryCount() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

Status OffsetIndex::persist() {
  std::lock_guard persist_lock(persist_mutex_);
  Bytes raw;
  size_t total;
  {
    std::lock_guard lock(mutex_);
    total = entries_.size();
    raw.resize((total - persisted_) * kEntrySize);
    for (size_t i = persisted_; i < total; ++i) {
      uint8_t* p = raw.data() + (i - persisted_) * kEntrySize;
      storeBe32(p, uint32_t(entries_[i].offset - base_offset_));
      storeBe32(p + 4, entries_[i].position);
    }
  }
  if (raw.empty()) return Status::ok();
  RUNNEL_RETURN_IF_ERROR(pwriteAll(fd_.get(), raw.data(), raw.size(), persisted_ * kEntrySize));
  persisted_ = total;
  return Status::ok();
}

Status OffsetIndex::sync() {
  RUNNEL_RETURN_IF_ERROR(persist());
  return syncFd(fd_.get());
}

Status OffsetIndex::remove() { return removeFile(path_); }

}  // namespace runnel::storage
