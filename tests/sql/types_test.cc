#include "sql/types.h"

#include <gtest/gtest.h>

#include "sql/value.h"

namespace runnel::sql {
namespace {

TEST(SqlTypeTest, PrintsAsKsqlDbDoes) {
  EXPECT_EQ(SqlType::integer()->toString(), "INTEGER");
  EXPECT_EQ(SqlType::decimal(4, 2)->toString(), "DECIMAL(4, 2)");
  EXPECT_EQ(SqlType::map(SqlType::string(), SqlType::array(SqlType::bigint()))->toString(),
            "MAP<STRING, ARRAY<BIGINT>>");
  auto address = SqlType::structType({{"STREET", SqlType::string()}, {"zip", SqlType::integer()}});
  EXPECT_EQ(address->toString(), "STRUCT<`STREET` STRING, `zip` INTEGER>");
  EXPECT_EQ(address->toString(false), "STRUCT<STREET STRING, `zip` INTEGER>");
}

TEST(SqlTypeTest, ComparesDeeply) {
  EXPECT_TRUE(sameType(SqlType::decimal(4, 2), SqlType::decimal(4, 2)));
  EXPECT_FALSE(sameType(SqlType::decimal(4, 2), SqlType::decimal(5, 2)));
  EXPECT_TRUE(sameType(SqlType::array(SqlType::string()), SqlType::array(SqlType::string())));
  EXPECT_FALSE(sameType(SqlType::array(SqlType::string()), SqlType::array(SqlType::integer())));
}

TEST(SqlValueTest, ComparesCompositesByContent) {
  EXPECT_EQ(Value::array({Value(int32_t{1}), Value::null()}), Value::array({Value(int32_t{1}), Value::null()}));
  EXPECT_NE(Value(int32_t{1}), Value(int64_t{1}));
  EXPECT_EQ(Value::structOf({Value("a")}), Value::structOf({Value("a")}));
  EXPECT_NE(Value::map({{Value("k"), Value(true)}}), Value::map({{Value("k"), Value(false)}}));
}

}  // namespace
}  // namespace runnel::sql
