#pragma once

// The sparse offset index of one segment (<base>.index): entries of (offset relative to the
// segment's base: int32, byte position in the .log: int32), big-endian, 8 bytes each, in
// increasing order. See docs/storage-format.md.

#include <cstdint>
#include <filesystem>
#include <optional>

#include "storage/index_file.h"

namespace runnel::storage {

struct OffsetPosition {
  int64_t offset;
  uint32_t position;
};

struct OffsetIndexCodec {
  using Entry = OffsetPosition;
  static constexpr size_t kEntrySize = 8;

  static void encode(uint8_t* p, const Entry& e, int64_t base) {
    storeBe32(p, uint32_t(e.offset - base));
    storeBe32(p + 4, e.position);
  }
  static Entry decode(const uint8_t* p, int64_t base) { return {base + int32_t(loadBe32(p)), loadBe32(p + 4)}; }
  // `limit` is the size of the .log: every position must point inside it.
  static bool valid(const Entry* previous, const Entry& e, int64_t base, int64_t limit) {
    bool ordered = !previous || (e.offset > previous->offset && e.position > previous->position);
    return e.offset >= base && int32_t(e.position) >= 0 && int64_t(e.position) < limit && ordered;
  }
};

class OffsetIndex {
 public:
  static constexpr size_t kEntrySize = OffsetIndexCodec::kEntrySize;

  OffsetIndex(std::filesystem::path path, int64_t base_offset, size_t max_entries)
      : file_(std::move(path), base_offset, max_entries) {}

  // Loads the file; Corruption if partial, out of order, or pointing at or past `log_size`.
  Status load(uint64_t log_size) { return file_.load(int64_t(log_size)); }
  Status reset() { return file_.reset(); }
  // Adds an entry in memory. Offsets and positions must increase. Caller serializes appends.
  void append(int64_t offset, uint32_t position) {
    file_.withEntries([&](std::vector<OffsetPosition>& entries) { entries.push_back({offset, position}); });
  }
  // The entry with the largest offset <= `offset`, or (base offset, 0) if there is none.
  OffsetPosition lookup(int64_t offset) const;
  std::optional<OffsetPosition> lastEntry() const { return file_.lastEntry(); }
  size_t entryCount() const { return file_.entryCount(); }
  bool isFull() const { return file_.isFull(); }
  Status persist() { return file_.persist(); }
  Status sync() { return file_.sync(); }
  Status remove() { return file_.remove(); }

 private:
  IndexFile<OffsetIndexCodec> file_;
};

}  // namespace runnel::storage
