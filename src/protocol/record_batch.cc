#include "protocol/record_batch.h"

#include <algorithm>
#include <climits>
#include <string>

namespace runnel::protocol {

using namespace storage::batch_layout;

namespace {

size_t varintSize(int64_t value) {
  uint64_t v = zigzagEncode(value);
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

size_t lengthPrefixedSize(std::optional<ByteSpan> bytes) {
  return bytes ? varintSize(int64_t(bytes->size())) + bytes->size() : varintSize(-1);
}

void writeLengthPrefixed(ByteWriter& w, std::optional<ByteSpan> bytes) {
  if (!bytes) {
    w.varint(-1);
    return;
  }
  w.varint(int64_t(bytes->size()));
  w.raw(*bytes);
}

// Offsets and timestamps in a corrupt batch can be anything; wrap instead of overflowing.
int64_t wrappingAdd(int64_t a, int64_t b) { return int64_t(uint64_t(a) + uint64_t(b)); }

// Reads a varint length: -1 (null) or a length that fits in what is left of `in`.
bool readLength(ByteReader& in, int64_t& length) {
  length = in.varint();
  return in.ok() && length >= -1 && (length < 0 || uint64_t(length) <= in.remaining());
}

std::optional<ByteSpan> readNullableBytes(ByteReader& in, int64_t length) {
  if (length < 0) return std::nullopt;
  return in.bytes(size_t(length));
}

}  // namespace

RecordBatchBuilder::RecordBatchBuilder(Compression compression, int64_t base_offset)
    : compression_(compression), base_offset_(base_offset) {}

void RecordBatchBuilder::add(int64_t timestamp, std::optional<ByteSpan> key,
                             std::optional<ByteSpan> value, std::span<const RecordHeader> headers) {
  addWithOffset(base_offset_ + record_count_, timestamp, key, value, headers);
}

void RecordBatchBuilder::addWithOffset(int64_t offset, int64_t timestamp, std::optional<ByteSpan> key,
                                       std::optional<ByteSpan> value, std::span<const RecordHeader> headers) {
  if (record_count_ == 0) base_timestamp_ = timestamp;
  max_timestamp_ = std::max(max_timestamp_, timestamp);
  int64_t timestamp_delta = timestamp - base_timestamp_;
  int64_t offset_delta = offset - base_offset_;
  last_offset_delta_ = int32_t(offset_delta);

  // The length prefix comes first, so the body's size is computed before writing it.
  size_t body = 1 + varintSize(timestamp_delta) + varintSize(offset_delta) + lengthPrefixedSize(key) +
                lengthPrefixedSize(value) + varintSize(int64_t(headers.size()));
  for (const RecordHeader& h : headers) {
    body += lengthPrefixedSize(asBytes(h.key)) + lengthPrefixedSize(h.value);
  }

  ByteWriter w(records_);
  w.varint(int64_t(body));
  w.u8(0);  // record attributes: unused
  w.varint(timestamp_delta);
  w.varint(offset_delta);
  writeLengthPrefixed(w, key);
  writeLengthPrefixed(w, value);
  w.varint(int64_t(headers.size()));
  for (const RecordHeader& h : headers) {
    writeLengthPrefixed(w, asBytes(h.key));
    writeLengthPrefixed(w, h.value);
  }
  ++record_count_;
}

Bytes RecordBatchBuilder::build() {
  Bytes out;
  Status status = appendTo(out);
  // Compression of in-memory data fails only when a codec cannot allocate its state.
  if (!status.isOk()) out.clear();
  return out;
}

Status RecordBatchBuilder::appendTo(Bytes& out) {
  size_t start = out.size();
  out.resize(start + kHeaderSize);
  if (compression_ == Compression::kNone) {
    out.insert(out.end(), records_.begin(), records_.end());
  } else {
    Status status = compress(compression_, records_, out);
    if (!status.isOk()) {
      out.resize(start);
      return status;
    }
  }
  uint8_t* p = out.data() + start;
  size_t total = out.size() - start;
  uint16_t attributes = uint16_t(compression_);
  if (transactional_) attributes |= storage::kTransactionalFlag;
  if (log_append_time_ >= 0) attributes |= storage::kTimestampTypeLogAppend;
  storeBe64(p + kBaseOffset, uint64_t(base_offset_));
  storeBe32(p + kBatchLength, uint32_t(total - kLogOverhead));
  storeBe32(p + kPartitionLeaderEpoch, uint32_t(partition_leader_epoch_));
  p[kMagic] = 2;
  storeBe16(p + kAttributes, attributes);
  storeBe32(p + kLastOffsetDelta, uint32_t(std::max(last_offset_delta_, 0)));
  storeBe64(p + kBaseTimestamp, uint64_t(record_count_ ? base_timestamp_ : -1));
  storeBe64(p + kMaxTimestamp, uint64_t(log_append_time_ >= 0 ? log_append_time_ : max_timestamp_));
  storeBe64(p + kProducerId, uint64_t(producer_id_));
  storeBe16(p + kProducerEpoch, uint16_t(producer_epoch_));
  storeBe32(p + kBaseSequence, uint32_t(base_sequence_));
  storeBe32(p + kRecordCount, uint32_t(record_count_));
  storage::updateBatchCrc(p, total);
  return Status::ok();
}

void RecordBatchBuilder::reset(int64_t base_offset) {
  base_offset_ = base_offset;
  record_count_ = 0;
  last_offset_delta_ = 0;
  log_append_time_ = -1;
  base_timestamp_ = 0;
  max_timestamp_ = -1;
  records_.clear();
}

Status forEachBatch(ByteSpan data,
                    const std::function<Status(const storage::BatchHeader&, ByteSpan batch)>& fn) {
  size_t pos = 0;
  while (data.size() - pos >= kHeaderSize) {
    ByteSpan rest = data.subspan(pos);
    RUNNEL_ASSIGN_OR_RETURN(storage::BatchHeader header, storage::parseBatchHeader(rest));
    if (header.totalSize() > rest.size()) break;  // partial batch at the end
    RUNNEL_RETURN_IF_ERROR(fn(header, rest.first(header.totalSize())));
    pos += header.totalSize();
  }
  return Status::ok();
}

Status validateBatches(ByteSpan data, int32_t* record_count) {
  int64_t records = 0;
  size_t pos = 0;
  int index = 0;
  // Messages are built only on failure: this runs for every produced batch.
  auto fail = [&](const std::string& what) {
    return Status::corruption("record batch " + std::to_string(index) + " " + what);
  };
  while (pos < data.size()) {
    ByteSpan rest = data.subspan(pos);
    if (rest.size() < kHeaderSize) {
      return fail("is truncated: " + std::to_string(rest.size()) + " trailing bytes");
    }
    auto header = storage::parseBatchHeader(rest);
    if (!header.isOk()) return fail("is malformed: " + header.status().message());
    if (header->totalSize() > rest.size()) {
      return fail("claims " + std::to_string(header->totalSize()) + " bytes but only " +
                  std::to_string(rest.size()) + " remain");
    }
    if (!isKnownCompression(header->compression())) {
      return fail("uses unknown compression codec " + std::to_string(header->compression()));
    }
    if (!storage::batchCrcMatches(rest.first(header->totalSize()))) return fail("fails its CRC check");
    records += header->record_count;
    if (records > INT32_MAX) return Status::corruption("record batches hold more than 2^31 records");
    pos += header->totalSize();
    ++index;
  }
  if (record_count) *record_count = int32_t(records);
  return Status::ok();
}

Result<ByteSpan> RecordReader::openBatch(const storage::BatchHeader& header, ByteSpan batch) {
  if (!storage::batchCrcMatches(batch)) {
    return Status::corruption("record batch at offset " + std::to_string(header.base_offset) +
                              " fails its CRC check");
  }
  ByteSpan records = batch.subspan(kHeaderSize);
  int codec = header.compression();
  if (codec == int(Compression::kNone)) return records;
  if (!isKnownCompression(codec)) {
    return Status::corruption("record batch uses unknown compression codec " + std::to_string(codec));
  }
  Status status = decompress(Compression(codec), records, decompressed_);
  if (!status.isOk()) {
    return Status::corruption("record batch at offset " + std::to_string(header.base_offset) + ": " +
                              status.message());
  }
  return ByteSpan(decompressed_);
}

Status RecordReader::readRecord(const storage::BatchHeader& header, ByteReader& in, RecordView& record) {
  int64_t length = in.varint();
  if (!in.ok() || length < 0 || uint64_t(length) > in.remaining()) {
    return Status::corruption("record length runs past the end of its batch");
  }
  size_t start = in.position();
  in.u8();  // attributes
  int64_t timestamp_delta = in.varint();
  int64_t offset_delta = in.varint();
  int64_t key_length = 0;
  if (!readLength(in, key_length)) return Status::corruption("record key length is invalid");
  record.key = readNullableBytes(in, key_length);
  int64_t value_length = 0;
  if (!readLength(in, value_length)) return Status::corruption("record value length is invalid");
  record.value = readNullableBytes(in, value_length);
  int64_t header_count = in.varint();
  if (!in.ok() || header_count < 0 || uint64_t(header_count) > in.remaining()) {
    return Status::corruption("record header count is invalid");
  }
  headers_.clear();
  for (int64_t i = 0; i < header_count; ++i) {
    int64_t key_size = 0;
    if (!readLength(in, key_size) || key_size < 0) return Status::corruption("record header key is invalid");
    std::string_view key = asStringView(in.bytes(size_t(key_size)));
    int64_t value_size = 0;
    if (!readLength(in, value_size)) return Status::corruption("record header value is invalid");
    headers_.push_back(RecordHeader{key, readNullableBytes(in, value_size)});
  }
  if (!in.ok() || in.position() - start != uint64_t(length)) {
    return Status::corruption("record length does not match its contents");
  }
  record.offset = wrappingAdd(header.base_offset, offset_delta);
  record.timestamp = (header.attributes & storage::kTimestampTypeLogAppend)
                         ? header.max_timestamp
                         : wrappingAdd(header.base_timestamp, timestamp_delta);
  record.headers = headers_;
  return Status::ok();
}

Status forEachRecord(ByteSpan data,
                     const std::function<Status(const storage::BatchHeader&, const RecordView&)>& fn) {
  // The per-thread reader keeps its buffers warm; a callback that iterates other batches
  // from inside gets a reader of its own so the outer views stay intact.
  thread_local RecordReader reader;
  thread_local bool busy = false;
  if (busy) return RecordReader().forEachRecord(data, fn);
  busy = true;
  Status status = reader.forEachRecord(data, fn);
  busy = false;
  return status;
}

}  // namespace runnel::protocol
