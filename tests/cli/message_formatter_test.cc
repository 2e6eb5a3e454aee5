#include "cli/message_formatter.h"

#include <gtest/gtest.h>

namespace runnel::cli {
namespace {

client::Message message() {
  client::Message m;
  m.topic = "users";
  m.partition = 0;
  m.offset = 5;
  m.timestamp = 1598226962606;
  m.timestamp_type = client::TimestampType::kCreateTime;
  m.key = "1";
  m.value = "mitch";
  return m;
}

std::string format(std::initializer_list<std::pair<std::string, std::string>> props, const client::Message& m) {
  Properties p;
  for (const auto& [k, v] : props) p.set(k, v);
  auto c = makeFormatterConfig(p);
  EXPECT_TRUE(c.isOk()) << c.status().toString();
  std::string out;
  formatMessage(*c, m, out);
  return out;
}

TEST(MessageFormatterTest, ValueOnlyByDefault) { EXPECT_EQ(format({}, message()), "mitch\n"); }

TEST(MessageFormatterTest, TimestampKeyValue) {
  EXPECT_EQ(format({{"print.timestamp", "true"}, {"print.key", "true"}}, message()),
            "CreateTime:1598226962606\t1\tmitch\n");
}

TEST(MessageFormatterTest, AllFieldsInKafkasOrder) {
  auto m = message();
  m.headers = {{"k1", "v1"}, {"k2", std::nullopt}};
  EXPECT_EQ(format({{"print.timestamp", "true"},
                    {"print.partition", "true"},
                    {"print.offset", "true"},
                    {"print.headers", "true"},
                    {"print.key", "true"}},
                   m),
            "CreateTime:1598226962606\tPartition:0\tOffset:5\tk1:v1,k2:null\t1\tmitch\n");
}

TEST(MessageFormatterTest, NoHeadersAndNulls) {
  auto m = message();
  m.key.reset();
  m.value.reset();
  m.timestamp_type = client::TimestampType::kLogAppendTime;
  EXPECT_EQ(format({{"print.headers", "true"}, {"print.key", "true"}}, m), "NO_HEADERS\tnull\tnull\n");
  EXPECT_EQ(format({{"print.key", "true"}, {"null.literal", "<nil>"}}, m), "<nil>\t<nil>\n");
  EXPECT_EQ(format({{"print.timestamp", "true"}, {"print.value", "false"}}, m), "LogAppendTime:1598226962606\n");
  m.timestamp_type = client::TimestampType::kNotAvailable;
  EXPECT_EQ(format({{"print.timestamp", "true"}}, m), "NO_TIMESTAMP\tnull\n");
}

TEST(MessageFormatterTest, KeyOnlyEndsWithLineSeparator) {
  EXPECT_EQ(format({{"print.key", "true"}, {"print.value", "false"}}, message()), "1\n");
}

TEST(MessageFormatterTest, Separators) {
  auto m = message();
  m.headers = {{"a", "1"}, {"b", "2"}};
  EXPECT_EQ(format({{"print.key", "true"},
                    {"print.headers", "true"},
                    {"key.separator", " : "},
                    {"line.separator", "|"},
                    {"headers.separator", ";"}},
                   m),
            "a:1;b:2 : 1 : mitch|");
}

TEST(MessageFormatterTest, NumericDeserializers) {
  auto m = message();
  m.key = std::string("\x00\x00\x00\x00\x00\x00\x01\x00", 8);
  m.value = std::string("\xff\xff\xff\xfe", 4);
  EXPECT_EQ(format({{"print.key", "true"},
                    {"key.deserializer", "org.apache.kafka.common.serialization.LongDeserializer"},
                    {"value.deserializer", "org.apache.kafka.common.serialization.IntegerDeserializer"}},
                   m),
            "256\t-2\n");
  Properties p;
  p.set("value.deserializer", "com.example.AvroDeserializer");
  EXPECT_FALSE(makeFormatterConfig(p).isOk());
}

}  // namespace
}  // namespace runnel::cli
