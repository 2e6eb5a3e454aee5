#include <librdkafka/rdkafka.h>

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "client/partitioner.h"

namespace runnel::client {
namespace {

// librdkafka's murmur2_random partitioner, which the project's producers use: for a
// non-null key it ignores the topic handle and the opaques.
int32_t librdkafkaPartition(const std::string& key, int32_t partitions) {
  return rd_kafka_msg_partitioner_murmur2_random(nullptr, key.data(), key.size(), partitions, nullptr, nullptr);
}

TEST(PartitionerTest, MatchesLibrdkafkaOnRandomKeys) {
  std::mt19937 random(42);
  for (int i = 0; i < 20000; ++i) {
    std::string key(random() % 40, '\0');
    for (char& c : key) c = static_cast<char>(random() & 0xff);  // high bytes too: Java reads them unsigned
    int32_t partitions = 1 + static_cast<int32_t>(random() % 100);
    ASSERT_EQ(murmur2Partition(key, partitions), librdkafkaPartition(key, partitions))
        << "key of " << key.size() << " bytes, " << partitions << " partitions";
  }
}

TEST(PartitionerTest, MatchesLibrdkafkaOnTextKeysAndEdgeCounts) {
  for (int32_t partitions : {1, 2, 3, 6, 12, 1000, 2147483647}) {
    for (int i = 0; i < 2000; ++i) {
      std::string key = "user-" + std::to_string(i);
      ASSERT_EQ(murmur2Partition(key, partitions), librdkafkaPartition(key, partitions)) << key;
    }
  }
  // An empty key is hashed like any other, unlike a null one.
  EXPECT_EQ(murmur2Partition("", 7), librdkafkaPartition("", 7));
}

// The hash values of Kafka's own UtilsTest.testMurmur2; with INT32_MAX partitions the
// partition is toPositive(hash) itself.
TEST(PartitionerTest, MatchesJavaHashValues) {
  auto positive = [](int32_t hash) { return static_cast<int32_t>(static_cast<uint32_t>(hash) & 0x7fffffff); };
  constexpr int32_t kMax = 2147483647;
  EXPECT_EQ(murmur2Partition("21", kMax), positive(-973932308));
  EXPECT_EQ(murmur2Partition("foobar", kMax), positive(-790332482));
  EXPECT_EQ(murmur2Partition("a-little-bit-long-string", kMax), positive(-985981536));
  EXPECT_EQ(murmur2Partition("a-little-bit-longer-string", kMax), positive(-1486304829));
  EXPECT_EQ(murmur2Partition("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", kMax), positive(-58897971));
  EXPECT_EQ(murmur2Partition("abc", kMax), positive(479470107));
}

}  // namespace
}  // namespace runnel::client
