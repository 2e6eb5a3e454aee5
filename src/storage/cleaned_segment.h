#pragma once

// A replacement segment the log cleaner is writing: <base>.log.cleaned with its
// .index.cleaned and .timeindex.cleaned. Readers cannot see it until
// PartitionLog::replaceSegments swaps it in. See "Compaction" in docs/storage-format.md.

#include <cstdint>
#include <memory>

#include "common/bytes.h"
#include "common/status.h"

namespace runnel::storage {

class Segment;

class CleanedSegment {
 public:
  explicit CleanedSegment(std::shared_ptr<Segment> segment);
  ~CleanedSegment();
  CleanedSegment(const CleanedSegment&) = delete;
  CleanedSegment& operator=(const CleanedSegment&) = delete;

  // Appends whole v2 batches whose offsets are already assigned: increasing, at or after
  // the base offset and within 2^31 of it. Batches may have offset gaps and be empty.
  Status append(ByteSpan batches);

  int64_t baseOffset() const;
  uint64_t size() const;

 private:
  friend class PartitionLog;
  std::shared_ptr<Segment> segment_;
};

}  // namespace runnel::storage
