#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "client/memory_producer.h"
#include "client/partitioner.h"

namespace runnel::client {
namespace {

using namespace std::chrono_literals;

class MemoryProducerTest : public ::testing::Test {
 protected:
  int64_t now_ = 1'000;
  MemoryProducer producer_{[this] { return now_; }};
};

TEST_F(MemoryProducerTest, OffsetsCountPerPartitionFromZero) {
  producer_.setPartitions("orders", 3);
  ASSERT_TRUE(producer_.send({.topic = "orders", .partition = 2, .value = "a"}).isOk());
  ASSERT_TRUE(producer_.send({.topic = "orders", .partition = 0, .value = "b"}).isOk());
  ASSERT_TRUE(producer_.send({.topic = "orders", .partition = 2, .value = "c"}).isOk());
  ASSERT_TRUE(producer_.send({.topic = "other", .value = "d"}).isOk());

  std::vector<SentRecord> orders = producer_.take("orders");
  ASSERT_EQ(orders.size(), 3u);
  EXPECT_EQ(orders[0].partition, 2);
  EXPECT_EQ(orders[0].offset, 0);
  EXPECT_EQ(orders[1].partition, 0);
  EXPECT_EQ(orders[1].offset, 0);
  EXPECT_EQ(orders[2].partition, 2);
  EXPECT_EQ(orders[2].offset, 1);
  EXPECT_EQ(orders[2].value, "c");
  EXPECT_EQ(producer_.endOffset("orders", 2), 2);
  EXPECT_EQ(producer_.endOffset("orders", 1), 0);

  // take() drains the topic, but offsets go on.
  EXPECT_TRUE(producer_.take("orders").empty());
  ASSERT_TRUE(producer_.send({.topic = "orders", .partition = 2, .value = "e"}).isOk());
  EXPECT_EQ(producer_.records("orders").at(0).offset, 2);
  EXPECT_EQ(producer_.records("other").at(0).partition, 0);
  EXPECT_TRUE(producer_.records("missing").empty());
}

TEST_F(MemoryProducerTest, KeysArePartitionedLikeTheKafkaProducer) {
  producer_.setPartitions("users", 6);
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(producer_.send({.topic = "users", .key = "user-" + std::to_string(i), .value = "v"}).isOk());
  }
  ASSERT_TRUE(producer_.send({.topic = "users", .key = std::nullopt, .value = "no key"}).isOk());
  ASSERT_TRUE(producer_.send({.topic = "users", .key = "", .value = "empty key"}).isOk());
  std::vector<SentRecord> users = producer_.take("users");
  ASSERT_EQ(users.size(), 52u);
  std::vector<int64_t> next(6, 0);
  for (const SentRecord& r : users) {
    int32_t expected = r.key ? murmur2Partition(*r.key, 6) : 0;
    EXPECT_EQ(r.partition, expected) << r.value.value_or("");
    EXPECT_EQ(r.offset, next[size_t(r.partition)]++);
  }
  // A topic the owner did not describe has one partition.
  ASSERT_TRUE(producer_.send({.topic = "plain", .key = "user-1"}).isOk());
  EXPECT_EQ(producer_.partitions("plain"), 1);
  EXPECT_EQ(producer_.take("plain").at(0).partition, 0);
}

TEST_F(MemoryProducerTest, TimestampZeroMeansTheOwnersClock) {
  ASSERT_TRUE(producer_.send({.topic = "t", .value = "now"}).isOk());
  now_ = 5'000;
  ASSERT_TRUE(producer_.send({.topic = "t", .value = "later"}).isOk());
  ASSERT_TRUE(producer_.send({.topic = "t", .value = "given", .headers = {{"h", "x"}}, .timestamp = 42}).isOk());
  std::vector<SentRecord> records = producer_.take("t");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].timestamp, 1'000);
  EXPECT_EQ(records[1].timestamp, 5'000);
  EXPECT_EQ(records[2].timestamp, 42);
  EXPECT_EQ(records[2].headers, (std::vector<Header>{{"h", "x"}}));
}

TEST_F(MemoryProducerTest, ReportsComeOnPollNotOnSend) {
  std::vector<std::string> reports;
  producer_.setDeliveryCallback([&](const DeliveryReport& r) {
    ASSERT_TRUE(r.status.isOk());
    reports.push_back(std::string(r.topic) + "-" + std::to_string(r.partition) + "@" + std::to_string(r.offset) +
                      " t=" + std::to_string(r.timestamp));
    // A send from inside the callback is reported by the next poll().
    if (r.offset == 0) {
      ASSERT_TRUE(producer_.send({.topic = "t", .value = "again"}).isOk());
    }
  });
  ASSERT_TRUE(producer_.send({.topic = "t", .value = "a"}).isOk());
  EXPECT_TRUE(reports.empty());
  EXPECT_EQ(producer_.outstanding(), 1);
  producer_.poll(0ms);
  EXPECT_EQ(reports, (std::vector<std::string>{"t-0@0 t=1000"}));
  EXPECT_EQ(producer_.outstanding(), 1);
  EXPECT_TRUE(producer_.flush(0ms).isOk());
  EXPECT_EQ(reports, (std::vector<std::string>{"t-0@0 t=1000", "t-0@1 t=1000"}));
  EXPECT_EQ(producer_.outstanding(), 0);
}

TEST_F(MemoryProducerTest, BadPartitionIsRejected) {
  producer_.setPartitions("t", 2);
  Status sent = producer_.send({.topic = "t", .partition = 2, .value = "x"});
  EXPECT_EQ(sent.code(), Status::Code::kNotFound);
  EXPECT_EQ(producer_.send({.topic = "", .value = "x"}).code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(producer_.records("t").empty());
  EXPECT_EQ(producer_.outstanding(), 0);
}

}  // namespace
}  // namespace runnel::client
