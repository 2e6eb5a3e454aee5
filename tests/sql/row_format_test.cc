#include "sql/row_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

namespace runnel::sql {
namespace {

Column col(std::string name, SqlTypePtr type) { return Column{std::move(name), std::move(type)}; }

std::shared_ptr<const RowFormat> make(const std::string& name, const std::vector<Column>& columns,
                                      bool is_key = false, bool wrap = true,
                                      std::map<std::string, std::string> properties = {}) {
  auto format = makeRowFormat(FormatInfo{name, std::move(properties)}, columns, is_key, wrap);
  EXPECT_TRUE(format.isOk()) << format.status().toString();
  return format.isOk() ? *format : nullptr;
}

std::string makeError(const std::string& name, const std::vector<Column>& columns,
                      bool is_key = false, std::map<std::string, std::string> properties = {}) {
  auto format = makeRowFormat(FormatInfo{name, std::move(properties)}, columns, is_key);
  return format.isOk() ? "no error" : format.status().message();
}

std::vector<Value> read(const RowFormat& format, std::optional<std::string_view> bytes) {
  std::vector<Value> out;
  Status status = format.read(bytes, out);
  EXPECT_TRUE(status.isOk()) << status.toString();
  return out;
}

std::string readError(const RowFormat& format, std::string_view bytes) {
  std::vector<Value> out;
  Status status = format.read(bytes, out);
  return status.isOk() ? "no error" : status.message();
}

// The record's bytes, or "<null>" for a null record.
std::string write(const RowFormat& format, const std::vector<Value>& values) {
  std::string out;
  return format.write(values, out) ? out : "<null>";
}

Value dec(__int128 unscaled, int32_t scale) { return Decimal{unscaled, scale}; }
Value bytes(std::string data) { return Bytes{std::move(data)}; }

// ---------------------------------------------------------------------------------- KAFKA

TEST(KafkaFormatTest, WritesKafkasOwnSerializersBytes) {
  EXPECT_EQ(write(*make("KAFKA", {col("V", SqlType::integer())}), {int32_t{1}}),
            std::string("\0\0\0\1", 4));
  EXPECT_EQ(write(*make("KAFKA", {col("V", SqlType::bigint())}), {int64_t{-2}}),
            std::string(8, '\xff').replace(7, 1, "\xfe"));
  EXPECT_EQ(write(*make("KAFKA", {col("V", SqlType::doubleType())}), {2.2}),
            "\x40\x01\x99\x99\x99\x99\x99\x9a");
  EXPECT_EQ(write(*make("KAFKA", {col("V", SqlType::string())}), {"h\xc3\xa9"}), "h\xc3\xa9");
  EXPECT_EQ(write(*make("KAFKA", {col("V", SqlType::bytes())}), {bytes(std::string("\0\1", 2))}),
            std::string("\0\1", 2));
}

TEST(KafkaFormatTest, ReadsWhatItWrites) {
  std::vector<std::pair<SqlTypePtr, Value>> cases = {
      {SqlType::integer(), int32_t{-123456}},
      {SqlType::bigint(), int64_t{10000000000}},
      {SqlType::doubleType(), -0.5},
      {SqlType::string(), "text"},
      {SqlType::bytes(), bytes(std::string("\0\xff", 2))}};
  for (const auto& [type, value] : cases) {
    auto format = make("KAFKA", {col("V", type)});
    EXPECT_EQ(read(*format, write(*format, {value})), std::vector<Value>{value})
        << type->toString();
  }
}

TEST(KafkaFormatTest, NullRecordIsNullColumnAndBack) {
  auto format = make("KAFKA", {col("K", SqlType::integer())}, /*is_key=*/true);
  EXPECT_EQ(read(*format, std::nullopt), std::vector<Value>{Value()});
  EXPECT_EQ(write(*format, {Value()}), "<null>");
}

TEST(KafkaFormatTest, WrongSizeFailsAsKafkasDeserializers) {
  EXPECT_EQ(readError(*make("KAFKA", {col("V", SqlType::integer())}), "abc"),
            "Size of data received by IntegerDeserializer is not 4");
  EXPECT_EQ(readError(*make("KAFKA", {col("V", SqlType::bigint())}), "abc"),
            "Size of data received by LongDeserializer is not 8");
  EXPECT_EQ(readError(*make("KAFKA", {col("V", SqlType::doubleType())}), ""),
            "Size of data received by DoubleDeserializer is not 8");
}

TEST(KafkaFormatTest, RefusesWhatKsqlDbRefuses) {
  EXPECT_EQ(makeError("KAFKA", {col("V0", SqlType::integer()), col("V1", SqlType::string())}),
            "The 'KAFKA' format only supports a single field. Got: [`V0` INTEGER, `V1` STRING]");
  EXPECT_EQ(
      makeError("KAFKA", {col("K1", SqlType::integer()), col("K2", SqlType::integer())}, true),
      "The 'KAFKA' format only supports a single field. Got: [`K1` INTEGER KEY, `K2` INTEGER KEY]");
  EXPECT_EQ(makeError("KAFKA", {col("V0", SqlType::boolean())}),
            "The 'KAFKA' format does not support type 'BOOLEAN'");
  EXPECT_EQ(makeError("KAFKA", {col("V0", SqlType::decimal(2, 1))}),
            "The 'KAFKA' format does not support type 'DECIMAL'");
  EXPECT_EQ(makeError("KAFKA", {col("V", SqlType::array(SqlType::integer()))}),
            "The 'KAFKA' format does not support type 'ARRAY'");
  EXPECT_EQ(
      makeError("KAFKA", {col("K", SqlType::map(SqlType::integer(), SqlType::doubleType()))}, true),
      "Map keys, including types that contain maps, are not supported as they may lead to "
      "unexpected behavior "
      "due to inconsistent serialization. Key column name: `K`. Column type: MAP<INTEGER, DOUBLE>. "
      "See "
      "https://github.com/confluentinc/ksql/issues/6621 for more.");
}

TEST(KafkaFormatTest, WithoutColumnsIgnoresTheRecordAndWritesNull) {
  auto format = make("KAFKA", {}, /*is_key=*/true);
  EXPECT_TRUE(read(*format, "ignored").empty());
  EXPECT_EQ(write(*format, {}), "<null>");
}

// ----------------------------------------------------------------------------------- JSON

const std::vector<Column>& everyType() {
  static const std::vector<Column> columns = {
      col("B", SqlType::boolean()),
      col("I", SqlType::integer()),
      col("L", SqlType::bigint()),
      col("D", SqlType::doubleType()),
      col("DEC", SqlType::decimal(4, 2)),
      col("S", SqlType::string()),
      col("BY", SqlType::bytes()),
      col("DT", SqlType::date()),
      col("T", SqlType::time()),
      col("TS", SqlType::timestamp()),
      col("A", SqlType::array(SqlType::integer())),
      col("M", SqlType::map(SqlType::string(), SqlType::doubleType())),
      col("ST", SqlType::structType(
                    {{"F1", SqlType::string()}, {"f2", SqlType::array(SqlType::bigint())}})),
      col("N", SqlType::string()),
  };
  return columns;
}

std::vector<Value> everyValue() {
  return {true,
          int32_t{-7},
          int64_t{10000000000},
          40.0,
          dec(150, 2),
          "a \"quoted\"\n line",
          bytes("!"),
          Date{18666},
          Time{36000000},
          Timestamp{1612778400000},
          Value::array({int32_t{1}, Value()}),
          Value::map({{"k", 1.5}}),
          Value::structOf({"x", Value::array({int64_t{2}})}),
          Value()};
}

TEST(JsonFormatTest, WritesEveryTypeAsKsqlDbDoes) {
  EXPECT_EQ(
      write(*make("JSON", everyType()), everyValue()),
      R"({"B":true,"I":-7,"L":10000000000,"D":40.0,"DEC":1.50,"S":"a \"quoted\"\n line","BY":"IQ==",)"
      R"("DT":18666,"T":36000000,"TS":1612778400000,"A":[1,null],"M":{"k":1.5},"ST":{"F1":"x","f2":[2]},)"
      R"("N":null})");
}

TEST(JsonFormatTest, ReadsWhatItWrites) {
  auto format = make("JSON", everyType());
  EXPECT_EQ(read(*format, write(*format, everyValue())), everyValue());
}

TEST(JsonFormatTest, MatchesNamesExactlyOrUpperCased) {
  auto format = make("JSON", {col("FOO", SqlType::integer()), col("bar", SqlType::integer()),
                              col("ST", SqlType::structType({{"F", SqlType::integer()}}))});
  EXPECT_EQ(read(*format, R"({"foo": 1, "bar": 2, "st": {"f": 3}})"),
            (std::vector<Value>{int32_t{1}, int32_t{2}, Value::structOf({int32_t{3}})}));
  // A quoted lower-case name only matches itself; a missing member is NULL.
  EXPECT_EQ(read(*format, R"({"FOO": 1, "BAR": 2})"),
            (std::vector<Value>{int32_t{1}, Value(), Value()}));
  // Names that differ only in case each take their own member.
  auto twins = make("JSON", {col("a", SqlType::integer()), col("A", SqlType::integer())});
  EXPECT_EQ(read(*twins, R"({"a": 1, "A": 2})"), (std::vector<Value>{int32_t{1}, int32_t{2}}));
  EXPECT_EQ(read(*twins, R"({"a": 1})"), (std::vector<Value>{int32_t{1}, int32_t{1}}));
  // The exact name wins over an upper-cased one.
  EXPECT_EQ(read(*format, R"({"FOO": 1, "foo": 9})"),
            (std::vector<Value>{int32_t{1}, Value(), Value()}));
}

TEST(JsonFormatTest, CoercesAsKsqlDbsDeserializer) {
  auto format = make("JSON", {col("I", SqlType::integer()), col("L", SqlType::bigint()),
                              col("D", SqlType::doubleType()), col("S", SqlType::string()),
                              col("AS", SqlType::array(SqlType::string())),
                              col("DEC", SqlType::decimal(6, 4)), col("TS", SqlType::timestamp())});
  EXPECT_EQ(
      read(*format,
           R"({"I": "12", "L": 10.9, "D": "1.5", "S": 10, "AS": [1, true, null], "DEC": 12.365,)"
           R"( "TS": "5"})"),
      (std::vector<Value>{int32_t{12}, int64_t{10}, 1.5, "10", Value::array({"1", "true", Value()}),
                          dec(123650, 4), Timestamp{5}}));
  EXPECT_EQ(read(*format, R"({"S": {"a": [1, "x"]}, "DEC": "-0.0001"})")[4], Value());
  EXPECT_EQ(read(*format, R"({"S": {"a": [1, "x"]}, "DEC": "-0.0001"})")[3],
            Value(R"({"a":[1,"x"]})"));
  EXPECT_EQ(read(*format, R"({"S": [1, "x", null, [2.5]], "D": 3})")[3],
            Value("[1, x, null, [2.5]]"));
  EXPECT_EQ(read(*format, R"({"S": [1, "x", null, [2.5]], "D": 3})")[2], Value(3.0));
  EXPECT_EQ(read(*format, R"({"DEC": "-0.0001"})")[5], dec(-1, 4));
  // Java's narrowing: INT keeps the low 32 bits of a long.
  EXPECT_EQ(read(*format, R"({"I": 4294967297})")[0], Value(int32_t{1}));
}

TEST(JsonFormatTest, FailsWithKsqlDbsMessageAndPath) {
  auto format =
      make("JSON", {col("I", SqlType::integer()), col("A", SqlType::array(SqlType::bigint())),
                    col("DEC", SqlType::decimal(4, 2)),
                    col("M", SqlType::map(SqlType::string(), SqlType::boolean()))});
  EXPECT_EQ(readError(*format, R"({"I": "x"})"),
            "Can't coerce string to type. targetType: INTEGER, path: $.I");
  EXPECT_EQ(readError(*format, R"({"I": true})"),
            "Can't convert type. sourceType: BooleanNode, requiredType: INTEGER, path: $.I");
  EXPECT_EQ(readError(*format, R"({"A": [1, {}]})"),
            "Can't convert type. sourceType: ObjectNode, requiredType: BIGINT, path: $.A[1]");
  EXPECT_EQ(readError(*format, R"({"A": 1})"),
            "Can't convert type. sourceType: IntNode, requiredType: ARRAY<BIGINT>, path: $.A");
  EXPECT_EQ(readError(*format, R"({"M": {"k": 1}})"),
            "Can't convert type. sourceType: IntNode, requiredType: BOOLEAN, path: $.M.k.value");
  EXPECT_EQ(readError(*format, R"({"DEC": 123.4})"),
            "Numeric field overflow: A field with precision 4 and scale 2 must round to an "
            "absolute value less than "
            "10^2. Got 123.4, path: $.DEC");
  EXPECT_EQ(readError(*format, R"({"DEC": "1.234"})"),
            "Cannot fit decimal '1.234' into DECIMAL(4, 2) without rounding. (Requires 4,3), path: "
            "$.DEC");
  EXPECT_EQ(
      readError(*format, "[1]"),
      "Can't convert type. sourceType: ArrayNode, requiredType: STRUCT<I INTEGER, A ARRAY<BIGINT>, "
      "DEC DECIMAL(4, 2), M MAP<STRING, BOOLEAN>>, path: $");
  EXPECT_NE(readError(*format, "{\"I\": "), "no error");
}

TEST(JsonFormatTest, SingleKeyColumnAndUnwrappedValueAreBare) {
  auto key = make("JSON", {col("K", SqlType::boolean())}, /*is_key=*/true);
  EXPECT_EQ(read(*key, "true"), std::vector<Value>{true});
  EXPECT_EQ(write(*key, {false}), "false");
  EXPECT_EQ(write(*key, {Value()}), "<null>");
  EXPECT_EQ(read(*key, std::nullopt), std::vector<Value>{Value()});

  auto value = make("JSON", {col("V", SqlType::structType({{"A", SqlType::doubleType()}}))}, false,
                    /*wrap=*/false);
  EXPECT_EQ(read(*value, R"({"a": 45.67})"), std::vector<Value>{Value::structOf({45.67})});
  EXPECT_EQ(write(*value, {Value::structOf({76.54})}), R"({"A":76.54})");
  EXPECT_EQ(read(*value, "null"), std::vector<Value>{Value()});
  EXPECT_EQ(write(*value, {Value()}), "<null>");

  auto wrapped = make("JSON", {col("V", SqlType::integer())});
  EXPECT_EQ(write(*wrapped, {Value()}), R"({"V":null})");
}

TEST(JsonFormatTest, MultiColumnKeyIsAnObjectEvenOfNulls) {
  auto key =
      make("JSON", {col("K", SqlType::integer()), col("K2", SqlType::integer())}, /*is_key=*/true);
  EXPECT_EQ(read(*key, R"({"K": null, "K2": 2})"), (std::vector<Value>{Value(), int32_t{2}}));
  EXPECT_EQ(write(*key, {Value(), int32_t{2}}), R"({"K":null,"K2":2})");
  EXPECT_EQ(write(*key, {Value(), Value()}), R"({"K":null,"K2":null})");
  EXPECT_EQ(read(*key, std::nullopt), (std::vector<Value>{Value(), Value()}));
}

TEST(JsonFormatTest, RefusesWhatKsqlDbRefuses) {
  auto nested = SqlType::structType({{"F", SqlType::map(SqlType::string(), SqlType::string())}});
  EXPECT_EQ(makeError("JSON", {col("KSQL_COL_0", nested)}, true),
            "Map keys, including types that contain maps, are not supported as they may lead to "
            "unexpected behavior due to inconsistent serialization. Key column name: `KSQL_COL_0`. "
            "Column type: STRUCT<`F` MAP<STRING, STRING>>. See "
            "https://github.com/confluentinc/ksql/issues/6621 for more.");
  EXPECT_EQ(makeError("JSON", {col("V", SqlType::map(SqlType::integer(), SqlType::doubleType()))}),
            "JSON only supports MAP types with STRING keys");
  EXPECT_EQ(makeError("JSON", {col("V", SqlType::integer())}, false, {{"delimiter", "|"}}),
            "JSON does not support the following configs: [delimiter]");
  EXPECT_EQ(makeError("FOO", {col("V", SqlType::integer())}), "Unknown format: FOO");
}

// ------------------------------------------------------------------------------ DELIMITED

TEST(DelimitedFormatTest, ReadsAndWritesEveryPrimitive) {
  std::vector<Column> columns(everyType().begin(), everyType().begin() + 10);
  auto format = make("DELIMITED", columns);
  std::vector<Value> values = everyValue();
  values.resize(10);
  std::string text =
      "true,-7,10000000000,40.0,1.50,\"a \"\"quoted\"\"\n line\",IQ==,18666,36000000,1612778400000";
  EXPECT_EQ(write(*format, values), text);
  EXPECT_EQ(read(*format, text), values);
}

TEST(DelimitedFormatTest, QuotesAsCommonsCsvDoes) {
  auto format = make("DELIMITED", {col("A", SqlType::string()), col("B", SqlType::string()),
                                   col("C", SqlType::integer())});
  // The first field is quoted unless it starts with a letter or digit; others when they
  // start at or below '#', hold a quote, the delimiter or a line break, or end in a space.
  EXPECT_EQ(write(*format, {"!", "!", int32_t{-1}}), R"("!","!",-1)");
  EXPECT_EQ(write(*format, {"-1", "a,b", Value()}), R"("-1","a,b",)");
  EXPECT_EQ(write(*format, {"x\"y", "say \"hi\"", int32_t{3}}), R"("x""y","say ""hi""",3)");
  EXPECT_EQ(write(*format, {"", "", Value()}), R"("",,)");
  EXPECT_EQ(write(*format, {"\xc3\xa9", "trailing ", int32_t{0}}), "\"\xc3\xa9\",\"trailing \",0");
  auto date = make("DELIMITED", {col("D", SqlType::date())});
  EXPECT_EQ(write(*date, {Date{-10}}), R"("-10")");
}

TEST(DelimitedFormatTest, ReadsQuotedAndEmptyFields) {
  auto format = make("DELIMITED", {col("A", SqlType::string()), col("B", SqlType::string()),
                                   col("C", SqlType::integer())});
  EXPECT_EQ(read(*format, R"("a,""b""",x,"22")"),
            (std::vector<Value>{"a,\"b\"", "x", int32_t{22}}));
  EXPECT_EQ(read(*format, R"("",,)"), (std::vector<Value>{Value(), Value(), Value()}));
  EXPECT_EQ(read(*format, "a,b,1\r\nc,d,2"), (std::vector<Value>{"a", "b", int32_t{1}}));
  EXPECT_EQ(read(*format, std::nullopt), (std::vector<Value>{Value(), Value(), Value()}));
}

TEST(DelimitedFormatTest, WritesJavaNumbersAndFitsDecimals) {
  auto format =
      make("DELIMITED", {col("D", SqlType::doubleType()), col("K", SqlType::decimal(6, 4))});
  EXPECT_EQ(write(*format, {1e10, dec(120000, 4)}), "1.0E10,12.0000");
  EXPECT_EQ(write(*format, {532.8738323, Value()}), "532.8738323,");
  EXPECT_EQ(write(*format, {0.001, Value()}), "0.001,");
  EXPECT_EQ(write(*format, {1e-4, Value()}), "1.0E-4,");
  EXPECT_EQ(write(*format, {1234567.0, Value()}), "1234567.0,");
  // Java prints two digits at least, the pair nearest the exact value.
  EXPECT_EQ(write(*format, {std::numeric_limits<double>::denorm_min(), Value()}), "4.9E-324,");
  EXPECT_EQ(write(*format, {-std::numeric_limits<double>::max(), Value()}),
            "\"-1.7976931348623157E308\",");
  EXPECT_EQ(write(*format, {0.3, Value()}), "0.3,");
  EXPECT_EQ(write(*format, {2.0, Value()}), "2.0,");
  EXPECT_EQ(read(*format, R"(654.321,"12.0")"), (std::vector<Value>{654.321, dec(120000, 4)}));
}

TEST(DelimitedFormatTest, TakesTheDelimiterOption) {
  std::vector<Column> columns = {col("ID", SqlType::bigint()), col("NAME", SqlType::string()),
                                 col("VALUE", SqlType::integer())};
  std::vector<Value> row = {int64_t{0}, "zero", int32_t{0}};
  EXPECT_EQ(read(*make("DELIMITED", columns, false, true, {{"delimiter", "|"}}), "0|zero|0"), row);
  EXPECT_EQ(write(*make("DELIMITED", columns, false, true, {{"delimiter", "$"}}), row), "0$zero$0");
  EXPECT_EQ(read(*make("DELIMITED", columns, false, true, {{"delimiter", "TAB"}}), "0\tzero\t0"),
            row);
  EXPECT_EQ(write(*make("DELIMITED", columns, false, true, {{"delimiter", "SPACE"}}), row),
            "0 zero 0");
  std::string empty_message =
      "Configuration VALUE_DELIMITER is invalid: Delimiter cannot be empty, if you meant to have a "
      "tab or space for "
      "delimiter, please use the special values 'TAB' or 'SPACE'\nExample valid value: ';'";
  for (std::string bad : {"", " ", "\t"}) {
    EXPECT_EQ(makeError("DELIMITED", columns, false, {{"delimiter", bad}}), empty_message);
  }
  // Checked even where there are no columns yet (a source whose schema is inferred).
  EXPECT_EQ(makeError("DELIMITED", {}, false, {{"delimiter", ""}}), empty_message);
  EXPECT_EQ(makeError("DELIMITED", columns, true, {{"delimiter", "ab"}}),
            "Configuration KEY_DELIMITER is invalid: Invalid delimiter value: 'ab'. Delimiter must "
            "be a single character "
            "or TAB,SPACE\nExample valid value: ';'");
}

TEST(DelimitedFormatTest, FailsWithKsqlDbsMessages) {
  auto format = make("DELIMITED", {col("A", SqlType::integer()), col("B", SqlType::doubleType())});
  EXPECT_EQ(readError(*format, "1,2,3"),
            "Column count mismatch on deserialization. expected: 2, got: 3");
  EXPECT_EQ(readError(*format, "1"),
            "Column count mismatch on deserialization. expected: 2, got: 1");
  EXPECT_EQ(readError(*format, "x,1"), "For input string: \"x\"");
  EXPECT_EQ(readError(*format, "1,inf"), "For input string: \"inf\"");
  EXPECT_EQ(readError(*format, "\"1,2"), "EOF reached before encapsulated token finished");
  EXPECT_EQ(readError(*format, ""), "No fields in record");
  EXPECT_EQ(makeError("DELIMITED", {col("K", SqlType::array(SqlType::doubleType()))}),
            "The 'DELIMITED' format does not support type 'ARRAY', column: `K`");
  EXPECT_EQ(
      makeError("DELIMITED", {col("V", SqlType::structType({{"F1", SqlType::doubleType()}}))}),
      "The 'DELIMITED' format does not support type 'STRUCT', column: `V`");
}

TEST(DelimitedFormatTest, SingleNullKeyColumnIsANullKey) {
  auto key = make("DELIMITED", {col("K1", SqlType::string()), col("K2", SqlType::string())},
                  /*is_key=*/true);
  EXPECT_EQ(read(*key, R"("foo","bar")"), (std::vector<Value>{"foo", "bar"}));
  EXPECT_EQ(write(*key, {Value(), Value()}), ",");
  EXPECT_EQ(read(*key, std::nullopt), (std::vector<Value>{Value(), Value()}));
  auto single = make("DELIMITED", {col("K", SqlType::boolean())}, /*is_key=*/true);
  EXPECT_EQ(write(*single, {Value()}), "<null>");
  EXPECT_EQ(write(*single, {true}), "true");
}

// ----------------------------------------------------------------------------------- NONE

TEST(NoneFormatTest, HasNoColumnsAndNullRecords) {
  EXPECT_EQ(makeError("NONE", {col("FOO", SqlType::integer())}),
            "The 'NONE' format can only be used when no columns are defined. Got: [`FOO` INTEGER]");
  EXPECT_EQ(
      makeError("NONE", {col("K", SqlType::string())}, true),
      "The 'NONE' format can only be used when no columns are defined. Got: [`K` STRING KEY]");
  auto format = make("NONE", {}, true);
  EXPECT_TRUE(read(*format, "data that should be ignored").empty());
  EXPECT_EQ(write(*format, {}), "<null>");
}

TEST(RowFormatTest, KnowsItsFormats) {
  for (const char* name : {"KAFKA", "JSON", "DELIMITED", "NONE", "json"})
    EXPECT_TRUE(isSupportedFormat(name)) << name;
  for (const char* name : {"AVRO", "PROTOBUF", "FOO", ""})
    EXPECT_FALSE(isSupportedFormat(name)) << name;
}

TEST(RowFormatTest, GarbageNeverCrashesAReader) {
  std::vector<std::shared_ptr<const RowFormat>> formats = {
      make("JSON", everyType()),
      make("JSON", {col("V", SqlType::array(SqlType::decimal(10, 2)))}, false, false),
      make("DELIMITED", std::vector<Column>(everyType().begin(), everyType().begin() + 10)),
      make("KAFKA", {col("V", SqlType::doubleType())})};
  std::mt19937 random(42);
  std::vector<Value> out;
  for (int i = 0; i < 3000; ++i) {
    std::string bytes(random() % 64, '\0');
    for (char& c : bytes) c = "{}[]\",:0123456789.-eE truenlfasIQ=\\"[random() % 33];
    for (const auto& format : formats) (void)format->read(bytes, out);
  }
}

// -------------------------------------------------------------------------- internal codec

std::vector<Value> roundTrip(const std::vector<Value>& values) {
  std::string bytes;
  encodeValues(values, bytes);
  std::vector<Value> out = {"left over"};
  Status status = decodeValues(bytes, out);
  EXPECT_TRUE(status.isOk()) << status.toString();
  return out;
}

std::vector<Value> everyInternalValue() {
  __int128 max_decimal = 1;
  for (int i = 0; i < 38; ++i) max_decimal *= 10;
  --max_decimal;
  return {
      Value(),
      false,
      true,
      std::numeric_limits<int32_t>::min(),
      std::numeric_limits<int64_t>::max(),
      std::numeric_limits<int64_t>::min(),
      -0.25,
      std::numeric_limits<double>::denorm_min(),
      dec(max_decimal, 38),
      dec(-max_decimal, 0),
      dec(5, -3),
      "",
      std::string("nul\0inside", 10),
      bytes(std::string("\0\xff", 2)),
      Date{-719162},
      Time{86399999},
      Timestamp{-1},
      Value::array({}),
      Value::array({Value::map({{"k", Value::structOf({int32_t{1}, Value::array({Value(), "x"})})},
                                {int32_t{2}, Value::map({})}}),
                    Value::structOf({})})};
}

TEST(InternalCodecTest, RoundTripsEveryValueExactly) {
  EXPECT_EQ(roundTrip(everyInternalValue()), everyInternalValue());
  EXPECT_TRUE(roundTrip({}).empty());
  double nan = std::nan("0x12");
  std::vector<Value> out = roundTrip({nan, -0.0});
  double back = out[0].asDouble();
  EXPECT_EQ(std::memcmp(&back, &nan, sizeof nan), 0);
  EXPECT_TRUE(std::signbit(out[1].asDouble()));
}

TEST(InternalCodecTest, RejectsEveryTruncationAndTrailingBytes) {
  std::string bytes;
  encodeValues(everyInternalValue(), bytes);
  std::vector<Value> out;
  for (size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_FALSE(decodeValues(std::string_view(bytes).substr(0, size), out).isOk()) << size;
  }
  EXPECT_EQ(decodeValues(bytes + "x", out).message(), "Malformed internal record: trailing bytes");
}

TEST(InternalCodecTest, RejectsGarbageWithAStatus) {
  std::vector<Value> out;
  EXPECT_EQ(decodeValues("\x01\x63", out).message(),
            "Malformed internal record: unknown value tag 99");
  EXPECT_EQ(decodeValues("\x05\x00", out).message(),
            "Malformed internal record: count larger than the record");
  EXPECT_EQ(decodeValues(std::string("\x01\x03\xff\xff\xff\xff\x7f", 7), out).message(),
            "Malformed internal record: varint out of range");
  std::string deep = "\x01";
  for (int i = 0; i < 1000; ++i) deep += "\x0c\x01";
  deep += '\0';
  EXPECT_EQ(decodeValues(deep, out).message(),
            "Malformed internal record: values nested too deeply");
  std::mt19937 random(7);
  for (int i = 0; i < 20000; ++i) {
    std::string garbage(random() % 48, '\0');
    for (char& c : garbage) c = static_cast<char>(random() % 20);
    (void)decodeValues(garbage, out);
  }
}

// ------------------------------------------------------------------------------------ REST

std::string rest(const Value& value, const SqlTypePtr& type) {
  std::string out;
  appendRestJson(value, *type, out);
  return out;
}

TEST(RestJsonTest, RendersValuesAsKsqlDbsApi) {
  EXPECT_EQ(rest(dec(150, 2), SqlType::decimal(4, 2)), "1.50");
  EXPECT_EQ(rest(Date{18666}, SqlType::date()), R"("2021-02-08")");
  EXPECT_EQ(rest(Date{-1}, SqlType::date()), R"("1969-12-31")");
  EXPECT_EQ(rest(Time{36000000}, SqlType::time()), R"("10:00")");
  EXPECT_EQ(rest(Time{36005000}, SqlType::time()), R"("10:00:05")");
  EXPECT_EQ(rest(Time{36005100}, SqlType::time()), R"("10:00:05.100")");
  EXPECT_EQ(rest(Timestamp{1612778400000}, SqlType::timestamp()), R"("2021-02-08T10:00:00.000")");
  EXPECT_EQ(rest(Timestamp{-1}, SqlType::timestamp()), R"("1969-12-31T23:59:59.999")");
  EXPECT_EQ(rest(bytes("!"), SqlType::bytes()), R"("IQ==")");
  EXPECT_EQ(rest(Value(), SqlType::string()), "null");
  EXPECT_EQ(rest(Value::map({{int32_t{1}, Timestamp{0}}}),
                 SqlType::map(SqlType::integer(), SqlType::timestamp())),
            R"({"1":"1970-01-01T00:00:00.000"})");
  auto type = SqlType::structType(
      {{"A", SqlType::array(SqlType::doubleType())}, {"b", SqlType::boolean()}});
  EXPECT_EQ(rest(Value::structOf({Value::array({1.0, 2.5}), Value()}), type),
            R"({"A":[1.0,2.5],"b":null})");
}

TEST(RestJsonTest, ReadsValuesWithTheJsonFormatsCoercions) {
  auto type = SqlType::structType({{"NAME", SqlType::string()}, {"PRICE", SqlType::decimal(5, 2)}});
  auto value = valueFromJson(R"({"name": "x", "price": "3.5"})", *type);
  ASSERT_TRUE(value.isOk()) << value.status().toString();
  EXPECT_EQ(*value, Value::structOf({"x", dec(350, 2)}));
  EXPECT_EQ(*valueFromJson("12", *SqlType::bigint()), Value(int64_t{12}));
  EXPECT_EQ(valueFromJson("\"abc\"", *SqlType::integer()).status().message(),
            "Can't coerce string to type. targetType: INTEGER, path: $");
  EXPECT_FALSE(valueFromJson("{", *SqlType::integer()).isOk());
}

}  // namespace
}  // namespace runnel::sql
