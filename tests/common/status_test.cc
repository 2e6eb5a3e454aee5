#include "common/result.h"

#include <gtest/gtest.h>

namespace runnel {
namespace {

Result<int> half(int v) {
  if (v % 2) return Status::invalidArgument("odd");
  return v / 2;
}

Result<int> quarter(int v) {
  RUNNEL_ASSIGN_OR_RETURN(int h, half(v));
  return half(h);
}

TEST(StatusTest, OkHasNoMessage) {
  EXPECT_TRUE(Status::ok().isOk());
  EXPECT_EQ(Status::ok().toString(), "OK");
}

TEST(StatusTest, ErrorCarriesCodeAndMessage) {
  Status s = Status::corruption("bad CRC");
  EXPECT_FALSE(s.isOk());
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_EQ(s.toString(), "Corruption: bad CRC");
}

TEST(ResultTest, PropagatesErrors) {
  EXPECT_EQ(*quarter(8), 2);
  Result<int> r = quarter(6);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().message(), "odd");
}

}  // namespace
}  // namespace runnel
