// Hand-assembled wire bytes for the encodings that are easy to get wrong: compact
// (flexible) strings and arrays, nulls, tagged fields, the v2 request header.

#include <gtest/gtest.h>

#include "protocol/messages.h"

namespace runnel::protocol {
namespace {

template <typename Msg>
Bytes encode(const Msg& msg, int16_t version) {
  Bytes out;
  Encoder(out, version, version >= Msg::kFirstFlexibleVersion).structure(msg);
  return out;
}

template <typename Msg>
Msg decode(const Bytes& bytes, int16_t version) {
  Msg msg;
  Status status = decodeBody(bytes, version, msg);
  EXPECT_TRUE(status.isOk()) << status.toString();
  return msg;
}

TEST(CodecVectors, CompactStringsAndTaggedFields) {
  ApiVersionsRequest request;
  request.client_software_name = "ab";
  request.client_software_version = "1";
  EXPECT_EQ(encode(request, 3), (Bytes{0x03, 'a', 'b', 0x02, '1', 0x00}));
  EXPECT_TRUE(encode(request, 2).empty());

  request.tagged_fields.push_back({5, {0xaa}});
  Bytes with_tag = {0x03, 'a', 'b', 0x02, '1', 0x01, 0x05, 0x01, 0xaa};
  EXPECT_EQ(encode(request, 3), with_tag);
  auto decoded = decode<ApiVersionsRequest>(with_tag, 3);
  ASSERT_EQ(decoded.tagged_fields.size(), 1u);
  EXPECT_EQ(decoded.tagged_fields[0].tag, 5u);
  EXPECT_EQ(decoded.tagged_fields[0].data, Bytes{0xaa});
}

TEST(CodecVectors, NullableArrayClassicAndCompact) {
  MetadataRequest request;  // topics null: every topic
  EXPECT_EQ(encode(request, 1), (Bytes{0xff, 0xff, 0xff, 0xff}));
  // v9: compact null array, allow_auto_topic_creation, the two authorized-operations
  // flags, then the empty tagged-field section.
  EXPECT_EQ(encode(request, 9), (Bytes{0x00, 0x01, 0x00, 0x00, 0x00}));
  EXPECT_FALSE(decode<MetadataRequest>({0x00, 0x01, 0x00, 0x00, 0x00}, 9).topics.has_value());

  request.topics.emplace();
  request.topics->push_back({{}, "t", {}});
  EXPECT_EQ(encode(request, 9), (Bytes{0x02, 0x02, 't', 0x00, 0x01, 0x00, 0x00, 0x00}));
  // v10 adds the topic id before the name.
  Bytes v10 = encode(request, 10);
  ASSERT_EQ(v10.size(), 24u);
  EXPECT_EQ(v10[0], 0x02);
  EXPECT_EQ(v10[17], 0x02);
}

TEST(CodecVectors, ProduceV3WithRecords) {
  ProduceRequest request;
  request.acks = 1;
  request.timeout_ms = 1000;
  ProduceRequest::TopicProduceData topic;
  topic.name = "t";
  static const uint8_t kRecords[] = {'x', 'y'};
  topic.partition_data.push_back({0, ByteSpan(kRecords), {}});
  request.topic_data.push_back(topic);
  Bytes expected = {0xff, 0xff,                                // transactional_id: null
                    0x00, 0x01, 0x00, 0x00, 0x03, 0xe8,        // acks, timeout_ms
                    0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 't',   // one topic "t"
                    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,  // one partition, index 0
                    0x00, 0x00, 0x00, 0x02, 'x', 'y'};         // records
  EXPECT_EQ(encode(request, 3), expected);
  auto decoded = decode<ProduceRequest>(expected, 3);
  ASSERT_EQ(decoded.topic_data.size(), 1u);
  ASSERT_TRUE(decoded.topic_data[0].partition_data[0].records);
  EXPECT_EQ(decoded.topic_data[0].partition_data[0].records->size(), 2u);
  // The records stay a view into the input: no copy on the produce path.
  EXPECT_EQ(decoded.topic_data[0].partition_data[0].records->data(), expected.data() + 27);
}

TEST(CodecVectors, FlexibleFetchResponseWithNullRecords) {
  FetchResponse response;
  FetchResponse::FetchableTopicResponse topic;
  topic.topic = "t";
  FetchResponse::PartitionData partition;
  partition.high_watermark = 5;
  topic.partitions.push_back(partition);
  response.responses.push_back(topic);
  Bytes bytes = encode(response, 12);
  Bytes expected = {0, 0, 0, 0,  0, 0,  0, 0, 0, 0,  // throttle, error, session
                    0x02, 0x02, 't', 0x02,         // one topic "t", one partition
                    0, 0, 0, 0,  0, 0,  0, 0, 0, 0, 0, 0, 0, 5,  // index, error, high watermark
                    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,  // last stable offset -1
                    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,  // log start offset -1
                    0x00,                    // aborted transactions: null
                    0xff, 0xff, 0xff, 0xff,  // preferred read replica -1
                    0x00,                    // records: null
                    0x00, 0x00, 0x00};       // tagged fields: partition, topic, response
  EXPECT_EQ(bytes, expected);
}

TEST(CodecVectors, RequestHeaderV2SkipsTaggedFields) {
  // ApiVersions v3: api key 18, version 3, correlation 7, client id "c", one header tag.
  Bytes frame = {0x00, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x07, 0x00, 0x01, 'c',
                 0x01, 0x00, 0x02, 0xbe, 0xef,            // tagged fields: tag 0, two bytes
                 0x03, 'a', 'b', 0x02, '1', 0x00};      // body
  size_t body_offset = 0;
  auto header = decodeRequestHeader(frame, body_offset);
  ASSERT_TRUE(header.isOk());
  EXPECT_EQ(header->correlation_id, 7);
  EXPECT_EQ(header->client_id, "c");
  EXPECT_EQ(body_offset, 16u);
  auto request = decode<ApiVersionsRequest>(Bytes(frame.begin() + 16, frame.end()), 3);
  EXPECT_EQ(request.client_software_name, "ab");
  // A version we do not serve gets the v1 header only, enough to answer with an error.
  frame[3] = 0x09;
  ASSERT_TRUE(decodeRequestHeader(frame, body_offset).isOk());
  EXPECT_EQ(body_offset, 11u);
}

TEST(CodecVectors, HostileLengthsFailWithoutAllocating) {
  // An array that claims 2^31-1 elements in a 6-byte body.
  Bytes huge_array = {0xff, 0xff, 0x00, 0x01, 0x7f, 0xff, 0xff, 0xff, 0x00, 0x00};
  ProduceRequest produce;
  EXPECT_FALSE(decodeBody(huge_array, 3, produce).isOk());
  // A compact string whose varint length never terminates.
  Bytes endless = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  ApiVersionsRequest versions;
  EXPECT_FALSE(decodeBody(endless, 3, versions).isOk());
  // Null in a non-nullable string.
  EXPECT_FALSE(decodeBody(Bytes{0x00, 0x02, '1', 0x00}, 3, versions).isOk());
}

}  // namespace
}  // namespace runnel::protocol
