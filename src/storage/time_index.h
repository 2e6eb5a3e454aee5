#pragma once

// The time index of one segment (<base>.timeindex): entries of (timestamp: int64, offset
// relative to the segment's base: int32), big-endian, 12 bytes each. An entry (t, o) says
// that every batch before the batch starting at offset o has a max timestamp < t, and the
// batch at o reaches t. Timestamps strictly increase from entry to entry. Kept in memory and
// persisted lazily like OffsetIndex.

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <vector>

#include "common/result.h"
#include "storage/file_util.h"

namespace runnel::storage {

struct TimeEntry {
  int64_t timestamp;
  int64_t offset;
};

class TimeIndex {
 public:
  static constexpr size_t kEntrySize = 12;

  TimeIndex(std::filesystem::path path, int64_t base_offset, size_t max_entries);

  // Opens and loads the file; Corruption if partial, out of order, or an offset is at or
  // past `next_offset`.
  Status load(int64_t next_offset);
  Status reset();

  // Adds (timestamp, offset) if timestamp is greater than the last entry's.
  void maybeAppend(int64_t timestamp, int64_t offset);
  // The offset of the last entry whose timestamp < `timestamp`: no batch before it can hold
  // a record at or after `timestamp`. The base offset if there is none.
  int64_t lookup(int64_t timestamp) const;
  std::optional<TimeEntry> lastEntry() const;
  bool isFull() const;

  Status persist();
  Status sync();
  Status remove();

 private:
  const std::filesystem::path path_;
  const int64_t base_offset_;
  const size_t max_entries_;
  mutable std::mutex mutex_;
  std::vector<TimeEntry> entries_;
  std::mutex persist_mutex_;
  size_t persisted_ = 0;
  UniqueFd fd_;
};

}  // namespace runnel::storage
