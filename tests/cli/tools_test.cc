// The three tools' argument checks and their logic against fake clients.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/consume_command.h"
#include "cli/produce_command.h"
#include "cli/topics_command.h"
#include "fakes.h"

namespace runnel::cli {
namespace {

using testing::Argv;
using testing::FakeAdmin;
using testing::FakeConsumer;
using testing::FakeProducer;

// ---- topics

TopicsOptions topicsOptions(Argv args) {
  std::ostringstream out, err;
  auto parsed = parseTopicsArgs(args.argc(), args.argv(), out, err);
  EXPECT_TRUE(parsed.options.has_value()) << err.str();
  return parsed.options.value_or(TopicsOptions{});
}

std::string topicsUsageError(Argv args) {
  std::ostringstream out, err;
  auto parsed = parseTopicsArgs(args.argc(), args.argv(), out, err);
  EXPECT_FALSE(parsed.options.has_value());
  EXPECT_EQ(parsed.exit_code, 1);
  return err.str().substr(0, err.str().find('\n'));
}

TEST(TopicsTest, ArgumentChecks) {
  EXPECT_EQ(topicsUsageError({"topics", "--bootstrap-server", "b:9092"}),
            "Command must include exactly one action: --list, --describe, --create, --alter or --delete");
  EXPECT_EQ(topicsUsageError({"topics", "--list", "--create", "--bootstrap-server", "b:9092"}),
            "Command must include exactly one action: --list, --describe, --create, --alter or --delete");
  EXPECT_EQ(topicsUsageError({"topics", "--list"}), "Missing required argument \"[bootstrap-server]\"");
  EXPECT_EQ(topicsUsageError({"topics", "--create", "--bootstrap-server", "b:9092"}),
            "Missing required argument \"[topic]\"");
  EXPECT_EQ(topicsUsageError({"topics", "--alter", "--topic", "t", "--bootstrap-server", "b:9092"}),
            "Missing required argument \"[partitions]\"");
  std::ostringstream out, err;
  Argv help{"topics", "--help"};
  auto parsed = parseTopicsArgs(help.argc(), help.argv(), out, err);
  EXPECT_EQ(parsed.exit_code, 0);
  EXPECT_NE(out.str().find("--bootstrap-server"), std::string::npos);
}

TEST(TopicsTest, CreatePrintsKafkasLine) {
  FakeAdmin admin;
  auto o = topicsOptions({"topics", "--bootstrap-server", "b:9092", "--create", "--topic", "users", "--partitions",
                          "4", "--replication-factor", "1", "--config", "cleanup.policy=compact", "--config",
                          "retention.ms=1000"});
  std::ostringstream out, err;
  EXPECT_EQ(runTopics(o, admin, out, err), 0);
  EXPECT_EQ(out.str(), "Created topic users.\n");
  ASSERT_EQ(admin.created.size(), 1u);
  EXPECT_EQ(admin.created[0].partitions, 4);
  EXPECT_EQ(admin.created[0].replication_factor, 1);
  EXPECT_EQ(admin.created[0].configs.at("cleanup.policy"), "compact");
  EXPECT_EQ(admin.created[0].configs.at("retention.ms"), "1000");
}

TEST(TopicsTest, CreateExistingTopic) {
  FakeAdmin admin;
  admin.addTopic("users", 1);
  auto o = topicsOptions({"topics", "--bootstrap-server", "b:9092", "--create", "--topic", "users"});
  std::ostringstream out, err;
  EXPECT_EQ(runTopics(o, admin, out, err), 1);
  EXPECT_EQ(err.str(), "Error while executing topic command : Topic 'users' already exists.\n");
  o.if_not_exists = true;
  std::ostringstream out2, err2;
  EXPECT_EQ(runTopics(o, admin, out2, err2), 0);
  EXPECT_EQ(out2.str(), "");
}

TEST(TopicsTest, CollisionWarning) {
  FakeAdmin admin;
  auto o = topicsOptions({"topics", "--bootstrap-server", "b:9092", "--create", "--topic", "page_views"});
  std::ostringstream out, err;
  EXPECT_EQ(runTopics(o, admin, out, err), 0);
  EXPECT_EQ(out.str(),
            "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could "
            "collide. To avoid issues it is best to use either, but not both.\nCreated topic page_views.\n");
}

TEST(TopicsTest, ListAndExcludeInternal) {
  FakeAdmin admin;
  admin.addTopic("users", 1);
  admin.addTopic("__consumer_offsets", 50, true);
  admin.addTopic("orders", 1);
  std::ostringstream out, err;
  EXPECT_EQ(runTopics(topicsOptions({"topics", "--bootstrap-server", "b", "--list"}), admin, out, err), 0);
  EXPECT_EQ(out.str(), "__consumer_offsets\norders\nusers\n");
  std::ostringstream out2;
  runTopics(topicsOptions({"topics", "--bootstrap-server", "b", "--list", "--exclude-internal"}), admin, out2, err);
  EXPECT_EQ(out2.str(), "orders\nusers\n");
  std::ostringstream out3;
  runTopics(topicsOptions({"topics", "--bootstrap-server", "b", "--list", "--topic", "us.*"}), admin, out3, err);
  EXPECT_EQ(out3.str(), "users\n");
}

TEST(TopicsTest, DescribeFormat) {
  FakeAdmin admin;
  admin.cluster.brokers = {{1, "localhost", 9092}};
  admin.addTopic("users", 2);
  admin.cluster.topics[0].partitions[1].leader = -1;
  admin.configs["users"] = {{"cleanup.policy", "compact", false, false, false, client::ConfigSource::kDynamicTopicConfig},
                            {"retention.ms", "604800000", true, false, false, client::ConfigSource::kDefaultConfig},
                            {"segment.bytes", "1073741824", false, true, false, client::ConfigSource::kStaticBrokerConfig}};
  std::ostringstream out, err;
  EXPECT_EQ(runTopics(topicsOptions({"topics", "--bootstrap-server", "b", "--describe", "--topic", "users"}), admin,
                      out, err),
            0);
  EXPECT_EQ(out.str(),
            "Topic: users\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: cleanup.policy=compact,"
            "segment.bytes=1073741824\n"
            "\tTopic: users\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\n"
            "\tTopic: users\tPartition: 1\tLeader: none\tReplicas: 1\tIsr: 1\n");
  std::ostringstream out2;
  runTopics(topicsOptions({"topics", "--bootstrap-server", "b", "--describe", "--unavailable-partitions"}), admin,
            out2, err);
  EXPECT_EQ(out2.str(), "\tTopic: users\tPartition: 1\tLeader: none\tReplicas: 1\tIsr: 1\n");
}

TEST(TopicsTest, MissingTopic) {
  FakeAdmin admin;
  std::ostringstream out, err;
  EXPECT_EQ(runTopics(topicsOptions({"topics", "--bootstrap-server", "b", "--delete", "--topic", "nope"}), admin, out,
                      err),
            1);
  EXPECT_EQ(err.str(), "Error while executing topic command : Topic 'nope' does not exist as expected\n");
  std::ostringstream err2;
  EXPECT_EQ(runTopics(topicsOptions({"topics", "--bootstrap-server", "b", "--delete", "--topic", "nope", "--if-exists"}),
                      admin, out, err2),
            0);
}

TEST(TopicsTest, AlterPartitionsAndDelete) {
  FakeAdmin admin;
  admin.addTopic("users", 1);
  admin.addTopic("__consumer_offsets", 50, true);
  std::ostringstream out, err;
  EXPECT_EQ(runTopics(topicsOptions({"topics", "--bootstrap-server", "b", "--alter", "--topic", "users",
                                     "--partitions", "3"}),
                      admin, out, err),
            0);
  EXPECT_EQ(admin.grown.at("users"), 3);
  EXPECT_EQ(runTopics(topicsOptions({"topics", "--bootstrap-server", "b", "--alter", "--topic", "__consumer_offsets",
                                     "--partitions", "60"}),
                      admin, out, err),
            1);
  EXPECT_EQ(runTopics(topicsOptions({"topics", "--bootstrap-server", "b", "--delete", "--topic", "users"}), admin,
                      out, err),
            0);
  EXPECT_EQ(admin.deleted, std::vector<std::string>{"users"});
  EXPECT_EQ(out.str(), "");
}

// ---- produce

ProduceOptions produceOptions(Argv args) {
  std::ostringstream out, err;
  auto parsed = parseProduceArgs(args.argc(), args.argv(), out, err);
  EXPECT_TRUE(parsed.options.has_value()) << err.str();
  return parsed.options.value_or(ProduceOptions{});
}

TEST(ProduceTest, KafkaDefaults) {
  auto config = producerConfig(produceOptions({"produce", "--bootstrap-server", "b:9092", "--topic", "t"}));
  ASSERT_TRUE(config.isOk());
  EXPECT_EQ(config->at("bootstrap.servers"), "b:9092");
  EXPECT_EQ(config->at("acks"), "-1");
  EXPECT_EQ(config->at("compression.type"), "none");
  EXPECT_EQ(config->at("linger.ms"), "1000");
  EXPECT_EQ(config->at("batch.size"), "16384");
  EXPECT_EQ(config->at("client.id"), "console-producer");
}

TEST(ProduceTest, FlagsAndPropertiesPrecedence) {
  auto o = produceOptions({"produce", "--bootstrap-server", "b", "--topic", "t", "--compression-codec",
                           "--producer-property", "linger.ms=5", "--producer-property", "acks=1", "--timeout", "7"});
  auto config = producerConfig(o);
  ASSERT_TRUE(config.isOk());
  EXPECT_EQ(config->at("compression.type"), "gzip");  // the flag without a value
  EXPECT_EQ(config->at("linger.ms"), "7");            // an explicit flag wins
  EXPECT_EQ(config->at("acks"), "1");                 // a property beats the flag's default
  auto zstd = producerConfig(produceOptions({"produce", "--bootstrap-server", "b", "--topic", "t",
                                             "--compression-codec", "zstd"}));
  EXPECT_EQ(zstd->at("compression.type"), "zstd");
}

TEST(ProduceTest, MissingTopic) {
  std::ostringstream out, err;
  Argv args{"produce", "--bootstrap-server", "b"};
  auto parsed = parseProduceArgs(args.argc(), args.argv(), out, err);
  EXPECT_EQ(parsed.exit_code, 1);
  EXPECT_EQ(err.str().substr(0, err.str().find('\n')), "Missing required argument \"[topic]\"");
}

TEST(ProduceTest, SendsOneRecordPerLine) {
  auto o = produceOptions({"produce", "--bootstrap-server", "b", "--topic", "users", "--property", "parse.key=true",
                           "--property", "key.separator=:"});
  FakeProducer producer;
  std::istringstream in("1:alice\r\n2:bob\n3:\n");
  std::ostringstream out, err;
  EXPECT_EQ(runProduce(o, producer, in, out, err, false), 0);
  ASSERT_EQ(producer.sent.size(), 3u);
  EXPECT_EQ(producer.sent[0].topic, "users");
  EXPECT_EQ(producer.sent[0].key, "1");
  EXPECT_EQ(producer.sent[0].value, "alice");
  EXPECT_EQ(producer.sent[1].value, "bob");
  EXPECT_EQ(producer.sent[2].value, "");
  EXPECT_EQ(producer.sent[0].partition, client::ProducerRecord::kAnyPartition);
  EXPECT_GE(producer.flushes, 1);
}

TEST(ProduceTest, BadLineFlushesThenFails) {
  auto o = produceOptions({"produce", "--bootstrap-server", "b", "--topic", "users", "--property", "parse.key=true"});
  FakeProducer producer;
  std::istringstream in("k\tv\nno separator\nk2\tv2\n");
  std::ostringstream out, err;
  EXPECT_EQ(runProduce(o, producer, in, out, err, false), 1);
  EXPECT_EQ(producer.sent.size(), 1u);
  EXPECT_EQ(producer.flushes, 1);
  EXPECT_EQ(err.str(), "No key separator found on line number 2: 'no separator'\n");
}

TEST(ProduceTest, DeliveryFailureExitsNonZero) {
  auto o = produceOptions({"produce", "--bootstrap-server", "b", "--topic", "users"});
  FakeProducer producer;
  producer.flush_status = Status::timedOut("2 records were not delivered; first error: _MSG_TIMED_OUT: users: timed out");
  std::istringstream in("a\nb\n");
  std::ostringstream out, err;
  EXPECT_EQ(runProduce(o, producer, in, out, err, false), 1);
  EXPECT_NE(err.str().find("2 records were not delivered"), std::string::npos);
}

// ---- consume

ConsumeOptions consumeOptions(Argv args) {
  std::ostringstream out, err;
  auto parsed = parseConsumeArgs(args.argc(), args.argv(), out, err);
  EXPECT_TRUE(parsed.options.has_value()) << err.str();
  return parsed.options.value_or(ConsumeOptions{});
}

std::string consumeUsageError(Argv args) {
  std::ostringstream out, err;
  auto parsed = parseConsumeArgs(args.argc(), args.argv(), out, err);
  EXPECT_EQ(parsed.exit_code, 1);
  return err.str().substr(0, err.str().find('\n'));
}

TEST(ConsumeTest, ArgumentChecks) {
  EXPECT_EQ(consumeUsageError({"consume", "--bootstrap-server", "b", "--topic", "t", "--offset", "5"}),
            "The partition is required when offset is specified.");
  EXPECT_EQ(consumeUsageError({"consume", "--bootstrap-server", "b", "--topic", "t", "--partition", "0", "--offset",
                               "5", "--from-beginning"}),
            "Options from-beginning and offset cannot be specified together.");
  EXPECT_EQ(consumeUsageError({"consume", "--bootstrap-server", "b", "--topic", "t", "--partition", "0", "--offset",
                               "-3"}),
            "The provided offset value '-3' is incorrect. Valid values are 'earliest', 'latest', or a non-negative "
            "long.");
  EXPECT_EQ(consumeUsageError({"consume", "--topic", "t"}), "Missing required argument \"[bootstrap-server]\"");
}

TEST(ConsumeTest, StartOffsets) {
  EXPECT_EQ(*startOffset(consumeOptions({"consume", "--bootstrap-server", "b", "--topic", "t", "--partition", "0"})),
            client::kOffsetEnd);
  EXPECT_EQ(*startOffset(consumeOptions(
                {"consume", "--bootstrap-server", "b", "--topic", "t", "--partition", "0", "--from-beginning"})),
            client::kOffsetBeginning);
  EXPECT_EQ(*startOffset(consumeOptions(
                {"consume", "--bootstrap-server", "b", "--topic", "t", "--partition", "0", "--offset", "Earliest"})),
            client::kOffsetBeginning);
  EXPECT_EQ(*startOffset(consumeOptions(
                {"consume", "--bootstrap-server", "b", "--topic", "t", "--partition", "0", "--offset", "42"})),
            42);
}

TEST(ConsumeTest, GroupSetup) {
  auto generated = consumerSetup(consumeOptions({"consume", "--bootstrap-server", "b", "--topic", "t"}));
  ASSERT_TRUE(generated.isOk());
  EXPECT_FALSE(generated->group_passed);
  EXPECT_TRUE(generated->config.at("group.id").starts_with("console-consumer-"));
  EXPECT_EQ(generated->config.at("enable.auto.commit"), "false");
  EXPECT_EQ(generated->config.at("auto.offset.reset"), "latest");
  auto named = consumerSetup(
      consumeOptions({"consume", "--bootstrap-server", "b", "--topic", "t", "--group", "g1", "--from-beginning"}));
  ASSERT_TRUE(named.isOk());
  EXPECT_TRUE(named->group_passed);
  EXPECT_EQ(named->config.at("group.id"), "g1");
  EXPECT_FALSE(named->config.contains("enable.auto.commit"));
  EXPECT_EQ(named->config.at("auto.offset.reset"), "earliest");
  auto mismatch = consumerSetup(consumeOptions(
      {"consume", "--bootstrap-server", "b", "--topic", "t", "--group", "g1", "--consumer-property", "group.id=g2"}));
  EXPECT_FALSE(mismatch.isOk());
}

client::Message record(int32_t partition, int64_t offset, std::string key, std::string value) {
  client::Message m;
  m.topic = "users";
  m.partition = partition;
  m.offset = offset;
  m.timestamp = 1000 + offset;
  m.timestamp_type = client::TimestampType::kCreateTime;
  m.key = std::move(key);
  m.value = std::move(value);
  return m;
}

TEST(ConsumeTest, AssignsEveryPartitionAndStopsAtMaxMessages) {
  auto o = consumeOptions({"consume", "--bootstrap-server", "b", "--topic", "users", "--max-messages", "2",
                           "--property", "print.key=true", "--property", "print.timestamp=true"});
  FakeConsumer consumer;
  consumer.partitions = 3;
  consumer.messages = {record(0, 0, "1", "alice"), record(2, 0, "2", "bob"), record(1, 0, "3", "carol")};
  std::ostringstream out, err;
  std::atomic<bool> stop{false};
  EXPECT_EQ(runConsume(o, consumer, out, err, stop), 0);
  EXPECT_EQ(out.str(), "CreateTime:1000\t1\talice\nCreateTime:1000\t2\tbob\n");
  EXPECT_EQ(err.str(), "Processed a total of 2 messages\n");
  ASSERT_EQ(consumer.assigned.size(), 3u);
  EXPECT_EQ(consumer.assigned[2].partition, 2);
  EXPECT_EQ(consumer.assigned[0].offset, client::kOffsetStored);
  EXPECT_TRUE(consumer.closed);
}

TEST(ConsumeTest, PartitionModeAndTimeout) {
  auto o = consumeOptions({"consume", "--bootstrap-server", "b", "--topic", "users", "--partition", "1", "--offset",
                           "7", "--timeout-ms", "50"});
  FakeConsumer consumer;
  consumer.partitions = 2;
  consumer.messages = {record(1, 7, "k", "v")};
  std::ostringstream out, err;
  std::atomic<bool> stop{false};
  EXPECT_EQ(runConsume(o, consumer, out, err, stop), 0);
  EXPECT_EQ(out.str(), "v\n");
  EXPECT_EQ(consumer.assigned, (std::vector<client::TopicPartitionOffset>{{"users", 1, 7}}));
  EXPECT_NE(err.str().find("TimeoutException"), std::string::npos);
  EXPECT_NE(err.str().find("Processed a total of 1 messages"), std::string::npos);
}

TEST(ConsumeTest, UnknownPartitionOrTopic) {
  FakeConsumer consumer;
  std::ostringstream out, err;
  std::atomic<bool> stop{false};
  auto o = consumeOptions({"consume", "--bootstrap-server", "b", "--topic", "users", "--partition", "4"});
  EXPECT_EQ(runConsume(o, consumer, out, err, stop), 1);
  EXPECT_NE(err.str().find("Partition 4 does not exist in topic users"), std::string::npos);
  std::ostringstream err2;
  auto missing = consumeOptions({"consume", "--bootstrap-server", "b", "--topic", "missing"});
  EXPECT_EQ(runConsume(missing, consumer, out, err2, stop), 1);
}

}  // namespace
}  // namespace runnel::cli
