#pragma once

// The sparse offset index of one segment (<base>.index): entries of (offset relative to the
// segment's base: int32, byte position in the .log: int32), big-endian, 8 bytes each, in
// increasing order. See docs/storage-format.md.
//
// Entries live in memory and are written to the file lazily (persist), because the index of
// the active segment is rebuilt from the .log on every open anyway; only a sealed segment's
// index must be complete on disk, and rolling persists and fsyncs it.

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <vector>

#include "common/result.h"
#include "storage/file_util.h"

namespace runnel::storage {

struct OffsetPosition {
  int64_t offset;
  uint32_t position;
};

class OffsetIndex {
 public:
  static constexpr size_t kEntrySize = 8;

  OffsetIndex(std::filesystem::path path, int64_t base_offset, size_t max_entries);

  // Opens the file (creating it) and loads its entries. Corruption if the file is not a
  // whole number of entries, is out of order, or points at or past `log_size`; the caller
  // then rebuilds it with reset() and append().
  Status load(uint64_t log_size);
  // Opens the file and truncates it to empty.
  Status reset();

  // Adds an entry in memory. Offsets and positions must increase. Caller serializes appends.
  void append(int64_t offset, uint32_t position);
  // The entry with the largest offset <= `offset`, or (base offset, 0) if there is none.
  OffsetPosition lookup(int64_t offset) const;
  std::optional<OffsetPosition> lastEntry() const;
  size_t entryCount() const;
  bool isFull() const { return entryCount() + 1 >= max_entries_; }

  // Writes entries not yet on disk; sync() also fsyncs the file.
  Status persist();
  Status sync();
  Status remove();

 private:
  const std::filesystem::path path_;
  const int64_t base_offset_;
  const size_t max_entries_;
  mutable std::mutex mutex_;  // guards entries_ (readers look up while the appender adds)
  std::vector<OffsetPosition> entries_;
  std::mutex persist_mutex_;  // one writer of the file at a time (flush vs roll)
  size_t persisted_ = 0;      // guarded by persist_mutex_
  UniqueFd fd_;
};

}  // namespace runnel::storage
