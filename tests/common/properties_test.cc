#include "common/properties.h"

#include <gtest/gtest.h>

namespace runnel {
namespace {

TEST(PropertiesTest, ParsesKafkaStyleFile) {
  auto props = Properties::parse(
      "# broker\nlisteners=PLAINTEXT://127.0.0.1:9092\n! comment\nlog.dirs : /tmp/a\\\n,/tmp/b\n\nnum.partitions=3\n");
  ASSERT_TRUE(props.isOk()) << props.status().toString();
  EXPECT_EQ(props->getOr("listeners", ""), "PLAINTEXT://127.0.0.1:9092");
  EXPECT_EQ(props->getOr("log.dirs", ""), "/tmp/a,/tmp/b");
  EXPECT_EQ(*props->getInt("num.partitions", 1), 3);
  EXPECT_EQ(*props->getInt("missing", 7), 7);
}

TEST(PropertiesTest, RejectsLineWithoutSeparator) {
  auto props = Properties::parse("a=1\nnonsense\n");
  ASSERT_FALSE(props.isOk());
  EXPECT_NE(props.status().message().find("line 2"), std::string::npos);
}

TEST(PropertiesTest, TypedGettersExplainBadValues) {
  Properties props;
  ASSERT_TRUE(props.setAssignment("num.partitions=many").isOk());
  auto v = props.getInt("num.partitions", 1);
  ASSERT_FALSE(v.isOk());
  EXPECT_NE(v.status().message().find("num.partitions"), std::string::npos);
  EXPECT_FALSE(props.setAssignment("novalue").isOk());
}

}  // namespace
}  // namespace runnel
