#include "sql/functions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <limits>
#include <ostream>
#include <random>
#include <set>

namespace runnel::sql {
namespace {}  // namespace

// Readable failure messages: NULL, 42, 1.5, 'text', 12.34 (DECIMAL), [..], {k: v}, (fields).
void PrintTo(const Value& value, std::ostream* out) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>)
          *out << "NULL";
        else if constexpr (std::is_same_v<T, std::string>)
          *out << "'" << v << "'";
        else if constexpr (std::is_same_v<T, Bytes>)
          *out << "bytes'" << v.data << "'";
        else if constexpr (std::is_same_v<T, Decimal>)
          *out << static_cast<int64_t>(v.unscaled) << "e-" << v.scale;
        else if constexpr (std::is_same_v<T, Date>)
          *out << "date " << v.days;
        else if constexpr (std::is_same_v<T, Time> || std::is_same_v<T, Timestamp>)
          *out << "millis " << v.millis;
        else if constexpr (std::is_same_v<T, ArrayPtr> || std::is_same_v<T, StructPtr>) {
          *out << "[";
          const auto& items = [&]() -> const std::vector<Value>& {
            if constexpr (std::is_same_v<T, ArrayPtr>)
              return v->items;
            else
              return v->fields;
          }();
          for (const Value& item : items) {
            PrintTo(item, out);
            *out << " ";
          }
          *out << "]";
        } else if constexpr (std::is_same_v<T, MapPtr>) {
          *out << "{";
          for (const auto& [key, item] : v->entries) {
            PrintTo(key, out);
            *out << ": ";
            PrintTo(item, out);
            *out << " ";
          }
          *out << "}";
        } else {
          *out << std::setprecision(17) << v;
        }
      },
      value.storage());
}

namespace {

const FunctionRegistry& registry() { return FunctionRegistry::builtin(); }

SqlTypePtr integer() { return SqlType::integer(); }
SqlTypePtr bigint() { return SqlType::bigint(); }
SqlTypePtr dbl() { return SqlType::doubleType(); }
SqlTypePtr str() { return SqlType::string(); }

BoundScalarFunction bind(const std::string& name, const std::vector<SqlTypePtr>& types) {
  auto bound = registry().bindScalar(name, types);
  EXPECT_TRUE(bound.isOk()) << name << ": " << bound.status().toString();
  return std::move(bound).value();
}

// Binds to the types the values have and calls.
Value call(const std::string& name, const std::vector<SqlTypePtr>& types, std::vector<Value> args) {
  return bind(name, types).invoke(args);
}

std::string bindError(const std::string& name, const std::vector<SqlTypePtr>& types) {
  auto bound = registry().bindScalar(name, types);
  EXPECT_FALSE(bound.isOk());
  return bound.isOk() ? "" : bound.status().message();
}

Value strings(std::vector<std::string> items) {
  std::vector<Value> values;
  for (auto& item : items) values.emplace_back(std::move(item));
  return Value::array(std::move(values));
}

Decimal dec(int64_t unscaled, int scale) { return Decimal{unscaled, scale}; }

// ---- registry: lookup, widening, messages --------------------------------------------

TEST(FunctionRegistryTest, UnknownFunctionUsesKsqlDbMessage) {
  EXPECT_EQ(bindError("WONT_FIND_ME", {}), "Can't find any functions with the name 'WONT_FIND_ME'");
  auto aggregate = registry().makeAggregate("WONT_FIND_ME", {integer()}, {});
  ASSERT_FALSE(aggregate.isOk());
  EXPECT_EQ(aggregate.status().message(), "Can't find any functions with the name 'WONT_FIND_ME'");
  EXPECT_FALSE(registry().isAggregate("UCASE"));
  EXPECT_TRUE(registry().isAggregate("count"));
}

TEST(FunctionRegistryTest, WrongArgumentTypesListTheAlternatives) {
  const std::string message = bindError("SUBSTRING", {integer()});
  EXPECT_EQ(message.substr(0, message.find('\n')),
            "Function 'substring' does not accept parameters (INTEGER).");
  EXPECT_NE(message.find("Valid alternatives are:\nsubstring(VARCHAR str, INT pos)\n"),
            std::string::npos)
      << message;
  const std::string len = bindError("LEN", {SqlType::boolean(), nullptr});
  EXPECT_EQ(len.substr(0, len.find('\n')),
            "Function 'len' does not accept parameters (BOOLEAN, null).");
  auto aggregate = registry().makeAggregate("SUM", {str()}, {});
  ASSERT_FALSE(aggregate.isOk());
  EXPECT_EQ(aggregate.status().message().substr(0, 52),
            "Function 'SUM' does not accept parameters (STRING).\n");
}

TEST(FunctionRegistryTest, NamesAreCaseInsensitive) {
  EXPECT_EQ(call("ucase", {str()}, {"abc"}), Value("ABC"));
  EXPECT_EQ(call("Ucase", {str()}, {"abc"}), Value("ABC"));
}

TEST(FunctionRegistryTest, ExactVariantWinsOverWidening) {
  EXPECT_EQ(bind("ABS", {integer()}).return_type->kind, TypeKind::kInt);
  EXPECT_EQ(bind("ABS", {bigint()}).return_type->kind, TypeKind::kBigint);
  EXPECT_EQ(bind("ABS", {dbl()}).return_type->kind, TypeKind::kDouble);
  auto decimal = bind("ABS", {SqlType::decimal(4, 2)});
  EXPECT_EQ(*decimal.return_type, *SqlType::decimal(4, 2));
}

TEST(FunctionRegistryTest, ArgumentsWidenIntToBigintToDecimalToDouble) {
  // TIMESTAMPTOSTRING takes BIGINT: an INT argument is widened, and the compiler told so.
  auto bound = bind("TIMESTAMPTOSTRING", {integer(), str()});
  EXPECT_EQ(bound.param_types[0]->kind, TypeKind::kBigint);
  // No INT -> STRING widening.
  EXPECT_FALSE(registry().bindScalar("TIMESTAMPTOSTRING", {str(), str()}).isOk());
  // ROUND(x, places) exists for DOUBLE and DECIMAL: a BIGINT goes to the nearer DECIMAL.
  auto round = bind("ROUND", {bigint(), integer()});
  EXPECT_EQ(*round.param_types[0], *SqlType::decimal(19, 0));
  // Generic T unifies numbers to the widest: COALESCE(INT, BIGINT, DOUBLE) is DOUBLE.
  auto coalesce = bind("COALESCE", {integer(), bigint(), dbl()});
  EXPECT_EQ(coalesce.return_type->kind, TypeKind::kDouble);
  EXPECT_EQ(coalesce.param_types.size(), 3u);
  for (const auto& type : coalesce.param_types) EXPECT_EQ(type->kind, TypeKind::kDouble);
  auto decimals = bind("IFNULL", {SqlType::decimal(4, 1), SqlType::decimal(5, 3)});
  EXPECT_EQ(*decimals.return_type, *SqlType::decimal(6, 3));
  EXPECT_FALSE(registry().bindScalar("IFNULL", {str(), integer()}).isOk());
}

TEST(FunctionRegistryTest, NullLiteralArgumentsMatchAnyParameter) {
  auto bound = bind("SUBSTRING", {str(), nullptr});
  EXPECT_EQ(bound.param_types[1]->kind, TypeKind::kInt);
  EXPECT_TRUE(bound.invoke(std::vector<Value>{"abc", Value::null()}).isNull());
}

TEST(FunctionRegistryTest, ListAndDescribe) {
  auto all = registry().list();
  ASSERT_GE(all.size(), 30u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end(),
                             [](const auto& a, const auto& b) { return a.name < b.name; }));
  auto substring = registry().describe("substring");
  ASSERT_TRUE(substring.isOk());
  EXPECT_EQ(substring->name, "SUBSTRING");
  EXPECT_EQ(substring->type, "SCALAR");
  EXPECT_EQ(substring->category, "STRING");
  ASSERT_EQ(substring->variants.size(), 4u);
  EXPECT_EQ(substring->variants[0].arguments, "str VARCHAR, pos INT");
  EXPECT_EQ(substring->variants[0].return_type, "VARCHAR");
  auto concat = registry().describe("CONCAT");
  EXPECT_EQ(concat->variants[0].arguments, "inputs VARCHAR[]");
  auto topk = registry().describe("TOPK");
  ASSERT_TRUE(topk.isOk());
  EXPECT_EQ(topk->type, "AGGREGATE");
  EXPECT_EQ(topk->variants[0].arguments, "val INT, k INT");
  EXPECT_EQ(registry().describe("NOPE").status().message(),
            "Can't find any functions with the name 'NOPE'");
  EXPECT_EQ(registry().describe("TIMESTAMPTOSTRING")->category, "DATE / TIME");
}

// ---- string functions ---------------------------------------------------------------

TEST(StringFunctionsTest, SubstringIsOneBasedWithNegativePositionsFromTheEnd) {
  auto two = [](Value s, int pos) {
    return call("SUBSTRING", {str(), integer()}, {std::move(s), pos});
  };
  auto three = [](Value s, int pos, int len) {
    return call("SUBSTRING", {str(), integer(), integer()}, {std::move(s), pos, len});
  };
  EXPECT_EQ(two("some_string", 6), Value("string"));
  EXPECT_EQ(two("another", 6), Value("er"));
  EXPECT_EQ(two("short", 6), Value(""));
  EXPECT_EQ(three("some_string", 6, 3), Value("str"));
  EXPECT_EQ(two("abcdef", 0), Value("abcdef"));
  EXPECT_EQ(two("abcdef", -2), Value("ef"));
  EXPECT_EQ(two("abcdef", -10), Value("abcdef"));
  EXPECT_EQ(three("abcdef", -3, 2), Value("de"));
  EXPECT_EQ(three("abcdef", 2, -1), Value(""));
  EXPECT_EQ(three("héllo", 2, 2), Value("él"));  // characters, not bytes
  EXPECT_TRUE(two(Value::null(), 1).isNull());
  EXPECT_TRUE(three("abc", 1, 0) == Value(""));
  EXPECT_TRUE(call("SUBSTRING", {str(), integer(), integer()}, {"abc", 1, Value::null()}).isNull());
  EXPECT_EQ(
      call("SUBSTRING", {SqlType::bytes(), integer(), integer()}, {Bytes{"some_string"}, 6, 3}),
      Value(Bytes{"str"}));
}

TEST(StringFunctionsTest, ConcatSkipsNulls) {
  EXPECT_EQ(call("CONCAT", {str(), str(), str()}, {"prefix-", "s1", "-postfix"}),
            Value("prefix-s1-postfix"));
  EXPECT_EQ(call("CONCAT", {str(), nullptr, str()}, {"a", Value::null(), "b"}), Value("ab"));
  EXPECT_EQ(call("CONCAT", {str()}, {Value::null()}), Value(""));
  EXPECT_EQ(call("CONCAT", {SqlType::bytes(), SqlType::bytes()}, {Bytes{"yes"}, Bytes{"no"}}),
            Value(Bytes{"yesno"}));
}

TEST(StringFunctionsTest, CaseTrimAndLength) {
  EXPECT_EQ(call("UCASE", {str()}, {"Hello, World"}), Value("HELLO, WORLD"));
  EXPECT_EQ(call("LCASE", {str()}, {"Hello, World"}), Value("hello, world"));
  EXPECT_TRUE(call("LCASE", {str()}, {Value::null()}).isNull());
  EXPECT_EQ(call("TRIM", {str()}, {" \t x y \n"}), Value("x y"));
  EXPECT_EQ(call("TRIM", {str()}, {"   "}), Value(""));
  EXPECT_EQ(call("LEN", {str()}, {"ABC"}), Value(3));
  EXPECT_EQ(call("LEN", {str()}, {"héllo"}), Value(5));
  EXPECT_EQ(call("LEN", {SqlType::bytes()}, {Bytes{"héllo"}}), Value(6));
  EXPECT_TRUE(call("LEN", {str()}, {Value::null()}).isNull());
}

TEST(StringFunctionsTest, ReplaceEveryLiteralOccurrence) {
  auto replace = [](Value s, Value a, Value b) {
    return call("REPLACE", {str(), str(), str()}, {std::move(s), std::move(a), std::move(b)});
  };
  EXPECT_EQ(replace("anaconda", "a", "o"), Value("onocondo"));
  EXPECT_EQ(replace("popcorn", "a", "o"), Value("popcorn"));
  EXPECT_EQ(replace("a.b.c", ".", ""), Value("abc"));
  EXPECT_EQ(replace("ab", "", "-"), Value("-a-b-"));
  EXPECT_TRUE(replace("anaconda", Value::null(), "o").isNull());
  EXPECT_TRUE(replace("anaconda", "a", Value::null()).isNull());
}

TEST(StringFunctionsTest, SplitKeepsEmptyPieces) {
  auto split = [](Value s, Value d) {
    return call("SPLIT", {str(), str()}, {std::move(s), std::move(d)});
  };
  EXPECT_EQ(split("a$$b.c", "$$"), strings({"a", "b.c"}));
  EXPECT_EQ(split(".abc$$", "$$"), strings({".abc", ""}));
  EXPECT_EQ(split(",A,", ","), strings({"", "A", ""}));
  EXPECT_EQ(split("abc", ""), strings({"a", "b", "c"}));
  EXPECT_EQ(split("", ""), strings({""}));
  EXPECT_EQ(split("", ","), strings({""}));
  EXPECT_TRUE(split(Value::null(), ",").isNull());
  EXPECT_EQ(bind("SPLIT", {str(), str()}).return_type->toString(), "ARRAY<STRING>");
}

// ---- math -------------------------------------------------------------------------------

TEST(MathFunctionsTest, AbsCeilFloorPerType) {
  EXPECT_EQ(call("ABS", {integer()}, {-1}), Value(1));
  EXPECT_EQ(call("ABS", {bigint()}, {int64_t{-2}}), Value(int64_t{2}));
  EXPECT_EQ(call("ABS", {dbl()}, {-3.1}), Value(3.1));
  EXPECT_EQ(call("ABS", {SqlType::decimal(2, 1)}, {dec(-32, 1)}), Value(dec(32, 1)));
  EXPECT_EQ(call("ABS", {integer()}, {INT32_MIN}), Value(INT32_MIN));  // Java's wrap, no UB
  EXPECT_TRUE(call("ABS", {integer()}, {Value::null()}).isNull());
  EXPECT_EQ(call("CEIL", {dbl()}, {1.1}), Value(2.0));
  EXPECT_EQ(call("CEIL", {dbl()}, {-1.9}), Value(-1.0));
  EXPECT_EQ(call("FLOOR", {dbl()}, {-1.1}), Value(-2.0));
  EXPECT_EQ(call("FLOOR", {integer()}, {7}), Value(7));
  EXPECT_EQ(call("CEIL", {SqlType::decimal(2, 1)}, {dec(11, 1)}), Value(dec(20, 1)));
  EXPECT_EQ(call("CEIL", {SqlType::decimal(2, 1)}, {dec(-19, 1)}), Value(dec(-10, 1)));
  EXPECT_EQ(call("FLOOR", {SqlType::decimal(2, 1)}, {dec(-11, 1)}), Value(dec(-20, 1)));
  EXPECT_EQ(call("FLOOR", {SqlType::decimal(2, 1)}, {dec(19, 1)}), Value(dec(10, 1)));
}

TEST(MathFunctionsTest, RandomIsADoubleFromZeroToOne) {
  auto random = bind("RANDOM", {});
  EXPECT_EQ(random.return_type->toString(), "DOUBLE");
  std::set<double> seen;
  for (int i = 0; i < 100; ++i) {
    double value = random.invoke({}).asDouble();
    EXPECT_GE(value, 0.0);
    EXPECT_LT(value, 1.0);
    seen.insert(value);
  }
  EXPECT_GT(seen.size(), 90u);
}

TEST(MathFunctionsTest, RoundHalfTowardsPositiveInfinityAsKsqlDb) {
  auto round0 = [](double v) { return call("ROUND", {dbl()}, {v}); };
  auto round = [](double v, int places) { return call("ROUND", {dbl(), integer()}, {v, places}); };
  EXPECT_EQ(bind("ROUND", {dbl()}).return_type->kind, TypeKind::kBigint);
  EXPECT_EQ(round0(1.5), Value(int64_t{2}));
  EXPECT_EQ(round0(-1.5), Value(int64_t{-1}));
  EXPECT_EQ(round0(-1.7), Value(int64_t{-2}));
  EXPECT_EQ(round0(0.49999999999999994), Value(int64_t{0}));
  EXPECT_EQ(round0(12345.678), Value(int64_t{12346}));
  // The expected values of ksqlDB's round test (math.json).
  EXPECT_EQ(round(1.234567, 2), Value(1.23));
  EXPECT_EQ(round(1.234567, 10), Value(1.234567));
  EXPECT_EQ(round(12345.678, 1), Value(12345.7));
  EXPECT_EQ(round(12345.678, 2), Value(12345.68));
  EXPECT_EQ(round(12345.678, -1), Value(12350.0));
  EXPECT_EQ(round(12345.678, -2), Value(12300.0));
  EXPECT_EQ(round(111, -1), Value(110.0));
  EXPECT_EQ(round(-1.5, 0), Value(-1.0));
  EXPECT_EQ(round(-1.1, -1), Value(0.0));
  EXPECT_EQ(round(1.5, 0), Value(2.0));
  EXPECT_EQ(round(0.125, 2), Value(0.13));    // decimal text 0.125, not the binary value
  EXPECT_EQ(round(-0.125, 2), Value(-0.12));  // HALF_DOWN for negatives
  EXPECT_EQ(round(9.995, 2), Value(10.0));
  EXPECT_TRUE(call("ROUND", {dbl(), integer()}, {Value::null(), 1}).isNull());
  EXPECT_EQ(call("ROUND", {integer()}, {7}), Value(7));
}

TEST(MathFunctionsTest, RoundDecimalKeepsOrDropsTheScale) {
  const SqlTypePtr type = SqlType::decimal(33, 16);
  auto zero = bind("ROUND", {type});
  EXPECT_EQ(*zero.return_type, *SqlType::decimal(18, 0));
  EXPECT_EQ(zero.invoke(std::vector<Value>{dec(12345, 3)}), Value(dec(12, 0)));
  EXPECT_EQ(zero.invoke(std::vector<Value>{dec(-25, 1)}), Value(dec(-2, 0)));
  EXPECT_EQ(zero.invoke(std::vector<Value>{dec(25, 1)}), Value(dec(3, 0)));
  auto places = bind("ROUND", {SqlType::decimal(6, 3), integer()});
  EXPECT_EQ(*places.return_type, *SqlType::decimal(7, 3));
  EXPECT_EQ(places.invoke(std::vector<Value>{dec(12345, 3), 1}), Value(dec(12300, 3)));
  EXPECT_EQ(places.invoke(std::vector<Value>{dec(12345, 3), 2}), Value(dec(12350, 3)));
  EXPECT_EQ(places.invoke(std::vector<Value>{dec(12345, 3), -1}), Value(dec(10000, 3)));
  EXPECT_EQ(places.invoke(std::vector<Value>{dec(12345, 3), 5}), Value(dec(12345, 3)));
  EXPECT_EQ(places.invoke(std::vector<Value>{dec(-12345, 3), 2}), Value(dec(-12340, 3)));
}

// ---- conditional ------------------------------------------------------------------------

TEST(ConditionalFunctionsTest, CoalesceIfNullNullIf) {
  EXPECT_EQ(call("COALESCE", {integer(), integer(), integer()}, {Value::null(), 2, 3}), Value(2));
  EXPECT_TRUE(call("COALESCE", {str()}, {Value::null()}).isNull());
  EXPECT_EQ(call("COALESCE", {SqlType::array(str()), SqlType::array(str())},
                 {Value::null(), strings({"a"})}),
            strings({"a"}));
  EXPECT_EQ(call("IFNULL", {str(), str()}, {Value::null(), "alt"}), Value("alt"));
  EXPECT_EQ(call("IFNULL", {str(), str()}, {"x", "alt"}), Value("x"));
  EXPECT_TRUE(call("NULLIF", {integer(), integer()}, {1, 1}).isNull());
  EXPECT_EQ(call("NULLIF", {integer(), integer()}, {1, 2}), Value(1));
  EXPECT_EQ(call("NULLIF", {integer(), integer()}, {1, Value::null()}), Value(1));
  EXPECT_FALSE(registry().bindScalar("COALESCE", {}).isOk());
}

// ---- JSON -------------------------------------------------------------------------------

TEST(JsonFunctionsTest, ExtractJsonFieldWithPaths) {
  auto extract = [](Value json, Value path) {
    return call("EXTRACTJSONFIELD", {str(), str()}, {std::move(json), std::move(path)});
  };
  const std::string doc =
      R"({"name": "cdc", "version": 1, "@type": "UDF", "a": {"b": [10, {"c": true}], "n": null},
                              "arr": [1, 2, 3], "s": "x\"y"})";
  EXPECT_EQ(extract(doc, "$.name"), Value("cdc"));
  EXPECT_EQ(extract(doc, "$.version"), Value("1"));
  EXPECT_EQ(extract(doc, "$.@type"), Value("UDF"));
  EXPECT_EQ(extract(doc, "$.a.b[0]"), Value("10"));
  EXPECT_EQ(extract(doc, "$.a.b[1].c"), Value("true"));
  EXPECT_EQ(extract(doc, "$.a.b[1]"), Value(R"({"c":true})"));
  EXPECT_EQ(extract(doc, "$['a']['b'][0]"), Value("10"));
  EXPECT_EQ(extract(doc, "$.arr"), Value("[1,2,3]"));
  EXPECT_EQ(extract(doc, "$.s"), Value("x\"y"));
  EXPECT_TRUE(extract(doc, "$.arr[-1]").isNull());
  EXPECT_TRUE(extract(doc, "$.arr[3]").isNull());
  EXPECT_TRUE(extract(doc, "$.a.n").isNull());
  EXPECT_TRUE(extract(doc, "$.missing.deeper").isNull());
  EXPECT_TRUE(extract(doc, "name").isNull());
  EXPECT_TRUE(extract("{not json", "$.a").isNull());
  EXPECT_TRUE(extract(Value::null(), "$.a").isNull());
  // Numbers keep their text, as ksqlDB's BigDecimal-reading Jackson does.
  EXPECT_EQ(extract(R"({"array": [1.23450]})", "$.array[0]"), Value("1.23450"));
  EXPECT_EQ(extract(R"({"a": { "b" : [ 1 , "x y" ] }})", "$.a"), Value(R"({"b":[1,"x y"]})"));
  // Like Jackson, the first JSON value is read and what follows it ignored.
  EXPECT_EQ(extract(R"({"name": "cdd", "version": "2"}})", "$.version"), Value("2"));
  EXPECT_EQ(extract(R"({"k\"ey": "\u00e9\n\ud83d\ude00"})", "$['k\"ey']"), Value("é\n😀"));
  EXPECT_EQ(extract(R"(  [true, null, -2e3] )", "$[2]"), Value("-2e3"));
  EXPECT_TRUE(extract("", "$").isNull());
  EXPECT_EQ(extract(R"("top")", "$"), Value("top"));
}

// ---- date / time --------------------------------------------------------------------------

constexpr int64_t kMay11 = 1526075913000;  // 2018-05-11T21:58:33Z

TEST(DateTimeFunctionsTest, TimestampToStringInZones) {
  auto format = [](Value millis, Value pattern, std::optional<std::string> zone = {}) {
    if (!zone)
      return call("TIMESTAMPTOSTRING", {bigint(), str()}, {std::move(millis), std::move(pattern)});
    return call("TIMESTAMPTOSTRING", {bigint(), str(), str()},
                {std::move(millis), std::move(pattern), *zone});
  };
  EXPECT_EQ(format(kMay11, "yyyy-MM-dd HH:mm:ss zzz", "America/Los_Angeles"),
            Value("2018-05-11 14:58:33 PDT"));
  EXPECT_EQ(format(kMay11, "yyyy-MM-dd HH:mm:ss zzz", "Europe/London"),
            Value("2018-05-11 22:58:33 BST"));
  EXPECT_EQ(format(kMay11, "yyyy-MM-dd HH:mm:ss"), Value("2018-05-11 21:58:33"));
  EXPECT_EQ(format(kMay11 + 7, "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"), Value("2018-05-11T21:58:33.007Z"));
  EXPECT_EQ(format(kMay11, "yyyy-MM-dd'T'HH:mm:ssXXX", "+05:30"),
            Value("2018-05-12T03:28:33+05:30"));
  EXPECT_EQ(format(kMay11, "yyyyMMdd HHmm Z", "America/New_York"), Value("20180511 1758 -0400"));
  EXPECT_EQ(format(kMay11, "EEE, d MMM yy h:mm a", "UTC"), Value("Fri, 11 May 18 9:58 PM"));
  EXPECT_EQ(format(kMay11, "EEEE MMMM D 'o''clock' ''", "UTC"), Value("Friday May 131 o'clock '"));
  EXPECT_EQ(format(kMay11, "X x", "Asia/Kolkata"), Value("+0530 +0530"));
  EXPECT_EQ(format(int64_t{-1}, "yyyy-MM-dd HH:mm:ss.SSS"), Value("1969-12-31 23:59:59.999"));
  EXPECT_EQ(format(kMay11, "yyyy[-MM]"), Value("2018-05"));
  // Winter time in the same zone.
  EXPECT_EQ(format(int64_t{1545000000000}, "HH:mm zzz", "America/Los_Angeles"), Value("14:40 PST"));
  EXPECT_TRUE(format(kMay11, "yyyy", "Not/AZone").isNull());
  EXPECT_TRUE(format(kMay11, "yyyy-bb").isNull());
  EXPECT_TRUE(format(Value::null(), "yyyy").isNull());
}

TEST(DateTimeFunctionsTest, StringToTimestampReadsPatternsAndZones) {
  auto parse = [](Value text, Value pattern, std::optional<std::string> zone = {}) {
    if (!zone)
      return call("STRINGTOTIMESTAMP", {str(), str()}, {std::move(text), std::move(pattern)});
    return call("STRINGTOTIMESTAMP", {str(), str(), str()},
                {std::move(text), std::move(pattern), *zone});
  };
  EXPECT_EQ(parse("2018-05-11T21:58:33Z", "yyyy-MM-dd'T'HH:mm:ssX"), Value(kMay11));
  EXPECT_EQ(parse("2019-08-27T13:31:09.2+0000", "yyyy-MM-dd'T'HH:mm:ss.SX"),
            Value(int64_t{1566912669200}));
  EXPECT_EQ(parse("2018-05-11 14:58:33", "yyyy-MM-dd HH:mm:ss", "America/Los_Angeles"),
            Value(kMay11));
  EXPECT_EQ(parse("2018-05-11T21:58:33 PST", "yyyy-MM-dd'T'HH:mm:ss zzz"),
            Value(int64_t{1526101113000}));
  EXPECT_EQ(parse("2018-05-11T23:58:33+02:00", "yyyy-MM-dd'T'HH:mm:ssXXX", "America/Los_Angeles"),
            Value(kMay11));
  EXPECT_EQ(parse("20180511215833", "yyyyMMddHHmmss"), Value(kMay11));
  EXPECT_EQ(parse("2018-5-11 9:58:33 PM", "yyyy-M-d h:mm:ss a"), Value(kMay11));
  EXPECT_EQ(parse("11 May 2018", "dd MMM yyyy"), Value(int64_t{1525996800000}));
  EXPECT_EQ(parse("1970", "yyyy"), Value(int64_t{0}));
  // Case-insensitive, as ksqlDB's parser.
  EXPECT_EQ(parse("2018-05-11t21:58:33z", "yyyy-MM-dd'T'HH:mm:ssX"), Value(kMay11));
  EXPECT_EQ(parse("2019-02-30", "yyyy-MM-dd"), Value(int64_t{1551312000000}));  // SMART: Feb 28
  // Optional sections parse when present and are skipped when not.
  EXPECT_EQ(parse("2018-05-11T21:58:33.250Z", "yyyy-MM-dd'T'HH:mm:ss[.SSS]X"), Value(kMay11 + 250));
  EXPECT_EQ(parse("2018-05-11T21:58:33Z", "yyyy-MM-dd'T'HH:mm:ss[.SSS]X"), Value(kMay11));
  EXPECT_EQ(parse("2018-05-11", "yyyy-MM-dd['T'HH:mm[:ss]]"), Value(int64_t{1525996800000}));
  EXPECT_EQ(parse("2018-05-11T21:58", "yyyy-MM-dd['T'HH:mm[:ss]]"), Value(kMay11 - 33000));
  EXPECT_TRUE(parse("2018", "yyyy]").isNull());
  EXPECT_TRUE(parse("not a timestamp", "yyyy-MM-dd'T'HH:mm:ssX").isNull());
  EXPECT_TRUE(parse("2018-05-11T21:58:33Zextra", "yyyy-MM-dd'T'HH:mm:ssX").isNull());
  EXPECT_TRUE(parse("2018-13-11", "yyyy-MM-dd").isNull());
  EXPECT_TRUE(parse(Value::null(), "yyyy").isNull());
}

TEST(DateTimeFunctionsTest, DaylightSavingGapsAndOverlapsResolveAsJavaTime) {
  auto parse = [](std::string text) {
    return call("STRINGTOTIMESTAMP", {str(), str(), str()},
                {std::move(text), "yyyy-MM-dd HH:mm", "America/Los_Angeles"});
  };
  // 2021-03-14 02:30 does not exist: java.time moves it to 03:30 PDT (10:30Z).
  EXPECT_EQ(parse("2021-03-14 02:30"), Value(int64_t{1615717800000}));
  // 2021-11-07 01:30 happens twice: the earlier offset (PDT, 08:30Z) wins.
  EXPECT_EQ(parse("2021-11-07 01:30"), Value(int64_t{1636273800000}));
}

TEST(DateTimeFunctionsTest, FormatAndParseTimestampTypes) {
  EXPECT_EQ(call("FORMAT_TIMESTAMP", {SqlType::timestamp(), str(), str()},
                 {Timestamp{kMay11}, "yyyy-MM-dd HH:mm:ss zzz", "America/Los_Angeles"}),
            Value("2018-05-11 14:58:33 PDT"));
  EXPECT_EQ(call("FORMAT_TIMESTAMP", {SqlType::timestamp(), str()},
                 {Timestamp{kMay11}, "yyyy-MM-dd HH:mm:ss"}),
            Value("2018-05-11 21:58:33"));
  auto parse = bind("PARSE_TIMESTAMP", {str(), str()});
  EXPECT_EQ(parse.return_type->kind, TypeKind::kTimestamp);
  EXPECT_EQ(parse.invoke(std::vector<Value>{"2018-05-11T21:58:33", "yyyy-MM-dd'T'HH:mm:ss"}),
            Value(Timestamp{kMay11}));
  EXPECT_EQ(call("UNIX_TIMESTAMP", {SqlType::timestamp()}, {Timestamp{kMay11}}), Value(kMay11));
  const int64_t before = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  const Value now = call("UNIX_TIMESTAMP", {}, {});
  EXPECT_GE(now.asBigint(), before);
  EXPECT_LT(now.asBigint(), before + 60'000);
}

// ---- aggregates ----------------------------------------------------------------------------

std::unique_ptr<AggregateFunction> makeAggregate(const std::string& name,
                                                 std::vector<SqlTypePtr> types,
                                                 std::vector<Value> literals = {}) {
  auto made = registry().makeAggregate(name, types, literals);
  EXPECT_TRUE(made.isOk()) << name << ": " << made.status().toString();
  return made.isOk() ? std::move(made).value() : nullptr;
}

// Folds `inputs` (one argument each) and returns the result after each record.
std::vector<Value> run(const AggregateFunction& function, const std::vector<Value>& inputs) {
  std::vector<Value> results;
  Value state = function.initialize();
  for (const Value& input : inputs) {
    state = function.aggregate(std::span<const Value>(&input, 1), std::move(state));
    results.push_back(function.result(state));
  }
  return results;
}

Value undo(const AggregateFunction& function, const Value& input, Value state) {
  return function.undo(std::span<const Value>(&input, 1), std::move(state));
}

TEST(AggregateFunctionsTest, CountRecordsOrNonNullValuesWithUndo) {
  auto all = makeAggregate("COUNT", {});
  Value state = all->initialize();
  state = all->aggregate({}, state);
  state = all->aggregate({}, state);
  EXPECT_EQ(all->result(state), Value(int64_t{2}));
  EXPECT_EQ(all->result(all->undo({}, state)), Value(int64_t{1}));
  auto literal = makeAggregate("COUNT", {}, {Value(1)});
  EXPECT_EQ(literal->result(literal->aggregate({}, literal->initialize())), Value(int64_t{1}));

  auto column = makeAggregate("COUNT", {str()});
  EXPECT_EQ(run(*column, {"a", Value::null(), "b"}),
            (std::vector<Value>{int64_t{1}, int64_t{1}, int64_t{2}}));
  ASSERT_TRUE(column->supportsUndo());
  EXPECT_EQ(column->returnType()->kind, TypeKind::kBigint);
}

TEST(AggregateFunctionsTest, SumPerTypeWithUndo) {
  auto ints = makeAggregate("SUM", {integer()});
  EXPECT_EQ(ints->returnType()->kind, TypeKind::kInt);
  EXPECT_EQ(run(*ints, {1, Value::null(), 5}), (std::vector<Value>{1, 1, 6}));
  auto doubles = makeAggregate("SUM", {dbl()});
  EXPECT_EQ(run(*doubles, {1.5, 2.25}), (std::vector<Value>{1.5, 3.75}));
  auto decimals = makeAggregate("SUM", {SqlType::decimal(4, 1)});
  EXPECT_EQ(*decimals->returnType(), *SqlType::decimal(4, 1));
  EXPECT_EQ(run(*decimals, {dec(54, 1), dec(1001, 1)}),
            (std::vector<Value>{dec(54, 1), dec(1055, 1)}));
  auto longs = makeAggregate("SUM", {bigint()});
  Value state = longs->aggregate(std::vector<Value>{int64_t{10}}, longs->initialize());
  state = longs->aggregate(std::vector<Value>{int64_t{5}}, state);
  EXPECT_EQ(longs->result(undo(*longs, int64_t{10}, state)), Value(int64_t{5}));
  EXPECT_EQ(longs->result(undo(*longs, Value::null(), state)), Value(int64_t{15}));
}

TEST(AggregateFunctionsTest, AverageKeepsSumAndCountAndReturnsDouble) {
  auto avg = makeAggregate("AVG", {integer()});
  EXPECT_EQ(avg->returnType()->kind, TypeKind::kDouble);
  EXPECT_EQ(avg->aggregateType()->toString(), "STRUCT<`SUM` BIGINT, `COUNT` BIGINT>");
  EXPECT_EQ(run(*avg, {1, 2, Value::null(), 4}), (std::vector<Value>{1.0, 1.5, 1.5, 7.0 / 3}));
  Value state = avg->initialize();
  EXPECT_EQ(avg->result(state), Value(0.0));
  state = avg->aggregate(std::vector<Value>{1}, state);
  state = avg->aggregate(std::vector<Value>{2}, state);
  state = undo(*avg, 1, state);
  EXPECT_EQ(avg->result(state), Value(2.0));
  auto decimals = makeAggregate("AVG", {SqlType::decimal(4, 1)});
  EXPECT_EQ(run(*decimals, {dec(15, 1), dec(25, 1)}), (std::vector<Value>{1.5, 2.0}));
}

TEST(AggregateFunctionsTest, MinMaxSkipNulls) {
  auto min = makeAggregate("MIN", {integer()});
  auto max = makeAggregate("MAX", {str()});
  EXPECT_EQ(run(*min, {Value::null(), 5, 3, 9}), (std::vector<Value>{Value::null(), 5, 3, 3}));
  EXPECT_EQ(run(*max, {"b", "a", Value::null(), "c"}), (std::vector<Value>{"b", "b", "b", "c"}));
  auto decimals = makeAggregate("MAX", {SqlType::decimal(4, 2)});
  EXPECT_EQ(run(*decimals, {dec(150, 2), dec(-1, 2)}),
            (std::vector<Value>{dec(150, 2), dec(150, 2)}));
  EXPECT_FALSE(min->supportsUndo());
  EXPECT_FALSE(registry().makeAggregate("MIN", {SqlType::boolean()}, {}).isOk());
}

TEST(AggregateFunctionsTest, LatestAndEarliestByOffset) {
  auto latest = makeAggregate("LATEST_BY_OFFSET", {integer()});
  EXPECT_EQ(latest->returnType()->kind, TypeKind::kInt);
  EXPECT_EQ(run(*latest, {12, Value::null(), 13}), (std::vector<Value>{12, 12, 13}));
  auto latest_nulls = makeAggregate("LATEST_BY_OFFSET", {integer()}, {Value(false)});
  EXPECT_EQ(run(*latest_nulls, {12, Value::null(), 13}),
            (std::vector<Value>{12, Value::null(), 13}));
  auto latest_two = makeAggregate("LATEST_BY_OFFSET", {integer()}, {Value(2), Value(true)});
  EXPECT_EQ(latest_two->returnType()->toString(), "ARRAY<INTEGER>");
  EXPECT_EQ(run(*latest_two, {12, Value::null(), 13, 14}),
            (std::vector<Value>{Value::array({12}), Value::array({12}), Value::array({12, 13}),
                                Value::array({13, 14})}));
  auto latest_two_nulls = makeAggregate("LATEST_BY_OFFSET", {integer()}, {Value(2), Value(false)});
  EXPECT_EQ(run(*latest_two_nulls, {12, Value::null()}).back(), Value::array({12, Value::null()}));

  auto earliest = makeAggregate("EARLIEST_BY_OFFSET", {str()});
  EXPECT_EQ(run(*earliest, {Value::null(), "a", "b"}),
            (std::vector<Value>{Value::null(), "a", "a"}));
  auto earliest_nulls = makeAggregate("EARLIEST_BY_OFFSET", {str()}, {Value(false)});
  EXPECT_EQ(run(*earliest_nulls, {Value::null(), "a"}),
            (std::vector<Value>{Value::null(), Value::null()}));
  auto earliest_two = makeAggregate("EARLIEST_BY_OFFSET", {str()}, {Value(2)});
  EXPECT_EQ(run(*earliest_two, {"a", Value::null(), "b", "c"}).back(), strings({"a", "b"}));
  // Composite values work as any other.
  auto structs = makeAggregate("LATEST_BY_OFFSET", {SqlType::structType({{"A", str()}})});
  EXPECT_EQ(run(*structs, {Value::structOf({"x"})}).back(), Value::structOf({"x"}));
  EXPECT_FALSE(registry().makeAggregate("LATEST_BY_OFFSET", {integer()}, {Value(0)}).isOk());
  EXPECT_FALSE(registry().makeAggregate("LATEST_BY_OFFSET", {integer()}, {Value("x")}).isOk());
}

TEST(AggregateFunctionsTest, CollectListAndSet) {
  auto list = makeAggregate("COLLECT_LIST", {str()});
  EXPECT_EQ(list->returnType()->toString(), "ARRAY<STRING>");
  EXPECT_EQ(run(*list, {"baz", "baz", "foo", Value::null()}).back(),
            Value::array({"baz", "baz", "foo", Value::null()}));
  Value state = list->initialize();
  for (const char* v : {"a", "b", "a"})
    state = list->aggregate(std::vector<Value>{v}, std::move(state));
  EXPECT_EQ(list->result(undo(*list, "a", state)), strings({"a", "b"}));
  EXPECT_EQ(list->result(undo(*list, "z", state)), strings({"a", "b", "a"}));

  auto limited = makeAggregate("COLLECT_LIST", {integer()});
  Value collected = limited->initialize();
  for (int i = 0; i < 1005; ++i)
    collected = limited->aggregate(std::vector<Value>{i}, std::move(collected));
  EXPECT_EQ(limited->result(collected).asArray().items.size(), 1000u);
  EXPECT_EQ(limited->result(collected).asArray().items.back(), Value(999));

  auto set = makeAggregate("COLLECT_SET", {str()});
  EXPECT_EQ(run(*set, {"b", "a", "b", Value::null(), "c", Value::null()}).back(),
            Value::array({"b", "a", Value::null(), "c"}));
  // Maps are equal whatever their entries' order, as Java's.
  auto maps = makeAggregate("COLLECT_SET", {SqlType::map(str(), bigint())});
  const Value one = Value::map({{"Record0", int64_t{100}}, {"Record2", int64_t{2}}});
  const Value same = Value::map({{"Record2", int64_t{2}}, {"Record0", int64_t{100}}});
  EXPECT_EQ(run(*maps, {one, same}).back(), Value::array({one}));
  EXPECT_FALSE(set->supportsUndo());
}

TEST(AggregateFunctionsTest, StateSharedWithAnotherHolderIsNotChanged) {
  auto list = makeAggregate("COLLECT_LIST", {integer()});
  const Value first = list->aggregate(std::vector<Value>{1}, list->initialize());
  const Value second = list->aggregate(std::vector<Value>{2}, first);  // `first` still holds it
  EXPECT_EQ(first, Value::array({1}));
  EXPECT_EQ(second, Value::array({1, 2}));
}

TEST(AggregateFunctionsTest, HistogramCountsWithUndo) {
  auto histogram = makeAggregate("HISTOGRAM", {str()});
  EXPECT_EQ(histogram->returnType()->toString(), "MAP<STRING, BIGINT>");
  Value state = histogram->initialize();
  for (Value v : {Value("foo"), Value("bar"), Value("foo"), Value::null()}) {
    state = histogram->aggregate(std::span<const Value>(&v, 1), std::move(state));
  }
  EXPECT_EQ(histogram->result(state), Value::map({{"foo", int64_t{2}}, {"bar", int64_t{1}}}));
  state = undo(*histogram, "bar", std::move(state));
  state = undo(*histogram, "foo", std::move(state));
  EXPECT_EQ(histogram->result(state), Value::map({{"foo", int64_t{1}}}));
}

TEST(AggregateFunctionsTest, TopKAndTopKDistinct) {
  auto topk = makeAggregate("TOPK", {integer()}, {Value(3)});
  EXPECT_EQ(topk->returnType()->toString(), "ARRAY<INTEGER>");
  EXPECT_EQ(run(*topk, {0, 100, 99, 7, 100, Value::null()}),
            (std::vector<Value>{Value::array({0}), Value::array({100, 0}),
                                Value::array({100, 99, 0}), Value::array({100, 99, 7}),
                                Value::array({100, 100, 99}), Value::array({100, 100, 99})}));
  auto strings_topk = makeAggregate("TOPK", {str()}, {Value(3)});
  EXPECT_EQ(run(*strings_topk, {"a", "b", "c", "b", "d"}).back(), strings({"d", "c", "b"}));

  auto distinct = makeAggregate("TOPKDISTINCT", {dbl()}, {Value(2)});
  EXPECT_EQ(run(*distinct, {1.5, 3.0, 3.0, 2.0}).back(), Value::array({3.0, 2.0}));

  // TOPK(value, name, 3): rows by sort_col, an equal later one after the earlier.
  auto rows = makeAggregate("TOPK", {integer(), str()}, {Value(3)});
  EXPECT_EQ(rows->returnType()->toString(), "ARRAY<STRUCT<`sort_col` INTEGER, `col0` STRING>>");
  Value state = rows->initialize();
  for (auto [v, name] : std::vector<std::pair<Value, Value>>{{0, "zero"},
                                                             {100, "one"},
                                                             {99, "two"},
                                                             {Value::null(), "three"},
                                                             {100, Value::null()}}) {
    state = rows->aggregate(std::vector<Value>{v, name}, std::move(state));
  }
  EXPECT_EQ(rows->result(state),
            Value::array({Value::structOf({100, "one"}), Value::structOf({100, Value::null()}),
                          Value::structOf({99, "two"})}));
  EXPECT_FALSE(registry().makeAggregate("TOPK", {integer()}, {}).isOk());
  EXPECT_FALSE(registry().makeAggregate("TOPK", {integer()}, {Value(-1)}).isOk());
}

// Table aggregations apply and take back rows in any order: after every step the
// incremental state must give what a fresh aggregation of the live rows gives.
TEST(AggregateFunctionsTest, UndoMatchesRecomputationOnRandomChanges) {
  std::mt19937 random(42);
  for (const char* name : {"COUNT", "SUM", "AVG", "COLLECT_LIST", "HISTOGRAM"}) {
    const bool strings_in = std::string(name) == "HISTOGRAM";
    auto function = makeAggregate(name, {strings_in ? str() : integer()});
    ASSERT_TRUE(function->supportsUndo()) << name;
    auto input = [&](int v) -> Value {
      if (v % 7 == 0) return Value::null();
      return strings_in ? Value(std::to_string(v % 5)) : Value(v % 5);
    };
    // COLLECT_LIST's order after an undo is not the order of a fresh run: compare sorted.
    auto normalized = [&](Value result) {
      if (!result.is<ArrayPtr>()) return result;
      std::vector<Value> items = result.asArray().items;
      std::sort(items.begin(), items.end(), [](const Value& a, const Value& b) {
        return a.isNull() != b.isNull() ? a.isNull() : !a.isNull() && a.asInt() < b.asInt();
      });
      return Value::array(std::move(items));
    };
    std::vector<Value> live;
    Value state = function->initialize();
    for (int step = 0; step < 150; ++step) {
      if (!live.empty() && random() % 3 == 0) {
        const size_t index = random() % live.size();
        state = function->undo(std::span<const Value>(&live[index], 1), std::move(state));
        live.erase(live.begin() + static_cast<std::ptrdiff_t>(index));
      } else {
        live.push_back(input(static_cast<int>(random() % 100)));
        state = function->aggregate(std::span<const Value>(&live.back(), 1), std::move(state));
      }
      Value fresh = function->initialize();
      for (const Value& v : live)
        fresh = function->aggregate(std::span<const Value>(&v, 1), std::move(fresh));
      Value expected = normalized(function->result(fresh));
      Value actual = normalized(function->result(state));
      if (std::string(name) == "HISTOGRAM") {
        // Entry order may differ; compare counts per key.
        for (const auto& [key, count] : expected.asMap().entries) {
          auto& entries = actual.asMap().entries;
          auto it = std::find_if(entries.begin(), entries.end(),
                                 [&](const auto& e) { return e.first == key; });
          ASSERT_NE(it, entries.end()) << name << " step " << step;
          EXPECT_EQ(it->second, count) << name << " step " << step;
        }
        EXPECT_EQ(actual.asMap().entries.size(), expected.asMap().entries.size())
            << name << " step " << step;
      } else if (actual.is<double>()) {
        EXPECT_NEAR(actual.asDouble(), expected.asDouble(), 1e-9) << name << " step " << step;
      } else {
        EXPECT_EQ(actual, expected) << name << " step " << step;
      }
    }
  }
}

TEST(AggregateFunctionsTest, CountDistinct) {
  auto distinct = makeAggregate("COUNT_DISTINCT", {str()});
  EXPECT_EQ(run(*distinct, {"a", "b", "a", Value::null(), "c"}),
            (std::vector<Value>{int64_t{1}, int64_t{2}, int64_t{2}, int64_t{2}, int64_t{3}}));
}

// ---- GREATEST, LEAST ------------------------------------------------------------------

TEST(ComparisonFunctionsTest, GreatestAndLeastSkipNulls) {
  EXPECT_EQ(call("GREATEST", {integer(), integer(), nullptr}, {3, 7, Value::null()}), Value(7));
  EXPECT_EQ(call("LEAST", {integer(), integer(), nullptr}, {3, 7, Value::null()}), Value(3));
  EXPECT_EQ(call("GREATEST", {str(), str()}, {Value::null(), Value::null()}), Value::null());
  EXPECT_EQ(call("LEAST", {str(), str(), str()}, {"apple", "!", "Zebra"}), Value("!"));
  EXPECT_EQ(call("GREATEST", {SqlType::decimal(9, 3), SqlType::decimal(9, 3)},
                 {dec(123456789, 3), dec(-987654321, 3)}),
            Value(dec(123456789, 3)));
}

TEST(ComparisonFunctionsTest, OneTypeForAllArguments) {
  // A DOUBLE among mixed numbers makes them all DOUBLE; without one ksqlDB finds several
  // overloads and reports the call ambiguous.
  auto mixed = bind("GREATEST", {integer(), bigint(), SqlType::decimal(30, 18), dbl(), nullptr});
  EXPECT_EQ(mixed.return_type->kind, TypeKind::kDouble);
  EXPECT_EQ(mixed.param_types.size(), 5u);
  EXPECT_EQ(bindError("GREATEST", {integer(), bigint()}),
            "Function 'greatest' cannot be resolved due to ambiguous method parameters "
            "(INTEGER, BIGINT).");
  EXPECT_EQ(*bind("LEAST", {SqlType::decimal(9, 3), SqlType::decimal(5, 4)}).return_type,
            *SqlType::decimal(10, 4));
  // A string (literal) converts to the DATE, TIME or TIMESTAMP it is compared with.
  auto dates = bind("GREATEST", {SqlType::date(), str()});
  EXPECT_EQ(dates.return_type->kind, TypeKind::kDate);
  EXPECT_EQ(dates.param_types[1]->kind, TypeKind::kDate);
  const std::string message = bindError("LEAST", {str(), integer()});
  EXPECT_EQ(message.substr(0, message.find('\n')),
            "Function 'least' does not accept parameters (STRING, INTEGER).");
  const std::string none = bindError("GREATEST", {});
  EXPECT_EQ(none.substr(0, none.find('\n')), "Function 'greatest' does not accept parameters ().");
  EXPECT_FALSE(registry().bindScalar("GREATEST", {SqlType::boolean()}).isOk());
}

TEST(ComparisonFunctionsTest, JavaOrderForDoublesAndBytes) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(std::isnan(call("GREATEST", {dbl(), dbl()}, {1.0, nan}).asDouble()));
  EXPECT_EQ(call("LEAST", {dbl(), dbl()}, {nan, 1.0}), Value(1.0));
  // ByteBuffer compares bytes as signed: 0x80 sorts below 0x01.
  EXPECT_EQ(call("GREATEST", {SqlType::bytes(), SqlType::bytes()}, {Bytes{"\x01"}, Bytes{"\x80"}}),
            Value(Bytes{"\x01"}));
  EXPECT_EQ(call("LEAST", {SqlType::timestamp(), SqlType::timestamp()},
                 {Timestamp{5}, Timestamp{-7}}),
            Value(Timestamp{-7}));
}

// ---- INSTR, LPAD, RPAD, INITCAP, CHR -------------------------------------------------------

TEST(StringFunctionsTest, InstrSearchesForwardsOrBackwards) {
  auto instr = [](std::vector<Value> args) {
    std::vector<SqlTypePtr> types = {str(), str()};
    types.resize(args.size(), integer());
    return call("INSTR", types, std::move(args));
  };
  EXPECT_EQ(instr({"corporate floor", "or"}), Value(2));
  EXPECT_EQ(instr({"corporate floor", "or", 4, 2}), Value(14));
  EXPECT_EQ(instr({"corporate floor", "or", -4}), Value(5));
  EXPECT_EQ(instr({"corporate floor", "or", -4, 2}), Value(2));
  EXPECT_EQ(instr({"corporate floor", "or", -4, 3}), Value(0));
  EXPECT_EQ(instr({"short", "or", -40}), Value(0));
  EXPECT_EQ(instr({"no substring", "or"}), Value(0));
  EXPECT_EQ(instr({"corporate floor", "or", 1, 0}), Value(0));
  // Positions count characters, not bytes.
  EXPECT_EQ(instr({"\xC3\xA9t\xC3\xA9 or", "or"}), Value(5));
  EXPECT_EQ(instr({Value::null(), "or"}), Value(0));
  EXPECT_EQ(instr({"or", "or", Value::null()}), Value::null());
}

TEST(StringFunctionsTest, PadRepeatsThePaddingOrTruncates) {
  auto pad = [](const char* name, Value input, Value length, Value padding) {
    return call(name, {str(), integer(), str()}, {std::move(input), std::move(length), std::move(padding)});
  };
  EXPECT_EQ(pad("LPAD", "foo", 7, "Bar"), Value("BarBfoo"));
  EXPECT_EQ(pad("RPAD", "foo", 7, "Bar"), Value("fooBarB"));
  EXPECT_EQ(pad("LPAD", "foo", 2, "Bar"), Value("fo"));
  EXPECT_EQ(pad("RPAD", "", 7, "Bar"), Value("BarBarB"));
  EXPECT_EQ(pad("LPAD", "foo", -1, "Bar"), Value::null());
  EXPECT_EQ(pad("LPAD", "foo", 7, ""), Value::null());
  EXPECT_EQ(pad("RPAD", "foo", 5, Value::null()), Value::null());
  EXPECT_EQ(pad("LPAD", "\xC3\xA9", 3, "\xC3\xBC"), Value("\xC3\xBC\xC3\xBC\xC3\xA9"));
  EXPECT_EQ(call("LPAD", {SqlType::bytes(), integer(), SqlType::bytes()}, {Bytes{"ab"}, 5, Bytes{"xy"}}),
            Value(Bytes{"xyxab"}));
}

TEST(StringFunctionsTest, InitcapCapitalizesEachWord) {
  EXPECT_EQ(call("INITCAP", {str()}, {"the   Quick br0wn fOx"}), Value("The   Quick Br0wn Fox"));
  EXPECT_EQ(call("INITCAP", {str()}, {"some_string\ttwo"}), Value("Some_string\tTwo"));
  EXPECT_EQ(call("INITCAP", {str()}, {Value::null()}), Value::null());
}

TEST(StringFunctionsTest, ChrOfCodePointOrEscape) {
  EXPECT_EQ(call("CHR", {integer()}, {75}), Value("K"));
  EXPECT_EQ(call("CHR", {integer()}, {22909}), Value("\xE5\xA5\xBD"));
  EXPECT_EQ(call("CHR", {integer()}, {99000}), Value("\xF0\x98\x8A\xB8"));
  EXPECT_EQ(call("CHR", {integer()}, {-1}), Value::null());
  EXPECT_EQ(call("CHR", {str()}, {"\\u004b"}), Value("K"));
  EXPECT_EQ(call("CHR", {str()}, {"\\ud820\\udeb8"}), Value("\xF0\x98\x8A\xB8"));
  for (const char* bad : {"75", "004b", "bogus", "", "\\u00zz"})
    EXPECT_EQ(call("CHR", {str()}, {bad}), Value::null()) << bad;
  EXPECT_EQ(call("CHR", {str()}, {Value::null()}), Value::null());
}

// ---- math ------------------------------------------------------------------------------

TEST(MathFunctionsTest, TruncCutsTowardsZero) {
  EXPECT_EQ(call("TRUNC", {dbl()}, {-1.7}), Value(int64_t{-1}));
  EXPECT_EQ(call("TRUNC", {dbl(), integer()}, {12345.678, 2}), Value(12345.67));
  EXPECT_EQ(call("TRUNC", {dbl(), integer()}, {-12345.678, -2}), Value(-12300.0));
  EXPECT_EQ(call("TRUNC", {dbl(), integer()}, {1.7, -1}), Value(0.0));
  EXPECT_EQ(call("TRUNC", {integer()}, {-5}), Value(-5));
  EXPECT_EQ(call("TRUNC", {dbl()}, {Value::null()}), Value::null());
  auto decimal = bind("TRUNC", {SqlType::decimal(5, 2)});
  EXPECT_EQ(*decimal.return_type, *SqlType::decimal(3, 0));
  EXPECT_EQ(decimal.invoke(std::vector<Value>{dec(-99999, 2)}), Value(dec(-999, 0)));
  auto places = bind("TRUNC", {SqlType::decimal(5, 2), integer()});
  EXPECT_EQ(*places.return_type, *SqlType::decimal(5, 2));
  EXPECT_EQ(places.invoke(std::vector<Value>{dec(-12399, 2), 1}), Value(dec(-12390, 2)));
}

TEST(MathFunctionsTest, SignAndDoubleFunctions) {
  EXPECT_EQ(call("SIGN", {bigint()}, {int64_t{-2}}), Value(-1));
  EXPECT_EQ(call("SIGN", {dbl()}, {0.0}), Value(0));
  EXPECT_EQ(call("SIGN", {SqlType::decimal(4, 2)}, {dec(5, 2)}), Value(1));
  EXPECT_EQ(call("SIGN", {integer()}, {Value::null()}), Value::null());
  // INT widens to DOUBLE.
  auto ln = bind("LN", {integer()});
  EXPECT_EQ(ln.param_types[0]->kind, TypeKind::kDouble);
  EXPECT_EQ(call("LN", {dbl()}, {0.0}), Value(-std::numeric_limits<double>::infinity()));
  EXPECT_TRUE(std::isnan(call("LN", {dbl()}, {-1.0}).asDouble()));
  EXPECT_EQ(call("EXP", {dbl()}, {0.0}), Value(1.0));
  EXPECT_EQ(call("POWER", {dbl(), dbl()}, {2.0, 10.0}), Value(1024.0));
  EXPECT_EQ(call("POWER", {dbl(), dbl()}, {2.0, Value::null()}), Value::null());
  EXPECT_EQ(call("SQRT", {dbl()}, {16.0}), Value(4.0));
  EXPECT_EQ(call("COT", {dbl()}, {0.0}), Value(std::numeric_limits<double>::infinity()));
  EXPECT_NEAR(call("DEGREES", {dbl()}, {M_PI}).asDouble(), 180.0, 1e-12);
  EXPECT_EQ(call("LOG", {dbl()}, {1.0}), Value(0.0));
  EXPECT_NEAR(call("LOG", {dbl(), dbl()}, {15.0, 13.0}).asDouble(), 0.9471572411831843, 1e-15);
  for (double base : {1.0, 0.0, -15.0})
    EXPECT_TRUE(std::isnan(call("LOG", {dbl(), dbl()}, {base, 13.0}).asDouble())) << base;
}

// ---- bytes -------------------------------------------------------------------------------

TEST(BytesFunctionsTest, ToAndFromBytesInEachEncoding) {
  auto to = [](Value text, const char* encoding) { return call("TO_BYTES", {str(), str()}, {std::move(text), encoding}); };
  auto from = [](Value bytes, const char* encoding) {
    return call("FROM_BYTES", {SqlType::bytes(), str()}, {std::move(bytes), encoding});
  };
  EXPECT_EQ(to("1aB2", "hex"), Value(Bytes{"\x1a\xb2"}));
  EXPECT_EQ(from(Bytes{"\x1a\xb2"}, "hex"), Value("1AB2"));
  EXPECT_EQ(to("IQ==", "BASE64"), Value(Bytes{"!"}));
  EXPECT_EQ(from(Bytes{"!"}, "base64"), Value("IQ=="));
  EXPECT_EQ(to("\xC3\x9C" "ber", "utf8"), Value(Bytes{"\xC3\x9C" "ber"}));
  EXPECT_EQ(to("\xC3\x9C" "ber", "ascii"), Value(Bytes{"?ber"}));
  EXPECT_EQ(from(Bytes{"\xC3\x9C" "b"}, "ascii"), Value("\xEF\xBF\xBD\xEF\xBF\xBD" "b"));
  EXPECT_EQ(from(Bytes{"\xFF" "b"}, "utf8"), Value("\xEF\xBF\xBD" "b"));
  EXPECT_EQ(to(Value::null(), "hex"), Value::null());
  // Undecodable input or an unknown encoding is an error: the call's NULL in a query.
  EXPECT_ANY_THROW(to("abc", "hex"));
  EXPECT_ANY_THROW(to("zz", "hex"));
  EXPECT_ANY_THROW(to("abc", "latin1"));
}

TEST(BytesFunctionsTest, EncodeAcceptsHexLiterals) {
  auto encode = [](Value text, const char* from, const char* to) {
    return call("ENCODE", {str(), str(), str()}, {std::move(text), from, to});
  };
  EXPECT_EQ(encode("4578616d706C6521", "hex", "utf8"), Value("Example!"));
  EXPECT_EQ(encode("X'4578616d706C6521'", "hex", "base64"), Value("RXhhbXBsZSE="));
  EXPECT_EQ(encode("0x578616d706C6521", "hex", "ascii"), Value("\x05xample!"));
  EXPECT_EQ(encode("0x", "hex", "utf8"), Value(""));
  EXPECT_EQ(encode("zpXOu867zqzOtM6x", "base64", "hex"), Value("ce95cebbcebbceacceb4ceb1"));
  EXPECT_EQ(encode(Value::null(), "hex", "utf8"), Value::null());
  for (const char* bad : {"0x0x", "X'", "x'4578", "x'578616d706C6521'", "578616d706C6521"})
    EXPECT_ANY_THROW(encode(bad, "hex", "utf8")) << bad;
  EXPECT_ANY_THROW(encode("abc", "base64", "null"));
}

TEST(BytesFunctionsTest, NumbersFromBytesInEitherByteOrder) {
  const SqlTypePtr bytes = SqlType::bytes();
  EXPECT_EQ(call("INT_FROM_BYTES", {bytes}, {Bytes{std::string("\x00\x00\x07\xE5", 4)}}), Value(2021));
  EXPECT_EQ(call("INT_FROM_BYTES", {bytes, str()}, {Bytes{std::string("\xE5\x07\x00\x00", 4)}, "LITTLE_ENDIAN"}),
            Value(2021));
  EXPECT_EQ(call("INT_FROM_BYTES", {bytes}, {Bytes{"\xFF\xFF\xFF\xFF"}}), Value(-1));
  EXPECT_EQ(call("BIGINT_FROM_BYTES", {bytes, str()},
                 {Bytes{std::string("\x00\xF2\x05\x2A\x01\x00\x00\x00", 8)}, "LITTLE_ENDIAN"}),
            Value(int64_t{5000000000}));
  EXPECT_EQ(call("DOUBLE_FROM_BYTES", {bytes}, {Bytes{std::string("\x3F\xF8\x00\x00\x00\x00\x00\x00", 8)}}),
            Value(1.5));
  EXPECT_EQ(call("INT_FROM_BYTES", {bytes}, {Value::null()}), Value::null());
  EXPECT_ANY_THROW(call("INT_FROM_BYTES", {bytes}, {Bytes{"abc"}}));
  EXPECT_ANY_THROW(call("INT_FROM_BYTES", {bytes, str()}, {Bytes{"abcd"}, "MIDDLE_ENDIAN"}));
}

TEST(MathFunctionsTest, GeoDistanceIsHaversineInKmOrMiles) {
  const std::vector<SqlTypePtr> four(4, dbl());
  EXPECT_EQ(call("GEO_DISTANCE", four, {37.4439, -122.1663, 51.5257, -0.1122}), Value(8634.659796579544));
  std::vector<SqlTypePtr> five = four;
  five.push_back(str());
  EXPECT_NEAR(call("GEO_DISTANCE", five, {37.4439, -122.1663, 51.5257, -0.1122, "MILES"}).asDouble(),
              8634.659796579544 / 6371 * 3959, 1e-9);
  EXPECT_EQ(call("GEO_DISTANCE", four, {1.0, 2.0, Value::null(), 3.0}), Value::null());
  EXPECT_ANY_THROW(call("GEO_DISTANCE", four, {91.0, 0.0, 0.0, 0.0}));
  EXPECT_ANY_THROW(call("GEO_DISTANCE", five, {1.0, 0.0, 0.0, 0.0, "furlongs"}));
}

TEST(JsonFunctionsTest, ToJsonStringWritesAnyValue) {
  EXPECT_EQ(call("TO_JSON_STRING", {integer()}, {1}), Value("1"));
  EXPECT_EQ(call("TO_JSON_STRING", {integer()}, {Value::null()}), Value("null"));
  EXPECT_EQ(call("TO_JSON_STRING", {str()}, {"a\"b"}), Value("\"a\\\"b\""));
  EXPECT_EQ(call("TO_JSON_STRING", {SqlType::bytes()}, {Bytes{"!"}}), Value("\"IQ==\""));
  EXPECT_EQ(call("TO_JSON_STRING", {SqlType::time()}, {Time{60220000}}), Value("\"16:43:40\""));
  const SqlTypePtr map = SqlType::map(str(), SqlType::array(integer()));
  EXPECT_EQ(call("TO_JSON_STRING", {map}, {Value::map({{"id", Value::array({1, 2})}})}),
            Value("{\"id\":[1,2]}"));
}

// ---- collections -----------------------------------------------------------------------

TEST(CollectionFunctionsTest, ArrayLengthMaxMinSkipNulls) {
  const SqlTypePtr ints = SqlType::array(integer());
  EXPECT_EQ(call("ARRAY_LENGTH", {ints}, {Value::array({1, Value::null()})}), Value(2));
  EXPECT_EQ(call("ARRAY_LENGTH", {ints}, {Value::null()}), Value::null());
  EXPECT_EQ(bind("ARRAY_MAX", {ints}).return_type->kind, TypeKind::kInt);
  EXPECT_EQ(call("ARRAY_MAX", {ints}, {Value::array({0, Value::null(), 1, -1})}), Value(1));
  EXPECT_EQ(call("ARRAY_MIN", {ints}, {Value::array({0, Value::null(), 1, -1})}), Value(-1));
  EXPECT_EQ(call("ARRAY_MAX", {ints}, {Value::array({})}), Value::null());
  EXPECT_EQ(call("ARRAY_MAX", {SqlType::array(SqlType::boolean())}, {Value::array({false, true, false})}),
            Value(true));
  EXPECT_EQ(call("ARRAY_MIN", {SqlType::array(str())}, {strings({"foo", "Food", "F"})}), Value("F"));
  EXPECT_EQ(bindError("ARRAY_LENGTH", {integer()}),
            "Function 'array_length' does not accept parameters (INTEGER).");
  EXPECT_FALSE(registry().bindScalar("ARRAY_MAX", {SqlType::array(ints)}).isOk());
}

TEST(CollectionFunctionsTest, ArraySortPutsNullsLast) {
  const SqlTypePtr ints = SqlType::array(integer());
  const Value items = Value::array({0, Value::null(), 1, -1});
  EXPECT_EQ(call("ARRAY_SORT", {ints}, {items}), Value::array({-1, 0, 1, Value::null()}));
  EXPECT_EQ(call("ARRAY_SORT", {ints, str()}, {items, "desc"}), Value::array({1, 0, -1, Value::null()}));
  EXPECT_EQ(call("ARRAY_SORT", {ints, str()}, {items, "sideways"}), Value::null());
}

TEST(CollectionFunctionsTest, SetOperationsKeepFirstOrder) {
  const SqlTypePtr ints = SqlType::array(integer());
  const Value left = Value::array({0, 0, 1, 0, -1});
  const Value right = Value::array({1, -2, 0});
  EXPECT_EQ(call("ARRAY_DISTINCT", {ints}, {left}), Value::array({0, 1, -1}));
  EXPECT_EQ(call("ARRAY_UNION", {ints, ints}, {left, right}), Value::array({0, 1, -1, -2}));
  EXPECT_EQ(call("ARRAY_INTERSECT", {ints, ints}, {left, right}), Value::array({0, 1}));
  EXPECT_EQ(call("ARRAY_EXCEPT", {ints, ints}, {left, right}), Value::array({-1}));
  EXPECT_EQ(call("ARRAY_UNION", {ints, ints}, {left, Value::null()}), Value::null());
  EXPECT_EQ(call("ARRAY_CONCAT", {ints, ints}, {Value::array({1}), right}), Value::array({1, 1, -2, 0}));
  EXPECT_EQ(call("ARRAY_CONCAT", {ints, ints}, {Value::null(), right}), right);
  EXPECT_EQ(call("ARRAY_CONCAT", {ints, ints}, {Value::null(), Value::null()}), Value::null());
  EXPECT_FALSE(registry().bindScalar("ARRAY_UNION", {ints, SqlType::array(str())}).isOk());
}

TEST(CollectionFunctionsTest, ArrayContainsConvertsTheValue) {
  const SqlTypePtr bigints = SqlType::array(bigint());
  auto bound = bind("ARRAY_CONTAINS", {bigints, integer()});
  EXPECT_EQ(bound.param_types[1]->kind, TypeKind::kBigint);
  EXPECT_EQ(bound.invoke(std::vector<Value>{Value::array({int64_t{1}}), int64_t{1}}), Value(true));
  EXPECT_EQ(bound.invoke(std::vector<Value>{Value::null(), int64_t{1}}), Value(false));
  EXPECT_EQ(bound.invoke(std::vector<Value>{Value::array({Value::null()}), Value::null()}), Value(true));
}

TEST(CollectionFunctionsTest, MapKeysValuesAndAsMap) {
  const SqlTypePtr map = SqlType::map(str(), integer());
  const Value value = Value::map({{"foo", 10}, {"bar", Value::null()}});
  EXPECT_EQ(call("MAP_KEYS", {map}, {value}), strings({"foo", "bar"}));
  EXPECT_EQ(call("MAP_VALUES", {map}, {value}), Value::array({10, Value::null()}));
  EXPECT_EQ(call("MAP_KEYS", {map}, {Value::null()}), Value::null());
  const SqlTypePtr keys = SqlType::array(str());
  const SqlTypePtr ints = SqlType::array(integer());
  auto as_map = bind("AS_MAP", {keys, ints});
  EXPECT_EQ(*as_map.return_type, *map);
  EXPECT_EQ(as_map.invoke(std::vector<Value>{strings({"a", "b"}), Value::array({1, 2, 3})}),
            Value::map({{"a", 1}, {"b", 2}}));
  EXPECT_EQ(as_map.invoke(std::vector<Value>{strings({"a", "b"}), Value::array({1})}),
            Value::map({{"a", 1}, {"b", Value::null()}}));
}

// ---- DATE and TIME formats ----------------------------------------------------------------

TEST(DateTimeFunctionsTest, DatesAndTimesThroughJavaPatterns) {
  EXPECT_EQ(call("STRINGTODATE", {str(), str()}, {"01-Jan-2022", "dd-MMM-yyyy"}), Value(18993));
  EXPECT_EQ(call("STRINGTODATE", {str(), str()}, {"foo", "yyyyMMdd"}), Value::null());
  EXPECT_EQ(call("DATETOSTRING", {integer(), str()}, {18993, "yyyy-MM-dd"}), Value("2022-01-01"));
  EXPECT_EQ(call("DATETOSTRING", {integer(), str()}, {-1, "yyyy-MM-dd"}), Value("1969-12-31"));
  EXPECT_EQ(call("PARSE_DATE", {str(), str()}, {"1969-12-31", "yyyy-MM-dd"}), Value(Date{-1}));
  EXPECT_EQ(call("FORMAT_DATE", {SqlType::date(), str()}, {Date{18993}, "dd/MM/yyyy"}), Value("01/01/2022"));
  EXPECT_EQ(call("PARSE_TIME", {str(), str()}, {"01:00:00 PM", "hh:mm:ss a"}), Value(Time{46800000}));
  EXPECT_EQ(call("FORMAT_TIME", {SqlType::time(), str()}, {Time{65000}, "HH_mm_ss_SSS"}), Value("00_01_05_000"));
  EXPECT_EQ(call("FORMAT_TIME", {SqlType::time(), str()}, {Value::null(), "HH"}), Value::null());
  EXPECT_EQ(call("PARSE_TIME", {str(), str()}, {"10:00", "bogus pattern b"}), Value::null());
}

TEST(CollectionFunctionsTest, ArrayRemoveDropsEveryMatch) {
  const SqlTypePtr ints = SqlType::array(integer());
  auto remove = bind("ARRAY_REMOVE", {ints, integer()});
  EXPECT_EQ(*remove.return_type, *ints);
  EXPECT_EQ(remove.invoke(std::vector<Value>{Value::array({0, Value::null(), 1, 0}), 0}),
            Value::array({Value::null(), 1}));
  EXPECT_EQ(remove.invoke(std::vector<Value>{Value::array({0, Value::null()}), Value::null()}),
            Value::array({0}));
  EXPECT_EQ(remove.invoke(std::vector<Value>{Value::null(), 0}), Value::null());
}

TEST(CollectionFunctionsTest, GenerateSeriesStepsTowardsTheEnd) {
  EXPECT_EQ(call("GENERATE_SERIES", {integer(), integer()}, {4, 2}), Value::array({4, 3, 2}));
  EXPECT_EQ(call("GENERATE_SERIES", {integer(), integer(), integer()}, {-2, 1, 2}), Value::array({-2, 0}));
  EXPECT_EQ(call("GENERATE_SERIES", {bigint(), bigint()}, {int64_t{1}, int64_t{1}}),
            Value::array({int64_t{1}}));
  EXPECT_EQ(call("GENERATE_SERIES", {integer(), integer()}, {1, Value::null()}), Value::null());
  EXPECT_ANY_THROW(call("GENERATE_SERIES", {integer(), integer(), integer()}, {0, 3, 0}));
  EXPECT_ANY_THROW(call("GENERATE_SERIES", {integer(), integer(), integer()}, {0, 3, -1}));
  // No overflow at the top of the range.
  const int32_t max = std::numeric_limits<int32_t>::max();
  EXPECT_EQ(call("GENERATE_SERIES", {integer(), integer()}, {max - 1, max}), Value::array({max - 1, max}));
}

TEST(DateTimeFunctionsTest, UnixDateCountsDays) {
  EXPECT_EQ(call("UNIX_DATE", {SqlType::date()}, {Date{-3}}), Value(-3));
  EXPECT_EQ(call("UNIX_DATE", {SqlType::date()}, {Value::null()}), Value::null());
  EXPECT_GT(call("UNIX_DATE", {}, {}).asInt(), 20000);  // after 2024-10-04
}

TEST(CollectionFunctionsTest, MapUnionLetsTheSecondMapWin) {
  const SqlTypePtr map = SqlType::map(str(), integer());
  const Value first = Value::map({{"foo", 10}, {"bar", 20}});
  EXPECT_EQ(call("MAP_UNION", {map, map}, {first, Value::map({{"foo", Value::null()}, {"apple", -1}})}),
            Value::map({{"foo", Value::null()}, {"bar", 20}, {"apple", -1}}));
  EXPECT_EQ(call("MAP_UNION", {map, map}, {Value::null(), first}), first);
  EXPECT_EQ(call("MAP_UNION", {map, map}, {Value::null(), Value::null()}), Value::null());
  EXPECT_FALSE(registry().bindScalar("MAP_UNION", {map, SqlType::map(str(), str())}).isOk());
}

TEST(DateTimeFunctionsTest, ConvertTzShiftsByTheOffsetDifference) {
  const std::vector<SqlTypePtr> types = {SqlType::timestamp(), str(), str()};
  EXPECT_EQ(call("CONVERT_TZ", types, {Timestamp{100}, "+0200", "+0500"}), Value(Timestamp{10800100}));
  EXPECT_EQ(call("CONVERT_TZ", types, {Timestamp{1589234313000}, "America/Los_Angeles", "America/New_York"}),
            Value(Timestamp{1589245113000}));
  EXPECT_EQ(call("CONVERT_TZ", types, {Timestamp{100}, "Nowhere/Town", "UTC"}), Value::null());
  EXPECT_EQ(call("CONVERT_TZ", types, {Value::null(), "UTC", "UTC"}), Value::null());
}

}  // namespace
}  // namespace runnel::sql
