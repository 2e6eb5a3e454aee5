// Fuzzes record batch parsing: the produce-path check (validateBatches) and the full
// walk with CRC check, decompression and record parsing (forEachRecord). Every byte the
// views point at is read so that the sanitizers see any out-of-bounds view.

#include <cstdint>
#include <cstdlib>

#include "protocol/record_batch.h"

using namespace runnel;
using namespace runnel::protocol;

namespace {

uint64_t touch(std::optional<ByteSpan> bytes) {
  uint64_t sum = 0;
  if (bytes) {
    for (uint8_t b : *bytes) sum += b;
  }
  return sum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ByteSpan input(data, size);
  int32_t count = -1;
  if (validateBatches(input, &count).isOk() && count < 0) std::abort();

  // The CRC rejects almost every mutation, so also walk a copy with CRCs repaired to
  // reach the decompressors and the record parser.
  Bytes repaired(input.begin(), input.end());
  size_t pos = 0;
  while (repaired.size() - pos >= storage::batch_layout::kHeaderSize) {
    auto header = storage::parseBatchHeader(ByteSpan(repaired).subspan(pos));
    if (!header.isOk() || header->totalSize() > repaired.size() - pos) break;
    storage::updateBatchCrc(repaired.data() + pos, header->totalSize());
    pos += header->totalSize();
  }

  volatile uint64_t sink = 0;
  for (ByteSpan batches : {input, ByteSpan(repaired)}) {
    (void)forEachRecord(batches, [&](const storage::BatchHeader&, const RecordView& record) {
      uint64_t sum = touch(record.key) + touch(record.value) + uint64_t(record.offset);
      for (const RecordHeader& h : record.headers) sum += touch(asBytes(h.key)) + touch(h.value);
      sink = sink + sum;
      return Status::ok();
    });
  }
  return 0;
}
