#pragma once

// The fixed 61-byte header of a Kafka record batch (magic v2), which is also the unit of
// storage: segments hold batches exactly as they travel on the wire. See
// docs/storage-format.md.

#include <cstdint>

#include "common/bytes.h"
#include "common/result.h"

namespace runnel::storage {

namespace batch_layout {
inline constexpr size_t kBaseOffset = 0;
inline constexpr size_t kBatchLength = 8;  // bytes after this field
inline constexpr size_t kPartitionLeaderEpoch = 12;
inline constexpr size_t kMagic = 16;
inline constexpr size_t kCrc = 17;
inline constexpr size_t kAttributes = 21;  // CRC-32C covers from here to the end
inline constexpr size_t kLastOffsetDelta = 23;
inline constexpr size_t kBaseTimestamp = 27;
inline constexpr size_t kMaxTimestamp = 35;
inline constexpr size_t kProducerId = 43;
inline constexpr size_t kProducerEpoch = 51;
inline constexpr size_t kBaseSequence = 53;
inline constexpr size_t kRecordCount = 57;
inline constexpr size_t kHeaderSize = 61;
// batchLength counts the bytes after the first 12 (base offset and the length itself).
inline constexpr size_t kLogOverhead = 12;
}  // namespace batch_layout

// Attribute bits.
inline constexpr uint16_t kCompressionMask = 0x07;
inline constexpr uint16_t kTimestampTypeLogAppend = 0x08;
inline constexpr uint16_t kTransactionalFlag = 0x10;
inline constexpr uint16_t kControlFlag = 0x20;

struct BatchHeader {
  int64_t base_offset = 0;
  int32_t batch_length = 0;
  int32_t partition_leader_epoch = 0;
  int8_t magic = 2;
  uint32_t crc = 0;
  uint16_t attributes = 0;
  int32_t last_offset_delta = 0;
  int64_t base_timestamp = 0;
  int64_t max_timestamp = 0;
  int64_t producer_id = -1;
  int16_t producer_epoch = -1;
  int32_t base_sequence = -1;
  int32_t record_count = 0;

  int64_t lastOffset() const { return base_offset + last_offset_delta; }
  int64_t nextOffset() const { return lastOffset() + 1; }
  // The whole batch on the wire, header included.
  size_t totalSize() const { return size_t(batch_length) + batch_layout::kLogOverhead; }
  int compression() const { return attributes & kCompressionMask; }
};

// Reads the header at the start of `data` (which must hold at least kHeaderSize bytes).
// Checks magic and that batch_length is plausible; does not check the CRC.
Result<BatchHeader> parseBatchHeader(ByteSpan data);
// Verifies the CRC-32C of one whole batch (`data` is exactly totalSize() bytes).
bool batchCrcMatches(ByteSpan batch);
// Recomputes and stores the CRC of one whole batch in place, after a header edit.
void updateBatchCrc(uint8_t* batch, size_t size);

}  // namespace runnel::storage
