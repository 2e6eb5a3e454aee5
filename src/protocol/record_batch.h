#pragma once

// Kafka record batches (magic v2), the payload of Produce requests, Fetch responses and
// log segments. A batch is a 61-byte header (storage/batch_header.h) followed by its
// records, compressed as a whole when the attributes name a codec:
//
//   record := length:varint attributes:int8 timestampDelta:varlong offsetDelta:varint
//             keyLength:varint key valueLength:varint value headerCount:varint header*
//   header := keyLength:varint key valueLength:varint value     (length -1 means null)
//
// See docs/protocol.md.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/compression.h"
#include "storage/batch_header.h"

namespace runnel::protocol {

struct RecordHeader {
  std::string_view key;
  std::optional<ByteSpan> value;
};

// One record as seen during iteration. Every view points into the input or into the
// reader's decompression buffer and is valid only during the callback.
struct RecordView {
  int64_t offset = 0;
  int64_t timestamp = 0;
  std::optional<ByteSpan> key;
  std::optional<ByteSpan> value;
  std::span<const RecordHeader> headers;
};

// Builds one batch. Records are encoded as they are added into an internal buffer that
// is kept across reset(), so a long-lived builder allocates only while it grows.
class RecordBatchBuilder {
 public:
  explicit RecordBatchBuilder(Compression compression = Compression::kNone, int64_t base_offset = 0);

  void setProducerId(int64_t producer_id) { producer_id_ = producer_id; }
  void setProducerEpoch(int16_t producer_epoch) { producer_epoch_ = producer_epoch; }
  void setBaseSequence(int32_t base_sequence) { base_sequence_ = base_sequence; }
  void setTransactional(bool transactional) { transactional_ = transactional; }
  void setPartitionLeaderEpoch(int32_t epoch) { partition_leader_epoch_ = epoch; }

  // The first record's timestamp becomes the batch's base timestamp.
  void add(int64_t timestamp, std::optional<ByteSpan> key, std::optional<ByteSpan> value,
           std::span<const RecordHeader> headers = {});
  // For rewriting a batch with records removed (log compaction): the record keeps its
  // offset, which must be above the previous one's, so a batch may have offset gaps.
  void addWithOffset(int64_t offset, int64_t timestamp, std::optional<ByteSpan> key, std::optional<ByteSpan> value,
                     std::span<const RecordHeader> headers = {});
  // Keeps a rewritten batch's original last offset (and so its producer's last sequence)
  // when its last records were removed, as Kafka does.
  void setLastOffset(int64_t last_offset) { last_offset_delta_ = int32_t(last_offset - base_offset_); }
  // Marks the batch LogAppendTime with this append time as its max timestamp.
  void setLogAppendTime(int64_t append_time) { log_append_time_ = append_time; }

  int32_t recordCount() const { return record_count_; }
  bool empty() const { return record_count_ == 0; }
  // Uncompressed size of the batch built so far.
  size_t sizeInBytes() const { return storage::batch_layout::kHeaderSize + records_.size(); }

  // One whole batch, CRC included. The builder keeps its records: call reset() to
  // start the next batch.
  Bytes build();
  // Same, appended to `out` (which may already hold other batches).
  Status appendTo(Bytes& out);
  // Drops the records, keeps the buffers, the codec and the producer fields.
  void reset(int64_t base_offset = 0);

 private:
  Compression compression_;
  int64_t base_offset_;
  int64_t producer_id_ = -1;
  int16_t producer_epoch_ = -1;
  int32_t base_sequence_ = -1;
  int32_t partition_leader_epoch_ = -1;
  bool transactional_ = false;
  int32_t record_count_ = 0;
  int32_t last_offset_delta_ = 0;
  int64_t log_append_time_ = -1;
  int64_t base_timestamp_ = 0;
  int64_t max_timestamp_ = -1;
  Bytes records_;
};

// Walks the batches in `data` one by one, without looking at the records. A trailing
// partial batch (as a Fetch response may end with) is skipped silently; a header that
// is not a magic-2 batch is corruption. `fn` receives the header and the whole batch.
Status forEachBatch(ByteSpan data,
                    const std::function<Status(const storage::BatchHeader&, ByteSpan batch)>& fn);

// The produce-path check: every batch is magic 2, its length is consistent, its CRC
// matches, and no bytes trail the last one. Does not decompress. On success
// `*record_count` (if not null) holds the sum of the batches' record counts.
Status validateBatches(ByteSpan data, int32_t* record_count);

// Reads records out of batches, reusing its decompression and header buffers across
// batches and calls. One reader per thread.
class RecordReader {
 public:
  // Checks each batch's CRC, decompresses it and calls fn(header, record) per record,
  // control records included (header.attributes has storage::kControlFlag). A trailing
  // partial batch is ignored; anything malformed is Status::corruption. A non-OK status
  // from fn stops the walk and is returned.
  template <typename Fn>
  Status forEachRecord(ByteSpan data, Fn&& fn);

 private:
  // Verifies one batch and returns its (decompressed) record bytes.
  Result<ByteSpan> openBatch(const storage::BatchHeader& header, ByteSpan batch);
  // Parses the record at the front of `in` into `record`.
  Status readRecord(const storage::BatchHeader& header, ByteReader& in, RecordView& record);

  Bytes decompressed_;
  std::vector<RecordHeader> headers_;
};

// Convenience wrapper over a RecordReader kept per thread.
Status forEachRecord(ByteSpan data,
                     const std::function<Status(const storage::BatchHeader&, const RecordView&)>& fn);

template <typename Fn>
Status RecordReader::forEachRecord(ByteSpan data, Fn&& fn) {
  return forEachBatch(data, [&](const storage::BatchHeader& header, ByteSpan batch) -> Status {
    RUNNEL_ASSIGN_OR_RETURN(ByteSpan records, openBatch(header, batch));
    ByteReader in(records);
    RecordView record;
    for (int32_t i = 0; i < header.record_count; ++i) {
      RUNNEL_RETURN_IF_ERROR(readRecord(header, in, record));
      RUNNEL_RETURN_IF_ERROR(fn(header, static_cast<const RecordView&>(record)));
    }
    if (!in.atEnd()) return Status::corruption("record batch has bytes after its last record");
    return Status::ok();
  });
}

}  // namespace runnel::protocol
