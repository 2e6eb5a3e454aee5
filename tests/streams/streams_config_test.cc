// StreamsConfig's defaults and checks, and what default.timestamp.extractor does to the
// records a topology sees.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "driver_util.h"
#include "streams/processor_error.h"
#include "streams/serdes.h"
#include "streams/streams_config.h"
#include "streams/topology.h"
#include "streams/topology_test_driver.h"

namespace runnel::streams {
namespace {

using std::string;
using namespace std::chrono_literals;

Result<StreamsConfig> configWith(std::map<string, string> props) {
  props.try_emplace("application.id", "config-app");
  return StreamsConfig::create(std::move(props));
}

// The message of the error that `props` cause; "" if they are accepted.
string errorOf(std::map<string, string> props) {
  auto config = configWith(std::move(props));
  return config.isOk() ? "" : config.status().message();
}

TEST(StreamsConfigTest, Defaults) {
  auto config = configWith({});
  ASSERT_TRUE(config.isOk()) << config.status().toString();
  EXPECT_EQ(config->applicationId(), "config-app");
  EXPECT_EQ(config->commitIntervalMs(), 30000);
  EXPECT_EQ(config->numStreamThreads(), 1);
  EXPECT_EQ(config->numStandbyReplicas(), 0);
  EXPECT_EQ(config->autoOffsetReset(), "earliest");
  EXPECT_EQ(config->timestampExtractor(), StreamsConfig::TimestampExtractorKind::kFailOnInvalid);
  EXPECT_EQ(config->deserializationHandling(), StreamsConfig::DeserializationHandling::kLogAndFail);
  EXPECT_EQ(config->productionHandling(), StreamsConfig::ProductionHandling::kFail);
  EXPECT_EQ(config->pollMs(), 100);
  EXPECT_EQ(config->bufferedRecordsPerPartition(), 1000);
  EXPECT_EQ(config->cacheMaxBytes(), 10485760);
  EXPECT_EQ(config->replicationFactor(), -1);
  EXPECT_EQ(config->defaultKeySerde(), nullptr);
  EXPECT_EQ(config->defaultValueSerde(), nullptr);
  EXPECT_TRUE(configWith({{"processing.guarantee", "at_least_once"}}).isOk());
}

TEST(StreamsConfigTest, ApplicationIdIsRequired) {
  auto config = StreamsConfig::create({{"bootstrap.servers", "localhost:9092"}});
  ASSERT_FALSE(config.isOk());
  EXPECT_EQ(config.status().message(), "Missing required configuration \"application.id\" which has no default value.");
}

TEST(StreamsConfigTest, ExactlyOnceIsRefused) {
  for (const char* guarantee : {"exactly_once", "exactly_once_v2", "exactly_once_beta"}) {
    EXPECT_EQ(errorOf({{"processing.guarantee", guarantee}}),
              string("Invalid value ") + guarantee +
                  " for configuration processing.guarantee: only at_least_once is supported so far");
  }
}

TEST(StreamsConfigTest, InvalidValuesAreRejected) {
  EXPECT_EQ(errorOf({{"commit.interval.ms", "soon"}}),
            "Invalid value soon for configuration commit.interval.ms: Not a number of type INT or LONG");
  EXPECT_EQ(errorOf({{"commit.interval.ms", "-1"}}),
            "Invalid value -1 for configuration commit.interval.ms: Value must be at least 0");
  EXPECT_EQ(errorOf({{"num.stream.threads", "0"}}),
            "Invalid value 0 for configuration num.stream.threads: Value must be at least 1");
  EXPECT_EQ(errorOf({{"auto.offset.reset", "smallest"}}),
            "Invalid value smallest for configuration auto.offset.reset: String must be one of: latest, earliest, none");
  EXPECT_NE(errorOf({{"default.timestamp.extractor", "MyExtractor"}}).find("unknown timestamp extractor"),
            string::npos);
  EXPECT_NE(errorOf({{"default.deserialization.exception.handler", "Ignore"}}).find("unknown deserialization"),
            string::npos);
  EXPECT_NE(errorOf({{"default.key.serde", "Serdes$NoSuchSerde"}}).find("default.key.serde"), string::npos);
}

TEST(StreamsConfigTest, ValuesAreParsed) {
  auto config = configWith({{"commit.interval.ms", "250"},
                            {"num.stream.threads", "3"},
                            {"auto.offset.reset", "latest"},
                            {"default.timestamp.extractor",
                             "org.apache.kafka.streams.processor.UsePartitionTimeOnInvalidTimestamp"},
                            {"default.deserialization.exception.handler", "LogAndContinueExceptionHandler"},
                            {"default.key.serde", "Serdes$StringSerde"}});
  ASSERT_TRUE(config.isOk()) << config.status().toString();
  EXPECT_EQ(config->commitIntervalMs(), 250);
  EXPECT_EQ(config->numStreamThreads(), 3);
  EXPECT_EQ(config->autoOffsetReset(), "latest");
  EXPECT_EQ(config->timestampExtractor(), StreamsConfig::TimestampExtractorKind::kUsePartitionTimeOnInvalid);
  EXPECT_EQ(config->deserializationHandling(), StreamsConfig::DeserializationHandling::kLogAndContinue);
  EXPECT_NE(config->defaultKeySerde(), nullptr);
}

TEST(StreamsConfigTest, CacheSizeTakesTheNewNameOverTheDeprecatedOne) {
  EXPECT_EQ(configWith({{"cache.max.bytes.buffering", "100"}})->cacheMaxBytes(), 100);
  EXPECT_EQ(configWith({{"cache.max.bytes.buffering", "100"}, {"statestore.cache.max.bytes", "0"}})->cacheMaxBytes(),
            0);
}

TEST(StreamsConfigTest, ClientConfigsGetTheirOwnKeys) {
  auto config = configWith({{"bootstrap.servers", "b:9092"},
                            {"session.timeout.ms", "2000"},
                            {"linger.ms", "5"},
                            {"consumer.fetch.max.wait.ms", "50"},
                            {"producer.linger.ms", "7"},
                            {"commit.interval.ms", "100"}});
  ASSERT_TRUE(config.isOk());
  auto consumer = config->consumerConfig("c-1");
  EXPECT_EQ(consumer["group.id"], "config-app");
  EXPECT_EQ(consumer["client.id"], "c-1");
  EXPECT_EQ(consumer["enable.auto.commit"], "false");
  EXPECT_EQ(consumer["auto.offset.reset"], "earliest");
  EXPECT_EQ(consumer["bootstrap.servers"], "b:9092");
  EXPECT_EQ(consumer["session.timeout.ms"], "2000");
  EXPECT_EQ(consumer["fetch.max.wait.ms"], "50");
  EXPECT_FALSE(consumer.contains("linger.ms"));
  EXPECT_FALSE(consumer.contains("commit.interval.ms"));  // a streams key, not a client one
  auto producer = config->producerConfig("p-1");
  EXPECT_EQ(producer["linger.ms"], "7");  // the prefixed key wins
  EXPECT_FALSE(producer.contains("session.timeout.ms"));
  EXPECT_EQ(config->adminConfig()["client.id"], "config-app-admin");
}

// Reads "in" and writes it unchanged to "out".
std::unique_ptr<TopologyTestDriver> passThroughDriver(const string& extractor, int64_t wall_clock_ms = 0) {
  StreamsBuilder builder;
  builder.stream("in", strings())
      .to("out", Produced<string, string>::with(Serdes::String(), Serdes::String()));
  auto topology = builder.build();
  EXPECT_TRUE(topology.isOk());
  std::map<string, string> config;
  if (!extractor.empty()) config["default.timestamp.extractor"] = extractor;
  auto driver = TopologyTestDriver::create(*topology, config, wall_clock_ms);
  EXPECT_TRUE(driver.isOk()) << driver.status().toString();
  return std::move(driver).value();
}

std::vector<TestRecord<string, string>> output(TopologyTestDriver& driver) {
  return driver.createOutputTopic("out", Serdes::String(), Serdes::String()).readRecordsToList();
}

TEST(DefaultTimestampExtractorTest, FailOnInvalidTimestampFailsOnANegativeTimestamp) {
  auto driver = passThroughDriver("");
  auto in = driver->createInputTopic("in", Serdes::String(), Serdes::String());
  in.pipeInput("a", "1", 100);
  try {
    in.pipeInput("b", "2", -1);
    ADD_FAILURE() << "a negative timestamp was accepted";
  } catch (const StreamsException& e) {
    EXPECT_NE(string(e.what()).find("has invalid (negative) timestamp -1"), string::npos) << e.what();
  }
  auto records = output(*driver);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].timestamp, 100);
}

TEST(DefaultTimestampExtractorTest, WallclockTimestampExtractorTakesTheClock) {
  auto driver = passThroughDriver("WallclockTimestampExtractor", 5000);
  auto in = driver->createInputTopic("in", Serdes::String(), Serdes::String());
  in.pipeInput("a", "1", 42);
  driver->advanceWallClockTime(250ms);
  in.pipeInput("b", "2", -1);  // the record's own timestamp does not matter
  auto records = output(*driver);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].timestamp, 5000);
  EXPECT_EQ(records[1].timestamp, 5250);
}

TEST(DefaultTimestampExtractorTest, LogAndSkipOnInvalidTimestampDropsTheRecord) {
  auto driver = passThroughDriver("org.apache.kafka.streams.processor.LogAndSkipOnInvalidTimestamp");
  auto in = driver->createInputTopic("in", Serdes::String(), Serdes::String());
  in.pipeInput("a", "1", 100);
  in.pipeInput("b", "2", -1);
  in.pipeInput("c", "3", 300);
  auto records = output(*driver);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].value, "1");
  EXPECT_EQ(records[0].timestamp, 100);
  EXPECT_EQ(records[1].value, "3");
  EXPECT_EQ(records[1].timestamp, 300);
}

TEST(DefaultTimestampExtractorTest, UsePartitionTimeOnInvalidTimestampTakesThePartitionTime) {
  auto driver = passThroughDriver("UsePartitionTimeOnInvalidTimestamp");
  auto in = driver->createInputTopic("in", Serdes::String(), Serdes::String());
  in.pipeInput("a", "1", 300);
  in.pipeInput("b", "2", 200);  // out of order: the partition time stays 300
  in.pipeInput("c", "3", -1);
  auto records = output(*driver);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].timestamp, 200);
  EXPECT_EQ(records[2].value, "3");
  EXPECT_EQ(records[2].timestamp, 300);
}

TEST(DefaultTimestampExtractorTest, UsePartitionTimeOnInvalidTimestampFailsWithoutAPartitionTime) {
  auto driver = passThroughDriver("UsePartitionTimeOnInvalidTimestamp");
  auto in = driver->createInputTopic("in", Serdes::String(), Serdes::String());
  EXPECT_THROW(in.pipeInput("c", "3", -1), StreamsException);
  EXPECT_TRUE(output(*driver).empty());
}

}  // namespace
}  // namespace runnel::streams
