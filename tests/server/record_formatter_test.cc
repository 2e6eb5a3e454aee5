#include "server/record_formatter.h"

#include <gtest/gtest.h>

namespace runnel::server {
namespace {

std::string bigEndian(uint64_t bits, int bytes) {
  std::string out(static_cast<size_t>(bytes), '\0');
  for (int i = bytes - 1; i >= 0; --i, bits >>= 8) out[static_cast<size_t>(i)] = static_cast<char>(bits & 0xFF);
  return out;
}

constexpr int64_t kFeb8 = 1612778400000;  // 2021-02-08T10:00:00Z

TEST(RecordFormatterTest, PrintsRowtimeKeyValueAndPartitionAsKsqlDb) {
  RecordFormatter formatter;
  auto lines = formatter.format({{kFeb8 + 5, "k1", R"({"title":"Stranger Things"})", 2}});
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_EQ(lines[0], R"(rowtime: 2021/02/08 10:00:00.005 Z, key: k1, value: {"title":"Stranger Things"}, partition: 2)");
  EXPECT_EQ(formatsLine("Key format: ", formatter.possibleKeyFormats()), "Key format: KAFKA_STRING");
  EXPECT_EQ(formatsLine("Value format: ", formatter.possibleValueFormats()), "Value format: JSON or KAFKA_STRING");
}

TEST(RecordFormatterTest, NullsAndMissingTimestamps) {
  RecordFormatter formatter;
  EXPECT_EQ(formatter.possibleKeyFormats()[0], "\xC2\xAF\\_(\xE3\x83\x84)_/\xC2\xAF - no data processed");
  auto lines = formatter.format({{-1, std::nullopt, std::nullopt, 0}});
  EXPECT_EQ(lines[0], "rowtime: N/A, key: <null>, value: <null>, partition: 0");
}

TEST(RecordFormatterTest, DetectsKafkaNumbersByTheirSize) {
  RecordFormatter formatter;
  auto lines = formatter.format({{kFeb8, bigEndian(42, 4), bigEndian(0x3FF8000000000000, 8), 0}});
  // Eight bytes read as BIGINT first; ksqlDB cannot tell BIGINT from DOUBLE either.
  EXPECT_EQ(lines[0], "rowtime: 2021/02/08 10:00:00.000 Z, key: 42, value: 4609434218613702656, partition: 0");
  EXPECT_EQ(formatter.possibleKeyFormats(), (std::vector<std::string>{"KAFKA_INT", "KAFKA_STRING"}));
  EXPECT_EQ(formatter.possibleValueFormats(), (std::vector<std::string>{"KAFKA_BIGINT", "KAFKA_DOUBLE"}));
}

TEST(RecordFormatterTest, ABatchThatRulesOutTheFirstFormatIsFormattedAgain) {
  RecordFormatter formatter;
  // "1" reads as JSON until "one" rules JSON out: both print with KAFKA_STRING.
  auto lines = formatter.format({{kFeb8, "1", "1", 0}, {kFeb8, "1", "one", 0}});
  EXPECT_EQ(lines[0], "rowtime: 2021/02/08 10:00:00.000 Z, key: 1, value: 1, partition: 0");
  EXPECT_EQ(formatter.possibleValueFormats(), (std::vector<std::string>{"KAFKA_STRING"}));
  EXPECT_EQ(formatter.possibleKeyFormats(), (std::vector<std::string>{"JSON", "KAFKA_STRING"}));
}

TEST(RecordFormatterTest, LongKeysAlsoReadAsWindowedKeys) {
  RecordFormatter formatter;
  std::string windowed = "users" + bigEndian(1000, 8);  // not 4 bytes: no KAFKA_INT inside
  auto lines = formatter.format({{kFeb8, windowed, "v", 0}});
  EXPECT_EQ(lines[0], "rowtime: 2021/02/08 10:00:00.000 Z, key: [users@1000/-], value: v, partition: 0");
  EXPECT_EQ(formatter.possibleKeyFormats(), (std::vector<std::string>{"HOPPING(KAFKA_STRING)", "TUMBLING(KAFKA_STRING)"}));
}

TEST(RecordFormatterTest, BytesNoFormatReadsPrintAsKafkaBytes) {
  RecordFormatter formatter;
  auto lines = formatter.format({{kFeb8, std::string("\xFF\x01", 2), std::string("a\\\xC3", 3), 0}});
  EXPECT_EQ(lines[0], "rowtime: 2021/02/08 10:00:00.000 Z, key: \\xFF\\x01, value: a\\x5C\\xC3, partition: 0");
  EXPECT_EQ(formatsLine("Value format: ", formatter.possibleValueFormats()),
            "Value format:  does not match any supported format. It may be a STRING with encoding other than UTF8, "
            "or some other format.");
}

TEST(RecordFormatterTest, RowtimeBeforeTheEpoch) { EXPECT_EQ(printRowtime(-1500), "1969/12/31 23:59:58.500 Z"); }

}  // namespace
}  // namespace runnel::server
