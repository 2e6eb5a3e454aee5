#include "common/crc32c.h"

#include <gtest/gtest.h>

#include <string>

namespace runnel {
namespace {

TEST(Crc32cTest, KnownVectors) {
  // RFC 3720 (iSCSI) test vectors.
  std::string zeros(32, '\0');
  EXPECT_EQ(crc32c(zeros.data(), zeros.size()), 0x8a9136aau);
  std::string ones(32, '\xff');
  EXPECT_EQ(crc32c(ones.data(), ones.size()), 0x62a8ab43u);
  EXPECT_EQ(crc32c("123456789", 9), 0xe3069283u);
}

TEST(Crc32cTest, ExtendsIncrementally) {
  std::string text = "The quick brown fox jumps over the lazy dog";
  uint32_t whole = crc32c(text.data(), text.size());
  uint32_t part = crc32c(text.data(), 10);
  EXPECT_EQ(crc32c(text.data() + 10, text.size() - 10, part), whole);
}

}  // namespace
}  // namespace runnel
