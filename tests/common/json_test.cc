#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "common/json_reader.h"
#include "common/json_writer.h"

namespace runnel::json {
namespace {

TEST(JsonWriterTest, WritesNestedContainersWithCommas) {
  std::string out = "prefix:";
  Writer writer(out);
  writer.startObject();
  writer.writeKey("a");
  writer.writeInt64(-1);
  writer.writeKey("b");
  writer.startArray();
  writer.writeBool(true);
  writer.writeNull();
  writer.startObject();
  writer.endObject();
  writer.startArray();
  writer.endArray();
  writer.writeUint64(std::numeric_limits<uint64_t>::max());
  writer.endArray();
  writer.writeKey("c");
  writer.writeString("x");
  writer.endObject();
  EXPECT_EQ(out, R"(prefix:{"a":-1,"b":[true,null,{},[],18446744073709551615],"c":"x"})");
}

TEST(JsonWriterTest, EscapesAsJackson) {
  std::string out;
  Writer(out).writeString("q\"b\\s/\n\t\r\b\f\x01\x1f é");
  EXPECT_EQ(out, R"("q\"b\\s/\n\t\r\b\f\u0001\u001F é")");
}

TEST(JsonWriterTest, EscapesAtEveryPositionOfLongStrings) {
  for (char special : {'"', '\\', '\x1f', '\n'}) {
    for (size_t pos = 0; pos < 20; ++pos) {
      std::string text(20, 'a');
      text[pos] = special;
      text.append("\xc3\xa9\x7f ~");  // bytes at and above 0x7f need no escape
      std::string out;
      Writer(out).writeString(text);
      Parser parser;
      auto root = parser.parse(out);
      ASSERT_TRUE(root.isOk()) << out;
      EXPECT_EQ(*root->getString(), text);
      EXPECT_EQ(out.size(), text.size() + 2 + (special == '\x1f' ? 5 : 1));
    }
  }
}

TEST(JsonWriterTest, DoublesAsJava) {
  std::string out;
  Writer writer(out);
  writer.startArray();
  for (double d : {40.0, 1.5, -0.1, 1e300, 0.0, std::nan(""), std::numeric_limits<double>::infinity(),
                   -std::numeric_limits<double>::infinity()}) {
    writer.writeDouble(d);
  }
  writer.endArray();
  EXPECT_EQ(out, R"([40.0,1.5,-0.1,1e+300,0.0,"NaN","Infinity","-Infinity"])");
}

TEST(JsonReaderTest, TypedAccessToFields) {
  Parser parser;
  auto root = parser.parse(R"({"s":"text","i":-7,"u":18446744073709551615,"d":2.5,"b":true,"n":null,
                              "o":{"x":1},"a":[1,"two",null]})");
  ASSERT_TRUE(root.isOk()) << root.status().toString();
  auto object = root->getObject();
  ASSERT_TRUE(object.isOk());
  EXPECT_EQ(object->size(), 8u);
  EXPECT_EQ(*object->find("s")->getString(), "text");
  EXPECT_EQ(*object->find("i")->getInt64(), -7);
  EXPECT_EQ(*object->find("i")->getDouble(), -7.0);
  EXPECT_EQ(*object->find("u")->getUint64(), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(*object->find("d")->getDouble(), 2.5);
  EXPECT_TRUE(*object->find("b")->getBool());
  EXPECT_TRUE(object->find("n")->isNull());
  EXPECT_FALSE(object->find("missing").has_value());
  EXPECT_EQ(*object->find("o")->getObject()->find("x")->getInt64(), 1);

  auto array = object->find("a")->getArray();
  ASSERT_TRUE(array.isOk());
  EXPECT_EQ(array->size(), 3u);
  std::vector<Type> types;
  for (Value v : *array) types.push_back(v.type());
  EXPECT_EQ(types, (std::vector<Type>{Type::kInt64, Type::kString, Type::kNull}));

  std::vector<std::string> keys;
  for (auto [key, value] : *object) keys.emplace_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"s", "i", "u", "d", "b", "n", "o", "a"}));
}

TEST(JsonReaderTest, WrongTypesAndRangesAreErrors) {
  Parser parser;
  auto root = parser.parse(R"({"s":"text","d":1.5,"u":18446744073709551615,"neg":-1})");
  ASSERT_TRUE(root.isOk());
  auto object = *root->getObject();
  EXPECT_EQ(object.find("s")->getInt64().status().message(), "expected an integer, got a string");
  EXPECT_EQ(object.find("d")->getInt64().status().message(), "expected an integer, got a number");
  EXPECT_EQ(object.find("d")->getString().status().message(), "expected a string, got a number");
  EXPECT_EQ(object.find("s")->getObject().status().message(), "expected an object, got a string");
  EXPECT_EQ(object.find("u")->getInt64().status().message(), "integer 18446744073709551615 out of range");
  EXPECT_EQ(object.find("neg")->getUint64().status().message(), "integer -1 out of range");
  EXPECT_EQ(object.find("s")->getDouble().status().code(), Status::Code::kInvalidArgument);
}

TEST(JsonReaderTest, JacksonNonNumbersReadAsDoubles) {
  Parser parser;
  auto root = parser.parse(R"(["NaN","Infinity","-Infinity"])");
  ASSERT_TRUE(root.isOk());
  auto array = root->getArray();  // a named Result: a range-for over *temporary would dangle
  std::vector<double> values;
  for (Value v : *array) values.push_back(*v.getDouble());
  EXPECT_TRUE(std::isnan(values[0]));
  EXPECT_EQ(values[1], std::numeric_limits<double>::infinity());
  EXPECT_EQ(values[2], -std::numeric_limits<double>::infinity());
}

TEST(JsonReaderTest, MalformedTextIsAnError) {
  Parser parser;
  for (std::string_view text : {"", "{", R"({"a":})", "[1,2", R"({"a" 1})", "nul", "{\"a\":\"\xff\"}", "1 2"}) {
    auto root = parser.parse(text);
    ASSERT_FALSE(root.isOk()) << text;
    EXPECT_EQ(root.status().code(), Status::Code::kInvalidArgument);
    EXPECT_EQ(root.status().message().rfind("malformed JSON: ", 0), 0u) << root.status().message();
  }
}

TEST(JsonReaderTest, DeepNestingIsBoundedNotACrash) {
  Parser parser;
  std::string deep(100000, '[');
  deep.append(100000, ']');
  EXPECT_FALSE(parser.parse(deep).isOk());
  std::string ok(500, '[');
  ok.append(500, ']');
  EXPECT_TRUE(parser.parse(ok).isOk());
}

TEST(JsonReaderTest, ParserIsReusedAcrossDocuments) {
  Parser& parser = threadParser();
  for (int i = 0; i < 3; ++i) {
    std::string text = R"({"n":)" + std::to_string(i) + "}";
    auto root = parser.parse(text);
    ASSERT_TRUE(root.isOk());
    EXPECT_EQ(*root->getObject()->find("n")->getInt64(), i);
  }
}

TEST(JsonRoundTripTest, WriterOutputReadsBack) {
  std::string out;
  Writer writer(out);
  writer.startObject();
  writer.writeKey("k\"ey");
  writer.writeString("line\nbreak \x02 \xe2\x82\xac");
  writer.writeKey("d");
  writer.writeDouble(0.1);
  writer.endObject();
  Parser parser;
  auto root = parser.parse(out);
  ASSERT_TRUE(root.isOk()) << out;
  EXPECT_EQ(*root->getObject()->find("k\"ey")->getString(), "line\nbreak \x02 \xe2\x82\xac");
  EXPECT_EQ(*root->getObject()->find("d")->getDouble(), 0.1);
}

}  // namespace
}  // namespace runnel::json
