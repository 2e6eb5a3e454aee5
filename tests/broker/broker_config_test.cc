#include "broker/broker_config.h"

#include <gtest/gtest.h>

#include "broker/topic_config.h"

namespace runnel::broker {
namespace {

TEST(BrokerConfigTest, ReadsKafkaNames) {
  auto props = Properties::parse(
      "listeners=PLAINTEXT://0.0.0.0:19092\nadvertised.listeners=PLAINTEXT://kafka.local:29092\n"
      "log.dirs=/var/a,/var/b\nnum.partitions=4\nlog.retention.hours=1\nbroker.id=7\n");
  ASSERT_TRUE(props.isOk());
  auto config = BrokerConfig::fromProperties(*props);
  ASSERT_TRUE(config.isOk()) << config.status().toString();
  EXPECT_EQ(config->listener.host, "0.0.0.0");
  EXPECT_EQ(config->listener.port, 19092);
  EXPECT_EQ(config->advertised_host, "kafka.local");
  EXPECT_EQ(config->advertised_port, 29092);
  EXPECT_EQ(config->log_dirs.size(), 2u);
  EXPECT_EQ(config->num_partitions, 4);
  EXPECT_EQ(config->log_retention_ms, 3600000);
  EXPECT_EQ(config->node_id, 7);
}

TEST(BrokerConfigTest, RejectsBadValuesWithTheKeyName) {
  Properties props;
  ASSERT_TRUE(props.setAssignment("listeners=SSL://host:1").isOk());
  auto config = BrokerConfig::fromProperties(props);
  ASSERT_FALSE(config.isOk());
  EXPECT_NE(config.status().message().find("SSL"), std::string::npos);

  Properties partitions;
  ASSERT_TRUE(partitions.setAssignment("num.partitions=zero").isOk());
  auto bad = BrokerConfig::fromProperties(partitions);
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("num.partitions"), std::string::npos);
}

TEST(TopicConfigTest, ValidatesNamesAndValues) {
  EXPECT_TRUE(TopicConfig::make({{"cleanup.policy", "compact,delete"}, {"retention.ms", "-1"}}).isOk());
  auto unknown = TopicConfig::make({{"retention.forever", "1"}});
  ASSERT_FALSE(unknown.isOk());
  EXPECT_NE(unknown.status().message().find("Unknown topic config name"), std::string::npos);
  EXPECT_FALSE(TopicConfig::make({{"message.timestamp.type", "Now"}}).isOk());
  EXPECT_FALSE(TopicConfig::make({{"segment.bytes", "1"}}).isOk());
}

TEST(TopicConfigTest, OverridesReachTheLogConfig) {
  BrokerConfig broker;
  auto config = TopicConfig::make({{"segment.bytes", "1048576"}, {"message.timestamp.type", "LogAppendTime"}});
  ASSERT_TRUE(config.isOk());
  storage::LogConfig log = config->logConfig(broker);
  EXPECT_EQ(log.segment_bytes, 1048576);
  EXPECT_TRUE(log.log_append_time);
  EXPECT_EQ(log.retention_ms, broker.log_retention_ms);
}

}  // namespace
}  // namespace runnel::broker
