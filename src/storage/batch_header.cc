#include "storage/batch_header.h"

#include <string>

#include "common/crc32c.h"

namespace runnel::storage {

using namespace batch_layout;

Result<BatchHeader> parseBatchHeader(ByteSpan data) {
  if (data.size() < kHeaderSize) return Status::corruption("record batch header is truncated");
  const uint8_t* p = data.data();
  BatchHeader h;
  h.base_offset = int64_t(loadBe64(p + kBaseOffset));
  h.batch_length = int32_t(loadBe32(p + kBatchLength));
  h.partition_leader_epoch = int32_t(loadBe32(p + kPartitionLeaderEpoch));
  h.magic = int8_t(p[kMagic]);
  h.crc = loadBe32(p + kCrc);
  h.attributes = loadBe16(p + kAttributes);
  h.last_offset_delta = int32_t(loadBe32(p + kLastOffsetDelta));
  h.base_timestamp = int64_t(loadBe64(p + kBaseTimestamp));
  h.max_timestamp = int64_t(loadBe64(p + kMaxTimestamp));
  h.producer_id = int64_t(loadBe64(p + kProducerId));
  h.producer_epoch = int16_t(loadBe16(p + kProducerEpoch));
  h.base_sequence = int32_t(loadBe32(p + kBaseSequence));
  h.record_count = int32_t(loadBe32(p + kRecordCount));
  if (h.magic != 2) {
    return Status::corruption("unsupported record batch magic " + std::to_string(int(h.magic)));
  }
  if (h.batch_length < int32_t(kHeaderSize - kLogOverhead)) {
    return Status::corruption("record batch length " + std::to_string(h.batch_length) + " is too small");
  }
  if (h.last_offset_delta < 0 || h.record_count < 0) {
    return Status::corruption("record batch has a negative offset delta or record count");
  }
  return h;
}

bool batchCrcMatches(ByteSpan batch) {
  if (batch.size() < kHeaderSize) return false;
  uint32_t stored = loadBe32(batch.data() + kCrc);
  return crc32c(batch.data() + kAttributes, batch.size() - kAttributes) == stored;
}

void updateBatchCrc(uint8_t* batch, size_t size) {
  storeBe32(batch + kCrc, crc32c(batch + kAttributes, size - kAttributes));
}

}  // namespace runnel::storage
