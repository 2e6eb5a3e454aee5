#pragma once

// The part that the offset index and the time index share: fixed-size big-endian entries
// of one segment, kept in memory (readers look up while the appender adds) and written to
// the file lazily, because the active segment's indexes are rebuilt from the .log on every
// open anyway; only a sealed segment's index must be complete on disk.
//
// `Codec` supplies `using Entry`, `kEntrySize`, `encode(uint8_t*, const Entry&, base)`,
// `decode(const uint8_t*, base) -> Entry` and `valid(const Entry* previous, const Entry&,
// limit) -> bool` (order and range checks for load).

#include <fcntl.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "storage/file_util.h"

namespace runnel::storage {

template <typename Codec>
class IndexFile {
 public:
  using Entry = typename Codec::Entry;

  IndexFile(std::filesystem::path path, int64_t base_offset, size_t max_entries)
      : path_(std::move(path)), base_offset_(base_offset), max_entries_(std::max<size_t>(max_entries, 2)) {}

  // Opens the file (creating it) and loads its entries. Corruption if the file is not a
  // whole number of entries or an entry fails Codec::valid against `limit`; the caller
  // then rebuilds it with reset() and appends.
  Status load(int64_t limit) {
    RUNNEL_ASSIGN_OR_RETURN(fd_, openFile(path_, O_RDWR | O_CREAT));
    RUNNEL_ASSIGN_OR_RETURN(uint64_t size, fileSize(fd_.get()));
    if (size % Codec::kEntrySize != 0) {
      return Status::corruption(path_.filename().string() + " has a partial entry");
    }
    Bytes raw(size);
    RUNNEL_ASSIGN_OR_RETURN(size_t n, preadAll(fd_.get(), raw.data(), raw.size(), 0));
    if (n != size) return Status::ioError(path_.string() + ": short read");
    std::vector<Entry> entries;
    entries.reserve(size / Codec::kEntrySize);
    for (size_t at = 0; at < size; at += Codec::kEntrySize) {
      Entry entry = Codec::decode(raw.data() + at, base_offset_);
      if (!Codec::valid(entries.empty() ? nullptr : &entries.back(), entry, base_offset_, limit)) {
        return Status::corruption(path_.filename().string() + " has an invalid entry at byte " +
                                  std::to_string(at));
      }
      entries.push_back(entry);
    }
    std::lock_guard lock(mutex_);
    entries_ = std::move(entries);
    persisted_ = entries_.size();
    return Status::ok();
  }

  // Opens the file and truncates it to empty.
  Status reset() {
    RUNNEL_ASSIGN_OR_RETURN(fd_, openFile(path_, O_RDWR | O_CREAT | O_TRUNC));
    std::lock_guard lock(mutex_);
    entries_.clear();
    persisted_ = 0;
    return Status::ok();
  }

  // Runs fn(entries) under the entries lock: for lookups and conditional appends.
  template <typename Fn>
  auto withEntries(Fn&& fn) const {
    std::lock_guard lock(mutex_);
    return fn(entries_);
  }
  template <typename Fn>
  auto withEntries(Fn&& fn) {
    std::lock_guard lock(mutex_);
    return fn(entries_);
  }

  std::optional<Entry> lastEntry() const {
    std::lock_guard lock(mutex_);
    if (entries_.empty()) return std::nullopt;
    return entries_.back();
  }
  size_t entryCount() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
  }
  bool isFull() const { return entryCount() + 1 >= max_entries_; }
  int64_t baseOffset() const { return base_offset_; }

  // Writes the entries not yet on disk; sync() also fsyncs the file.
  Status persist() {
    std::lock_guard persist_lock(persist_mutex_);
    Bytes raw;
    size_t total;
    {
      std::lock_guard lock(mutex_);
      total = entries_.size();
      raw.resize((total - persisted_) * Codec::kEntrySize);
      for (size_t i = persisted_; i < total; ++i) {
        Codec::encode(raw.data() + (i - persisted_) * Codec::kEntrySize, entries_[i], base_offset_);
      }
    }
    if (raw.empty()) return Status::ok();
    RUNNEL_RETURN_IF_ERROR(pwriteAll(fd_.get(), raw.data(), raw.size(), persisted_ * Codec::kEntrySize));
    persisted_ = total;
    return Status::ok();
  }
  Status sync() {
    RUNNEL_RETURN_IF_ERROR(persist());
    return syncFd(fd_.get());
  }
  Status remove() { return removeFile(path_); }

 private:
  const std::filesystem::path path_;
  const int64_t base_offset_;
  const size_t max_entries_;
  mutable std::mutex mutex_;  // guards entries_
  std::vector<Entry> entries_;
  std::mutex persist_mutex_;  // one writer of the file at a time (flush vs roll)
  size_t persisted_ = 0;      // guarded by persist_mutex_
  UniqueFd fd_;
};

}  // namespace runnel::storage
