#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <gtest/gtest.h>

#include "client/kafka_client.h"

namespace runnel::client {
namespace {

using namespace std::chrono_literals;

// One mock cluster shared by every client of a test, so that a producer and a consumer
// see the same topics.
class MockCluster {
 public:
  MockCluster() {
    char errstr[256];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    cluster_ = rd_kafka_mock_cluster_new(rk_, 1);
    bootstrap_ = rd_kafka_mock_cluster_bootstraps(cluster_);
  }
  ~MockCluster() {
    rd_kafka_mock_cluster_destroy(cluster_);
    rd_kafka_destroy(rk_);
  }
  void createTopic(const std::string& name, int partitions) {
    rd_kafka_mock_topic_create(cluster_, name.c_str(), partitions, 1);
  }
  ClientConfig config() const { return {{"bootstrap.servers", bootstrap_}}; }

 private:
  rd_kafka_t* rk_;
  rd_kafka_mock_cluster_t* cluster_;
  std::string bootstrap_;
};

TEST(KafkaClientTest, ErrorNameIsSeparable) {
  Status status = Status::alreadyExists("TOPIC_ALREADY_EXISTS: Topic 'users' already exists.");
  EXPECT_EQ(kafkaErrorName(status), "TOPIC_ALREADY_EXISTS");
  EXPECT_EQ(kafkaErrorMessage(status), "Topic 'users' already exists.");
  Status plain = Status::invalidArgument("Topic: no such thing");
  EXPECT_EQ(kafkaErrorName(plain), "");
  EXPECT_EQ(kafkaErrorMessage(plain), "Topic: no such thing");
}

TEST(KafkaClientTest, UnknownPropertyIsInvalidArgument) {
  auto producer = makeKafkaProducer({{"no.such.property", "1"}});
  ASSERT_FALSE(producer.isOk());
  EXPECT_EQ(producer.status().code(), Status::Code::kInvalidArgument);
}

TEST(KafkaClientTest, JavaOnlyPropertiesAreAccepted) {
  auto producer = makeKafkaProducer({{"key.serializer", "org.apache.kafka.common.serialization.StringSerializer"},
                                     {"delivery.timeout.ms", "5000"},
                                     {"buffer.memory", "1048576"},
                                     {"acks", "all"}});
  EXPECT_TRUE(producer.isOk()) << producer.status().toString();
}

TEST(KafkaClientTest, ProduceThenConsumeFromBeginning) {
  MockCluster cluster;
  cluster.createTopic("users", 2);
  auto producer = makeKafkaProducer(cluster.config());
  ASSERT_TRUE(producer.isOk()) << producer.status().toString();
  int delivered = 0;
  (*producer)->setDeliveryCallback([&](const DeliveryReport& r) { delivered += r.status.isOk(); });
  for (int i = 0; i < 3; ++i) {
    ProducerRecord record{.topic = "users",
                          .partition = 0,
                          .key = "k" + std::to_string(i),
                          .value = "v" + std::to_string(i),
                          .headers = {{"h", "x"}, {"n", std::nullopt}}};
    ASSERT_TRUE((*producer)->send(record).isOk());
  }
  ASSERT_TRUE((*producer)->send({.topic = "users", .partition = 1, .value = std::nullopt}).isOk());
  Status flushed = (*producer)->flush(10s);
  ASSERT_TRUE(flushed.isOk()) << flushed.toString();
  EXPECT_EQ(delivered, 4);

  ClientConfig config = cluster.config();
  config["enable.partition.eof"] = "true";
  auto consumer = makeKafkaConsumer(config);
  ASSERT_TRUE(consumer.isOk()) << consumer.status().toString();
  auto partitions = (*consumer)->partitionsFor("users", 5s);
  ASSERT_TRUE(partitions.isOk()) << partitions.status().toString();
  ASSERT_EQ(partitions->size(), 2u);
  ASSERT_TRUE((*consumer)->assign({{"users", 0, kOffsetBeginning}, {"users", 1, kOffsetBeginning}}).isOk());
  std::vector<Message> messages;
  int eofs = 0;
  for (int i = 0; i < 100 && eofs < 2; ++i) {
    auto polled = (*consumer)->poll(200ms);
    ASSERT_TRUE(polled.isOk());
    if (polled->kind == PollResult::Kind::kMessage) messages.push_back(polled->message);
    if (polled->kind == PollResult::Kind::kPartitionEof) ++eofs;
  }
  ASSERT_EQ(messages.size(), 4u);
  std::sort(messages.begin(), messages.end(),
            [](auto& a, auto& b) { return std::tie(a.partition, a.offset) < std::tie(b.partition, b.offset); });
  EXPECT_EQ(messages[0].key, "k0");
  EXPECT_EQ(messages[2].value, "v2");
  EXPECT_EQ(messages[2].offset, 2);
  EXPECT_EQ(messages[0].timestamp_type, TimestampType::kCreateTime);
  EXPECT_EQ(messages[0].headers, (std::vector<Header>{{"h", "x"}, {"n", std::nullopt}}));
  EXPECT_EQ(messages[3].partition, 1);
  EXPECT_FALSE(messages[3].key.has_value());
  EXPECT_FALSE(messages[3].value.has_value());
  EXPECT_TRUE((*consumer)->close().isOk());
}

TEST(KafkaClientTest, AdminMetadataAndOffsets) {
  MockCluster cluster;
  cluster.createTopic("orders", 3);
  auto producer = makeKafkaProducer(cluster.config());
  ASSERT_TRUE(producer.isOk());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE((*producer)->send({.topic = "orders", .partition = 2, .value = "x"}).isOk());
  ASSERT_TRUE((*producer)->flush(10s).isOk());

  auto admin = makeKafkaAdmin(cluster.config());
  ASSERT_TRUE(admin.isOk());
  auto md = (*admin)->metadata(std::vector<std::string>{"orders", "missing"});
  ASSERT_TRUE(md.isOk()) << md.status().toString();
  ASSERT_EQ(md->topics.size(), 2u);
  EXPECT_EQ(md->topics[0].name, "missing");
  EXPECT_EQ(md->topics[0].error.code(), Status::Code::kNotFound);
  EXPECT_EQ(md->topics[1].partitions.size(), 3u);
  EXPECT_EQ(md->topics[1].partitions[2].id, 2);
  EXPECT_EQ(md->brokers.size(), 1u);

  auto latest = (*admin)->listOffsets({{"orders", 2}, {"orders", 0}}, OffsetSpec::latest());
  ASSERT_TRUE(latest.isOk()) << latest.status().toString();
  EXPECT_EQ((*latest)[0].offset, 5);
  EXPECT_EQ((*latest)[1].offset, 0);
  auto earliest = (*admin)->listOffsets({{"orders", 2}}, OffsetSpec::earliest());
  ASSERT_TRUE(earliest.isOk());
  EXPECT_EQ((*earliest)[0].offset, 0);
}

}  // namespace
}  // namespace runnel::client
