#include "protocol/record_batch.h"

#include <gtest/gtest.h>
#include <snappy.h>

#include <string>
#include <vector>

namespace runnel::protocol {
namespace {

using storage::BatchHeader;
namespace layout = storage::batch_layout;

struct Seen {
  int64_t offset;
  int64_t timestamp;
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::vector<std::pair<std::string, std::optional<std::string>>> headers;
};

std::optional<std::string> str(std::optional<ByteSpan> bytes) {
  if (!bytes) return std::nullopt;
  return std::string(asStringView(*bytes));
}

Result<std::vector<Seen>> readAll(ByteSpan data) {
  std::vector<Seen> out;
  Status status = forEachRecord(data, [&](const BatchHeader&, const RecordView& r) {
    Seen s{r.offset, r.timestamp, str(r.key), str(r.value), {}};
    for (const RecordHeader& h : r.headers) s.headers.emplace_back(std::string(h.key), str(h.value));
    out.push_back(std::move(s));
    return Status::ok();
  });
  if (!status.isOk()) return status;
  return out;
}

Bytes sampleBatch(Compression compression, int64_t base_offset = 0, int records = 50) {
  RecordBatchBuilder builder(compression, base_offset);
  RecordHeader headers[] = {{"trace", asBytes("abc")}, {"empty", std::nullopt}};
  for (int i = 0; i < records; ++i) {
    std::string value = "value-" + std::to_string(i) + std::string(size_t(i), 'v');
    if (i % 10 == 3) builder.add(1000 + i, std::nullopt, std::nullopt);
    else builder.add(1000 + i, asBytes("key-" + std::to_string(i)), asBytes(value), headers);
  }
  return builder.build();
}

void expectSample(const std::vector<Seen>& seen, int64_t base_offset, int records = 50) {
  ASSERT_EQ(seen.size(), size_t(records));
  for (int i = 0; i < records; ++i) {
    EXPECT_EQ(seen[i].offset, base_offset + i);
    EXPECT_EQ(seen[i].timestamp, 1000 + i);
    if (i % 10 == 3) {
      EXPECT_FALSE(seen[i].key);
      EXPECT_FALSE(seen[i].value);
      EXPECT_TRUE(seen[i].headers.empty());
    } else {
      EXPECT_EQ(seen[i].key, "key-" + std::to_string(i));
      EXPECT_EQ(seen[i].value, "value-" + std::to_string(i) + std::string(size_t(i), 'v'));
      ASSERT_EQ(seen[i].headers.size(), 2u);
      EXPECT_EQ(seen[i].headers[0].first, "trace");
      EXPECT_EQ(seen[i].headers[0].second, "abc");
      EXPECT_EQ(seen[i].headers[1].first, "empty");
      EXPECT_FALSE(seen[i].headers[1].second);
    }
  }
}

class EveryCodec : public ::testing::TestWithParam<Compression> {};

TEST_P(EveryCodec, BuildValidateIterate) {
  Bytes batch = sampleBatch(GetParam(), 100);
  auto header = storage::parseBatchHeader(batch);
  ASSERT_TRUE(header.isOk());
  EXPECT_EQ(header->compression(), int(GetParam()));
  EXPECT_EQ(header->record_count, 50);
  EXPECT_EQ(header->last_offset_delta, 49);
  EXPECT_EQ(header->base_timestamp, 1000);
  EXPECT_EQ(header->max_timestamp, 1049);
  EXPECT_EQ(header->totalSize(), batch.size());
  int32_t count = 0;
  ASSERT_TRUE(validateBatches(batch, &count).isOk());
  EXPECT_EQ(count, 50);
  auto seen = readAll(batch);
  ASSERT_TRUE(seen.isOk()) << seen.status().toString();
  expectSample(*seen, 100);
}

TEST_P(EveryCodec, ConsecutiveBatchesAndPartialTail) {
  Bytes data = sampleBatch(GetParam(), 0);
  Bytes second = sampleBatch(GetParam(), 50);
  data.insert(data.end(), second.begin(), second.end());
  int32_t count = 0;
  ASSERT_TRUE(validateBatches(data, &count).isOk());
  EXPECT_EQ(count, 100);
  // A fetch response may end in the middle of a batch: readers skip the tail,
  // the produce path rejects it.
  Bytes third = sampleBatch(GetParam(), 100);
  data.insert(data.end(), third.begin(), third.begin() + long(third.size() / 2));
  EXPECT_FALSE(validateBatches(data, &count).isOk());
  auto seen = readAll(data);
  ASSERT_TRUE(seen.isOk()) << seen.status().toString();
  ASSERT_EQ(seen->size(), 100u);
  EXPECT_EQ(seen->back().offset, 99);
}

TEST_P(EveryCodec, CorruptPayloadIsDetected) {
  Bytes batch = sampleBatch(GetParam());
  batch[batch.size() - 5] ^= 0x40;
  EXPECT_EQ(validateBatches(batch, nullptr).code(), Status::Code::kCorruption);
  EXPECT_EQ(readAll(batch).status().code(), Status::Code::kCorruption);
  // With the CRC patched, the damage reaches the codec or the record parser, which
  // must report it rather than misread.
  storage::updateBatchCrc(batch.data(), batch.size());
  auto seen = readAll(batch);
  if (seen.isOk()) {
    EXPECT_EQ(seen->size(), 50u);  // the flipped bit was inside a value
  }
}

INSTANTIATE_TEST_SUITE_P(Codecs, EveryCodec,
                         ::testing::Values(Compression::kNone, Compression::kGzip, Compression::kSnappy,
                                           Compression::kLz4, Compression::kZstd),
                         [](const auto& info) { return std::string(compressionName(info.param)); });

TEST(RecordBatch, ParseCompressionNames) {
  EXPECT_EQ(*parseCompression("zstd"), Compression::kZstd);
  EXPECT_EQ(*parseCompression("none"), Compression::kNone);
  EXPECT_FALSE(parseCompression("brotli").isOk());
}

TEST(RecordBatch, XerialFramedSnappyDecodes) {
  Bytes plain = sampleBatch(Compression::kNone, 7);
  ByteSpan records = ByteSpan(plain).subspan(layout::kHeaderSize);
  Bytes payload = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1};
  size_t half = records.size() / 2;
  for (ByteSpan chunk : {records.first(half), records.subspan(half)}) {
    std::string compressed;
    snappy::Compress(reinterpret_cast<const char*>(chunk.data()), chunk.size(), &compressed);
    ByteWriter w(payload);
    w.be32(uint32_t(compressed.size()));
    w.raw(compressed);
  }
  Bytes batch(plain.begin(), plain.begin() + layout::kHeaderSize);
  batch.insert(batch.end(), payload.begin(), payload.end());
  storeBe32(batch.data() + layout::kBatchLength, uint32_t(batch.size() - layout::kLogOverhead));
  storeBe16(batch.data() + layout::kAttributes, uint16_t(Compression::kSnappy));
  storage::updateBatchCrc(batch.data(), batch.size());
  auto seen = readAll(batch);
  ASSERT_TRUE(seen.isOk()) << seen.status().toString();
  expectSample(*seen, 7);
}

TEST(RecordBatch, TruncatedAndMalformedInputs) {
  Bytes batch = sampleBatch(Compression::kNone);
  // Every prefix: the produce check rejects it, the reader ignores the partial batch.
  for (size_t n = 1; n < batch.size(); n += 7) {
    ByteSpan prefix = ByteSpan(batch).first(n);
    EXPECT_FALSE(validateBatches(prefix, nullptr).isOk()) << n;
    auto seen = readAll(prefix);
    ASSERT_TRUE(seen.isOk()) << n;
    EXPECT_TRUE(seen->empty());
  }
  Bytes bad_magic = batch;
  bad_magic[layout::kMagic] = 1;
  EXPECT_FALSE(validateBatches(bad_magic, nullptr).isOk());
  EXPECT_FALSE(readAll(bad_magic).isOk());

  Bytes wrong_count = batch;
  storeBe32(wrong_count.data() + layout::kRecordCount, 51);
  storage::updateBatchCrc(wrong_count.data(), wrong_count.size());
  EXPECT_TRUE(validateBatches(wrong_count, nullptr).isOk());  // cheap check: header only
  EXPECT_EQ(readAll(wrong_count).status().code(), Status::Code::kCorruption);

  Bytes unknown_codec = batch;
  storeBe16(unknown_codec.data() + layout::kAttributes, 6);
  storage::updateBatchCrc(unknown_codec.data(), unknown_codec.size());
  EXPECT_FALSE(validateBatches(unknown_codec, nullptr).isOk());
  EXPECT_FALSE(readAll(unknown_codec).isOk());

  // A compressed batch whose payload is cut short, with a valid CRC.
  for (Compression c : {Compression::kGzip, Compression::kSnappy, Compression::kLz4, Compression::kZstd}) {
    Bytes compressed = sampleBatch(c);
    compressed.resize(compressed.size() - 10);
    storeBe32(compressed.data() + layout::kBatchLength, uint32_t(compressed.size() - layout::kLogOverhead));
    storage::updateBatchCrc(compressed.data(), compressed.size());
    EXPECT_EQ(readAll(compressed).status().code(), Status::Code::kCorruption) << compressionName(c);
  }
}

TEST(RecordBatch, ProducerFieldsAndLogAppendTime) {
  RecordBatchBuilder builder(Compression::kNone, 0);
  builder.setProducerId(4242);
  builder.setProducerEpoch(3);
  builder.setBaseSequence(17);
  builder.setTransactional(true);
  builder.add(10, std::nullopt, asBytes("a"));
  builder.add(30, std::nullopt, asBytes("b"));
  builder.add(20, std::nullopt, asBytes("c"));
  Bytes batch = builder.build();
  auto header = storage::parseBatchHeader(batch);
  ASSERT_TRUE(header.isOk());
  EXPECT_EQ(header->producer_id, 4242);
  EXPECT_EQ(header->producer_epoch, 3);
  EXPECT_EQ(header->base_sequence, 17);
  EXPECT_TRUE(header->attributes & storage::kTransactionalFlag);
  EXPECT_EQ(header->max_timestamp, 30);
  // With LogAppendTime every record reports the batch's max timestamp.
  storeBe16(batch.data() + layout::kAttributes, header->attributes | storage::kTimestampTypeLogAppend);
  storeBe64(batch.data() + layout::kMaxTimestamp, 99);
  storage::updateBatchCrc(batch.data(), batch.size());
  auto seen = readAll(batch);
  ASSERT_TRUE(seen.isOk());
  for (const Seen& s : *seen) EXPECT_EQ(s.timestamp, 99);
}

TEST(RecordBatch, ResetReusesTheBuilder) {
  RecordBatchBuilder builder(Compression::kLz4, 0);
  builder.add(1, std::nullopt, asBytes("first"));
  Bytes out;
  ASSERT_TRUE(builder.appendTo(out).isOk());
  builder.reset(1);
  EXPECT_TRUE(builder.empty());
  builder.add(2, std::nullopt, asBytes("second"));
  ASSERT_TRUE(builder.appendTo(out).isOk());
  auto seen = readAll(out);
  ASSERT_TRUE(seen.isOk());
  ASSERT_EQ(seen->size(), 2u);
  EXPECT_EQ((*seen)[1].offset, 1);
  EXPECT_EQ((*seen)[1].value, "second");
}

TEST(RecordBatch, NestedIterationKeepsOuterViews) {
  Bytes outer = sampleBatch(Compression::kZstd, 0, 3);
  Bytes inner = sampleBatch(Compression::kZstd, 10, 5);
  int inner_count = 0;
  Status status = forEachRecord(outer, [&](const BatchHeader&, const RecordView& r) {
    std::optional<std::string> before = str(r.value);
    RUNNEL_RETURN_IF_ERROR(forEachRecord(inner, [&](const BatchHeader&, const RecordView&) {
      ++inner_count;
      return Status::ok();
    }));
    EXPECT_EQ(str(r.value), before);
    return Status::ok();
  });
  EXPECT_TRUE(status.isOk());
  EXPECT_EQ(inner_count, 15);
}

TEST(RecordBatch, CallbackErrorStopsTheWalk) {
  Bytes batch = sampleBatch(Compression::kNone);
  int calls = 0;
  Status status = forEachRecord(batch, [&](const BatchHeader&, const RecordView&) {
    return ++calls == 3 ? Status::internal("stop") : Status::ok();
  });
  EXPECT_EQ(status.message(), "stop");
  EXPECT_EQ(calls, 3);
}

}  // namespace
}  // namespace runnel::protocol
