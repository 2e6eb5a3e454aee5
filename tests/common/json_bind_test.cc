#include "common/json_bind.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace runnel::json {
namespace {

struct Inner {
  std::string name;
  std::vector<int32_t> numbers;
  bool operator==(const Inner&) const = default;
};
RUNNEL_JSON_FIELDS(Inner, (name, "name"), (numbers, "numbers"))

struct Everything {
  std::string text;
  bool flag = false;
  int8_t tiny = 0;
  int32_t small = 0;
  int64_t big = 0;
  uint16_t unsigned_small = 0;
  double real = 0;
  float single = 0;
  std::optional<int64_t> maybe;
  std::optional<Inner> maybe_inner;
  Inner inner;
  std::vector<Inner> inners;
  std::vector<std::optional<std::string>> texts;
  std::vector<bool> flags;
  bool operator==(const Everything&) const = default;
};
RUNNEL_JSON_FIELDS(Everything, (text, "text"), (flag, "flag"), (tiny, "tiny"), (small, "small"), (big, "big"),
                   (unsigned_small, "unsignedSmall"), (real, "real"), (single, "single"), (maybe, "maybe"),
                   (maybe_inner, "maybeInner"), (inner, "inner"), (inners, "inners"), (texts, "texts"),
                   (flags, "flags"))

Everything sample() {
  return {"héllo \"q\"", true, -8,  -70000, int64_t{1} << 60, 65535, 0.1, 1.5f, 42, Inner{"mi", {1}},
          Inner{"i", {1, 2, 3}}, {Inner{"a", {}}, Inner{"b", {-1}}}, {"x", std::nullopt}, {true, false, true}};
}

TEST(JsonBindTest, RoundTripsEveryKindOfMember) {
  std::string text;
  appendJson(sample(), text);
  EXPECT_EQ(text,
            R"({"text":"héllo \"q\"","flag":true,"tiny":-8,"small":-70000,"big":1152921504606846976,)"
            R"("unsignedSmall":65535,"real":0.1,"single":1.5,"maybe":42,"maybeInner":{"name":"mi","numbers":[1]},)"
            R"("inner":{"name":"i","numbers":[1,2,3]},"inners":[{"name":"a","numbers":[]},{"name":"b","numbers":[-1]}],)"
            R"("texts":["x",null],"flags":[true,false,true]})");
  Everything back;
  ASSERT_TRUE(fromJson(text, back).isOk());
  EXPECT_EQ(back, sample());
}

TEST(JsonBindTest, MissingAndNullFieldsResetReusedTarget) {
  Everything out = sample();
  ASSERT_TRUE(fromJson(R"({"text":null,"maybe":null,"inner":null,"unknown":{"deep":[1,2]}})", out).isOk());
  EXPECT_EQ(out, Everything{});
}

TEST(JsonBindTest, ReusesBuffersOfTheTarget) {
  Everything out;
  ASSERT_TRUE(fromJson(R"({"text":"a long enough string to be on the heap","inners":[{"name":"x"}]})", out).isOk());
  const char* text_buffer = out.text.data();
  const Inner* inners_buffer = out.inners.data();
  ASSERT_TRUE(fromJson(R"({"text":"shorter but still on the heap","inners":[{"name":"y"}]})", out).isOk());
  EXPECT_EQ(out.text, "shorter but still on the heap");
  EXPECT_EQ(out.text.data(), text_buffer);
  EXPECT_EQ(out.inners.data(), inners_buffer);
  EXPECT_EQ(out.inners[0].name, "y");
}

TEST(JsonBindTest, WrongTypesNameTheField) {
  Everything out;
  auto message = [&](std::string_view text) { return fromJson(text, out).message(); };
  EXPECT_EQ(message(R"({"text":1})"), "field 'text': expected a string, got an integer");
  EXPECT_EQ(message(R"({"small":"1"})"), "field 'small': expected an integer, got a string");
  EXPECT_EQ(message(R"({"small":1.5})"), "field 'small': expected an integer, got a number");
  EXPECT_EQ(message(R"({"tiny":200})"), "field 'tiny': integer 200 out of range for int8_t");
  EXPECT_EQ(message(R"({"unsignedSmall":-1})"), "field 'unsignedSmall': integer -1 out of range");
  EXPECT_EQ(message(R"({"flag":"true"})"), "field 'flag': expected a boolean, got a string");
  EXPECT_EQ(message(R"({"inner":{"name":[]}})"), "field 'inner': field 'name': expected a string, got an array");
  EXPECT_EQ(message(R"({"inners":[{},{"numbers":[1,"x"]}]})"),
            "field 'inners': element 1: field 'numbers': element 1: expected an integer, got a string");
  EXPECT_EQ(message(R"([1])"), "expected an object, got an array");
  EXPECT_EQ(message(R"({"text":)"), "malformed JSON: The JSON document has an improper structure: missing or superfluous commas, braces, missing keys, etc.");
}

struct Tree {
  int32_t value = 0;
  std::vector<Tree> children;
};
RUNNEL_JSON_FIELDS(Tree, (value, "v"), (children, "c"))

std::string nested(int depth) {
  std::string text;
  for (int i = 0; i < depth; ++i) text += R"({"v":1,"c":[)";
  text += "{}";
  for (int i = 0; i < depth; ++i) text += "]}";
  return text;
}

TEST(JsonBindTest, DeepNestingReadsWithinTheParserLimit) {
  Tree tree;
  ASSERT_TRUE(fromJson(nested(400), tree).isOk());
  int depth = 0;
  for (const Tree* t = &tree; !t->children.empty(); t = &t->children[0]) ++depth;
  EXPECT_EQ(depth, 400);
  std::string back;
  appendJson(tree, back);
  EXPECT_EQ(back.size(), nested(400).size() + 12);  // the innermost {} reads back as {"v":0,"c":[]}
  EXPECT_FALSE(fromJson(nested(5000), tree).isOk());
}

}  // namespace
}  // namespace runnel::json
