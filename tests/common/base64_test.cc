#include "common/base64.h"

#include <gtest/gtest.h>

namespace runnel {
namespace {

TEST(Base64Test, RoundTripsEveryLengthRemainder) {
  EXPECT_EQ(encodeBase64(""), "");
  EXPECT_EQ(encodeBase64("!"), "IQ==");
  EXPECT_EQ(encodeBase64("ab"), "YWI=");
  EXPECT_EQ(encodeBase64("abc"), "YWJj");
  std::string binary("\x00\xff\x10\x80", 4);
  EXPECT_EQ(decodeBase64(encodeBase64(binary)), binary);
  EXPECT_EQ(decodeBase64("IQ=="), "!");
  EXPECT_EQ(decodeBase64("IQ"), "!");
}

TEST(Base64Test, RejectsCharactersOutsideTheAlphabet) {
  EXPECT_FALSE(decodeBase64("I*=="));
  EXPECT_FALSE(decodeBase64("a b"));
}

}  // namespace
}  // namespace runnel
