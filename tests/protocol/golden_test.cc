// Request frames captured from librdkafka (see golden/README.md): they decode, re-encode
// byte for byte, and their record batches read back as the records that were produced.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "protocol/messages.h"
#include "protocol/record_batch.h"

namespace runnel::protocol {
namespace {

std::filesystem::path goldenDir() {
  const char* root = std::getenv("RUNNEL_SOURCE_DIR");
  return std::filesystem::path(root ? root : ".") / "tests/protocol/golden";
}

Bytes readHex(const std::filesystem::path& path) {
  std::ifstream in(path);
  Bytes out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    for (size_t i = 0; i + 1 < line.size(); i += 2) out.push_back(uint8_t(std::stoi(line.substr(i, 2), nullptr, 16)));
  }
  return out;
}

template <typename Msg>
Msg decodeAndReencode(const Bytes& frame) {
  size_t body_offset = 0;
  auto header = decodeRequestHeader(frame, body_offset);
  EXPECT_TRUE(header.isOk());
  EXPECT_EQ(header->api_key, int16_t(Msg::kApiKey));
  EXPECT_EQ(header->client_id, "runnel-golden");
  Msg msg;
  Status status = decodeBody(ByteSpan(frame).subspan(body_offset), header->api_version, msg);
  EXPECT_TRUE(status.isOk()) << status.toString();
  Bytes again;
  encodeRequestFrame(msg, header->api_version, header->correlation_id, header->client_id, again);
  EXPECT_EQ(Bytes(again.begin() + 4, again.end()), frame);
  return msg;
}

TEST(Golden, ApiVersionsV3) {
  Bytes frame = readHex(goldenDir() / "api_versions_v3.hex");
  ASSERT_FALSE(frame.empty());
  auto request = decodeAndReencode<ApiVersionsRequest>(frame);
  EXPECT_EQ(request.client_software_name, "librdkafka");
  EXPECT_FALSE(request.client_software_version.empty());
}

TEST(Golden, MetadataV4) {
  Bytes frame = readHex(goldenDir() / "metadata_v4.hex");
  ASSERT_FALSE(frame.empty());
  decodeAndReencode<MetadataRequest>(frame);
}

class GoldenProduce : public ::testing::TestWithParam<const char*> {};

TEST_P(GoldenProduce, DecodesReencodesAndReadsRecords) {
  std::string codec = GetParam();
  Bytes frame = readHex(goldenDir() / ("produce_v7_golden-" + codec + ".hex"));
  ASSERT_FALSE(frame.empty());
  auto request = decodeAndReencode<ProduceRequest>(frame);
  ASSERT_EQ(request.topic_data.size(), 1u);
  EXPECT_EQ(request.topic_data[0].name, "golden-" + codec);
  ASSERT_EQ(request.topic_data[0].partition_data.size(), 1u);
  ASSERT_TRUE(request.topic_data[0].partition_data[0].records);
  ByteSpan records = *request.topic_data[0].partition_data[0].records;

  int32_t count = 0;
  ASSERT_TRUE(validateBatches(records, &count).isOk());
  EXPECT_EQ(count, 3);
  int seen = 0;
  Status status = forEachRecord(records, [&](const storage::BatchHeader& header, const RecordView& r) {
    EXPECT_EQ(header.compression(), int(*parseCompression(codec)));
    EXPECT_EQ(r.offset, seen);
    EXPECT_EQ(r.timestamp, 1700000000000 + seen);
    EXPECT_EQ(asStringView(*r.key), "key-" + std::to_string(seen));
    EXPECT_EQ(asStringView(*r.value), "hello " + codec + " " + std::to_string(seen) + std::string(500, 'x'));
    EXPECT_EQ(r.headers.size(), 1u);
    ++seen;
    return Status::ok();
  });
  EXPECT_TRUE(status.isOk()) << status.toString();
  EXPECT_EQ(seen, 3);
}

INSTANTIATE_TEST_SUITE_P(Codecs, GoldenProduce, ::testing::Values("none", "gzip", "snappy", "lz4", "zstd"));

}  // namespace
}  // namespace runnel::protocol
