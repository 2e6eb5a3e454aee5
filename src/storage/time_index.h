#pragma once

// The time index of one segment (<base>.timeindex): entries of (timestamp: int64, offset
// relative to the segment's base: int32), big-endian, 12 bytes each. An entry (t, o) says
// that every batch before the batch starting at offset o has a max timestamp < t, and the
// batch at o reaches t. Timestamps strictly increase from entry to entry.

#include <cstdint>
#include <filesystem>
#include <optional>

#include "storage/index_file.h"

namespace runnel::storage {

struct TimeEntry {
  int64_t timestamp;
  int64_t offset;
};

struct TimeIndexCodec {
  using Entry = TimeEntry;
  static constexpr size_t kEntrySize = 12;

  static void encode(uint8_t* p, const Entry& e, int64_t base) {
    storeBe64(p, uint64_t(e.timestamp));
    storeBe32(p + 8, uint32_t(e.offset - base));
  }
  static Entry decode(const uint8_t* p, int64_t base) {
    return {int64_t(loadBe64(p)), base + int32_t(loadBe32(p + 8))};
  }
  // `limit` is the segment's next offset: every entry must point before it.
  static bool valid(const Entry* previous, const Entry& e, int64_t base, int64_t limit) {
    bool ordered = !previous || (e.timestamp > previous->timestamp && e.offset >= previous->offset);
    return e.offset >= base && e.offset < limit && ordered;
  }
};

class TimeIndex {
 public:
  static constexpr size_t kEntrySize = TimeIndexCodec::kEntrySize;

  TimeIndex(std::filesystem::path path, int64_t base_offset, size_t max_entries)
      : file_(std::move(path), base_offset, max_entries) {}

  // Loads the file; Corruption if partial, out of order, or an offset is at or past
  // `next_offset`.
  Status load(int64_t next_offset) { return file_.load(next_offset); }
  Status reset() { return file_.reset(); }
  // Adds (timestamp, offset) if timestamp is greater than the last entry's.
  void maybeAppend(int64_t timestamp, int64_t offset);
  // The offset of the last entry whose timestamp < `timestamp`: no batch before it can hold
  // a record at or after `timestamp`. The base offset if there is none.
  int64_t lookup(int64_t timestamp) const;
  std::optional<TimeEntry> lastEntry() const { return file_.lastEntry(); }
  bool isFull() const { return file_.isFull(); }
  Status persist() { return file_.persist(); }
  Status sync() { return file_.sync(); }
  Status remove() { return file_.remove(); }

 private:
  IndexFile<TimeIndexCodec> file_;
};

}  // namespace runnel::storage
