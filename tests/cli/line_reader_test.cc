#include "cli/line_reader.h"

#include <gtest/gtest.h>

namespace runnel::cli {
namespace {

using client::Header;

LineReaderConfig config(std::initializer_list<std::pair<std::string, std::string>> props) {
  Properties p;
  for (const auto& [k, v] : props) p.set(k, v);
  auto c = makeLineReaderConfig(p);
  EXPECT_TRUE(c.isOk()) << c.status().toString();
  return *c;
}

ParsedLine parse(const LineReaderConfig& c, std::string_view line) {
  auto parsed = parseLine(c, line, 1);
  EXPECT_TRUE(parsed.isOk()) << parsed.status().toString();
  return parsed.isOk() ? *parsed : ParsedLine{};
}

TEST(LineReaderTest, ValueOnlyByDefault) {
  auto line = parse(config({}), "hello\tworld");
  EXPECT_FALSE(line.key.has_value());
  EXPECT_EQ(line.value, "hello\tworld");
  EXPECT_TRUE(line.headers.empty());
}

TEST(LineReaderTest, KeyAndValue) {
  auto c = config({{"parse.key", "true"}});
  auto line = parse(c, "key0\tvalue0");
  EXPECT_EQ(line.key, "key0");
  EXPECT_EQ(line.value, "value0");
  auto empty_value = parse(c, "key\t");
  EXPECT_EQ(empty_value.key, "key");
  EXPECT_EQ(empty_value.value, "");
  // Only the first separator splits.
  auto custom = parse(config({{"parse.key", "TRUE "}, {"key.separator", ":"}}), "a:b:c");
  EXPECT_EQ(custom.key, "a");
  EXPECT_EQ(custom.value, "b:c");
}

TEST(LineReaderTest, MissingKeySeparatorIsKafkasError) {
  auto c = config({{"parse.key", "true"}, {"key.separator", ":"}});
  auto parsed = parseLine(c, "hhh", 2);
  ASSERT_FALSE(parsed.isOk());
  EXPECT_EQ(parsed.status().message(), "No key separator found on line number 2: 'hhh'");
}

TEST(LineReaderTest, HeadersKeyAndValue) {
  auto c = config({{"parse.key", "true"}, {"parse.headers", "true"}});
  auto line = parse(c, "headerKey0:headerValue0,headerKey1:headerValue1\tkey0\tvalue0");
  EXPECT_EQ(line.key, "key0");
  EXPECT_EQ(line.value, "value0");
  EXPECT_EQ(line.headers, (std::vector<Header>{{"headerKey0", "headerValue0"}, {"headerKey1", "headerValue1"}}));
  auto minimal = parse(c, ":\t\t");
  EXPECT_EQ(minimal.key, "");
  EXPECT_EQ(minimal.value, "");
  EXPECT_EQ(minimal.headers, (std::vector<Header>{{"", ""}}));
}

TEST(LineReaderTest, LongDemarcations) {
  auto c = config({{"parse.key", "true"},
                   {"parse.headers", "true"},
                   {"key.separator", "\t\t"},
                   {"headers.delimiter", "\t\t"},
                   {"headers.separator", "---"},
                   {"headers.key.separator", "::::"}});
  auto line = parse(c, "headerKey0.0::::headerValue0.0---headerKey1.0::::\t\tkey\t\tvalue");
  EXPECT_EQ(line.key, "key");
  EXPECT_EQ(line.value, "value");
  EXPECT_EQ(line.headers, (std::vector<Header>{{"headerKey0.0", "headerValue0.0"}, {"headerKey1.0", ""}}));
}

TEST(LineReaderTest, HeaderErrors) {
  auto c = config({{"parse.key", "true"}, {"parse.headers", "true"}});
  auto missing_pair_sep = parseLine(c, "key[MISSING-DELIMITER]val\tkey0\tvalue0", 1);
  ASSERT_FALSE(missing_pair_sep.isOk());
  EXPECT_EQ(missing_pair_sep.status().message(),
            "No header key separator found in pair 'key[MISSING-DELIMITER]val' on line number 1");
  auto missing_delimiter = parseLine(c, "novalue", 3);
  ASSERT_FALSE(missing_delimiter.isOk());
  EXPECT_EQ(missing_delimiter.status().message(), "No headers delimiter found on line number 3: 'novalue'");
}

TEST(LineReaderTest, IgnoreError) {
  auto c = config({{"parse.key", "true"}, {"parse.headers", "true"}, {"ignore.error", "true"}});
  auto missing_key = parse(c, "headerKey2.0:headerValue2.0\tkey2[MISSING-KEY-DELIMITER]value2");
  EXPECT_FALSE(missing_key.key.has_value());
  EXPECT_EQ(missing_key.value, "key2[MISSING-KEY-DELIMITER]value2");
  auto nothing = parse(c, "h:v[NO-DELIMITERS]");
  EXPECT_TRUE(nothing.headers.empty());
  EXPECT_EQ(nothing.value, "h:v[NO-DELIMITERS]");
  auto malformed_header = parse(c, "key-val\tkey0\tvalue0");
  EXPECT_EQ(malformed_header.headers, (std::vector<Header>{{"key-val", std::nullopt}}));
}

TEST(LineReaderTest, NullMarker) {
  auto c = config({{"parse.key", "true"}, {"parse.headers", "true"}, {"null.marker", "<NULL>"}});
  auto a = parse(c, "h0:v0,h1:v1\t<NULL>\tvalue");
  EXPECT_FALSE(a.key.has_value());
  EXPECT_EQ(a.value, "value");
  auto b = parse(c, "<NULL>\tkey\t<NULL>");
  EXPECT_TRUE(b.headers.empty());
  EXPECT_EQ(b.key, "key");
  EXPECT_FALSE(b.value.has_value());
  auto d = parse(c, "h0:<NULL>,h1:<NULL>value\tkey\t<NULL>");
  EXPECT_EQ(d.headers, (std::vector<Header>{{"h0", std::nullopt}, {"h1", "<NULL>value"}}));
  auto bad = parseLine(c, "<NULL>:v0\tkey\tvalue", 1);
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.status().message(), "Header keys should not be equal to the null marker '<NULL>' as they can't be null");
}

TEST(LineReaderTest, CollidingSeparatorsAreRejected) {
  Properties p;
  p.set("parse.headers", "true");
  p.set("headers.delimiter", "\t");
  p.set("headers.separator", "\t");
  EXPECT_EQ(makeLineReaderConfig(p).status().message(), "headers.delimiter and headers.separator may not be equal");
  p.set("headers.separator", ",");
  p.set("headers.key.separator", "\t");
  EXPECT_EQ(makeLineReaderConfig(p).status().message(),
            "headers.delimiter and headers.key.separator may not be equal");
  p.set("headers.key.separator", ":");
  p.set("null.marker", ",");
  EXPECT_EQ(makeLineReaderConfig(p).status().message(), "null.marker and headers.separator may not be equal");
}

}  // namespace
}  // namespace runnel::cli
