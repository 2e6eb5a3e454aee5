#include "streams/serdes.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace runnel::streams {
namespace {

template <class T>
std::string bytesOf(const SerdePtr<T>& serde, const T& value) {
  std::string out;
  EXPECT_TRUE(serde->serialize("topic", value, out));
  return out;
}

template <class T>
T read(const SerdePtr<T>& serde, std::string_view data) {
  T out{};
  Status status = serde->deserialize("topic", data, out);
  EXPECT_TRUE(status.isOk()) << status.toString();
  return out;
}

template <class T>
std::string errorOf(const SerdePtr<T>& serde, std::optional<std::string_view> data) {
  T out{};
  Status status = serde->deserialize("topic", data, out);
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  return status.message();
}

using namespace std::string_literals;

TEST(SerdesTest, NumbersAreJavaBigEndian) {
  EXPECT_EQ(bytesOf(Serdes::Integer(), 1), "\x00\x00\x00\x01"s);
  EXPECT_EQ(bytesOf(Serdes::Integer(), -2), "\xff\xff\xff\xfe"s);
  EXPECT_EQ(bytesOf(Serdes::Short(), int16_t{258}), "\x01\x02"s);
  EXPECT_EQ(bytesOf(Serdes::Long(), int64_t{-1}), "\xff\xff\xff\xff\xff\xff\xff\xff"s);
  EXPECT_EQ(bytesOf(Serdes::Long(), int64_t{0x0102030405060708}), "\x01\x02\x03\x04\x05\x06\x07\x08"s);
  EXPECT_EQ(bytesOf(Serdes::Double(), 1.5), "\x3f\xf8\x00\x00\x00\x00\x00\x00"s);
  EXPECT_EQ(bytesOf(Serdes::Float(), 1.5f), "\x3f\xc0\x00\x00"s);
  EXPECT_EQ(bytesOf(Serdes::Boolean(), true), "\x01"s);

  EXPECT_EQ(read(Serdes::Integer(), "\x00\x00\x00\x01"s), 1);
  EXPECT_EQ(read(Serdes::Integer(), "\x80\x00\x00\x00"s), std::numeric_limits<int32_t>::min());
  EXPECT_EQ(read(Serdes::Short(), "\xff\xfe"s), -2);
  EXPECT_EQ(read(Serdes::Long(), "\xff\xff\xff\xff\xff\xff\xff\xff"s), -1);
  EXPECT_EQ(read(Serdes::Double(), "\x3f\xf8\x00\x00\x00\x00\x00\x00"s), 1.5);
  EXPECT_EQ(read(Serdes::Float(), "\xbf\xc0\x00\x00"s), -1.5f);
  EXPECT_TRUE(std::isnan(read(Serdes::Double(), bytesOf(Serdes::Double(), std::nan("")))));
  EXPECT_FALSE(read(Serdes::Boolean(), "\x00"s));
}

TEST(SerdesTest, WrongSizesGiveKafkasMessages) {
  EXPECT_EQ(errorOf(Serdes::Integer(), "\x00\x00\x01"s), "Size of data received by IntegerDeserializer is not 4");
  EXPECT_EQ(errorOf(Serdes::Long(), ""s), "Size of data received by LongDeserializer is not 8");
  EXPECT_EQ(errorOf(Serdes::Short(), "abc"s), "Size of data received by ShortDeserializer is not 2");
  EXPECT_EQ(errorOf(Serdes::Float(), "abcde"s), "Size of data received by Deserializer is not 4");
  EXPECT_EQ(errorOf(Serdes::Double(), "abcd"s), "Size of data received by Deserializer is not 8");
  EXPECT_EQ(errorOf(Serdes::Boolean(), "ab"s), "Size of data received by BooleanDeserializer is not 1");
  EXPECT_EQ(errorOf(Serdes::Boolean(), "\x02"s), "Unexpected byte received by BooleanDeserializer: 2");
}

TEST(SerdesTest, NullReadsAsZeroValueAndOptionalKeepsIt) {
  int32_t number = 7;
  ASSERT_TRUE(Serdes::Integer()->deserialize("t", std::nullopt, number).isOk());
  EXPECT_EQ(number, 0);
  std::string text = "old";
  ASSERT_TRUE(Serdes::String()->deserialize("t", std::nullopt, text).isOk());
  EXPECT_EQ(text, "");

  auto optional = Serdes::Optional(Serdes::Integer());
  EXPECT_EQ(optional->name(), "org.apache.kafka.common.serialization.Serdes$IntegerSerde");
  std::optional<int32_t> value = 5;
  ASSERT_TRUE(optional->deserialize("t", std::nullopt, value).isOk());
  EXPECT_FALSE(value.has_value());
  ASSERT_TRUE(optional->deserialize("t", "\x00\x00\x00\x09"s, value).isOk());
  EXPECT_EQ(value, 9);
  std::string out;
  EXPECT_FALSE(optional->serialize("t", std::nullopt, out));
  EXPECT_TRUE(optional->serialize("t", 1, out));
  EXPECT_EQ(out, "\x00\x00\x00\x01"s);
  EXPECT_EQ(optional->type(), typeid(std::optional<int32_t>));
}

TEST(SerdesTest, StringsAndBytesPassThroughAndAppend) {
  std::string out = "prefix";
  EXPECT_TRUE(Serdes::String()->serialize("t", "h\xc3\xa9llo", out));
  EXPECT_EQ(out, "prefixh\xc3\xa9llo");
  EXPECT_EQ(read(Serdes::Bytes(), "\x00\xff"s), "\x00\xff"s);
  EXPECT_EQ(read(Serdes::ByteArray(), "\x00\xff"s), (std::vector<uint8_t>{0x00, 0xff}));
  EXPECT_EQ(bytesOf(Serdes::ByteArray(), std::vector<uint8_t>{1, 2}), "\x01\x02"s);
}

TEST(SerdesTest, UuidIsJavasTextForm) {
  Uuid128 id = {0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x12, 0xd3, 0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40, 0x00};
  EXPECT_EQ(bytesOf(Serdes::UUID(), id), "123e4567-e89b-12d3-a456-426614174000");
  EXPECT_EQ(read(Serdes::UUID(), "123E4567-E89B-12D3-A456-426614174000"), id);
  for (std::string_view bad : {"123e4567e89b12d3a456426614174000", "123e4567-e89b-12d3-a456-42661417400g",
                               "123e4567-e89b-12d3-a456-4266141740000", ""}) {
    EXPECT_EQ(errorOf(Serdes::UUID(), bad), "Error parsing data into UUID") << bad;
  }
}

TEST(SerdesTest, VoidIsAlwaysNull) {
  std::string out;
  EXPECT_FALSE(Serdes::Void()->serialize("t", Void{}, out));
  EXPECT_TRUE(out.empty());
  Void v;
  EXPECT_TRUE(Serdes::Void()->deserialize("t", std::nullopt, v).isOk());
  EXPECT_EQ(errorOf(Serdes::Void(), ""), "Data should be null for a VoidDeserializer.");
}

TEST(SerdesTest, NamesAreKafkaClassNames) {
  EXPECT_EQ(Serdes::String()->name(), "org.apache.kafka.common.serialization.Serdes$StringSerde");
  EXPECT_EQ(Serdes::Bytes()->name(), "org.apache.kafka.common.serialization.Serdes$BytesSerde");
  EXPECT_EQ(Serdes::ByteArray()->name(), "org.apache.kafka.common.serialization.Serdes$ByteArraySerde");
  EXPECT_EQ(Serdes::Long()->name(), "org.apache.kafka.common.serialization.Serdes$LongSerde");
  EXPECT_EQ(Serdes::UUID()->name(), "org.apache.kafka.common.serialization.Serdes$UUIDSerde");
  EXPECT_EQ(Serdes::Void()->name(), "org.apache.kafka.common.serialization.Serdes$VoidSerde");
  EXPECT_EQ(Serdes::Integer(), Serdes::Integer());  // one shared instance
}

TEST(SerdesTest, SerdeByNameAcceptsKafkasSpellings) {
  for (std::string_view name : {"org.apache.kafka.common.serialization.Serdes$StringSerde", "Serdes$StringSerde",
                                "String"}) {
    auto serde = serdeByName(name);
    ASSERT_TRUE(serde.isOk()) << name;
    EXPECT_EQ(serde->get(), Serdes::String().get());
  }
  auto serde = serdeByName("org.apache.kafka.common.serialization.Serdes$LongSerde");
  ASSERT_TRUE(serde.isOk());
  EXPECT_EQ((*serde)->type(), typeid(int64_t));
  EXPECT_EQ((*serdeByName("UUID"))->type(), typeid(Uuid128));
  EXPECT_EQ((*serdeByName("Serdes$VoidSerde"))->type(), typeid(Void));

  for (std::string_view bad : {"Serdes$StringSerdeX", "Serdes$String", "org.apache.kafka.common.serialization.String",
                               "com.example.MySerde", "", "Serdes$"}) {
    auto result = serdeByName(bad);
    ASSERT_FALSE(result.isOk()) << bad;
    EXPECT_EQ(result.status().code(), Status::Code::kInvalidArgument);
  }
  EXPECT_EQ(serdeByName("Foo").status().message(),
            "Class Foo could not be found: not a built-in serde (String, Bytes, ByteArray, Short, Integer, Long, "
            "Float, Double, Boolean, UUID, Void, as in Serdes$StringSerde)");
}

}  // namespace
}  // namespace runnel::streams
