#include "common/bytes.h"

#include <gtest/gtest.h>

namespace runnel {
namespace {

TEST(BytesTest, BigEndianRoundTrip) {
  Bytes buf;
  ByteWriter w(buf);
  w.be16(0x1234);
  w.be32(0xdeadbeef);
  w.be64(0x0102030405060708ull);
  EXPECT_EQ(buf[0], 0x12);
  EXPECT_EQ(buf[2], 0xde);
  ByteReader r(buf);
  EXPECT_EQ(r.be16(), 0x1234);
  EXPECT_EQ(r.be32(), 0xdeadbeefu);
  EXPECT_EQ(r.be64(), 0x0102030405060708ull);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.atEnd());
}

TEST(BytesTest, ZigzagVarintsMatchKafka) {
  // Values from the Kafka protocol guide's varint examples.
  Bytes buf;
  ByteWriter w(buf);
  w.varint(0);
  w.varint(-1);
  w.varint(1);
  w.varint(300);
  w.varint(INT64_MIN);
  EXPECT_EQ(buf[0], 0x00);
  EXPECT_EQ(buf[1], 0x01);
  EXPECT_EQ(buf[2], 0x02);
  EXPECT_EQ(buf[3], 0xd8);
  EXPECT_EQ(buf[4], 0x04);
  ByteReader r(buf);
  EXPECT_EQ(r.varint(), 0);
  EXPECT_EQ(r.varint(), -1);
  EXPECT_EQ(r.varint(), 1);
  EXPECT_EQ(r.varint(), 300);
  EXPECT_EQ(r.varint(), INT64_MIN);
  EXPECT_TRUE(r.ok());
}

TEST(BytesTest, ReadPastEndFailsAndSticks) {
  Bytes buf = {1, 2, 3};
  ByteReader r(buf);
  EXPECT_EQ(r.be32(), 0u);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.u8(), 0);
  EXPECT_FALSE(r.ok());
}

TEST(BytesTest, OverlongVarintFails) {
  Bytes buf(11, 0xff);
  ByteReader r(buf);
  r.uvarint();
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace runnel
