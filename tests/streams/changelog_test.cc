// Logged stores: every write goes to "<application.id>-<store>-changelog", a task restores
// its stores from there, and a checkpoint file limits a restart to the changelog's tail.

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>

#include "streams/kafka_streams.h"
#include "streams/serdes.h"
#include "streams/stores.h"
#include "streams/topology_test_driver.h"
#include "counting_topology.h"
#include "streams_broker_fixture.h"

namespace runnel::streams {
namespace {

using std::string;

TEST(ChangelogDriverTest, WritesAndDeletesReachTheChangelog) {
  auto driver = TopologyTestDriver::create(countingTopology(false, true), {{"application.id", "app"}});
  ASSERT_TRUE(driver.isOk()) << driver.status().toString();
  auto in = (*driver)->createInputTopic("numbers", Serdes::String(), Serdes::String());
  in.pipeInput("a", "x", 10);
  in.pipeInput("a", "x", 11);
  in.pipeInput("a", "forget", 12);
  auto changelog = (*driver)->createOutputTopic("app-counts-changelog", Serdes::String(),
                                                Serdes::Optional(Serdes::Long()));
  auto records = changelog.readRecordsToList();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].value, std::optional<int64_t>(1));
  EXPECT_EQ(records[1].value, std::optional<int64_t>(2));
  EXPECT_EQ(records[2].value, std::nullopt);  // a tombstone
  EXPECT_EQ(records[2].timestamp, 12);        // the timestamp of the record that caused it
}

TEST(ChangelogDriverTest, UnloggedStoresWriteNoChangelog) {
  auto driver = TopologyTestDriver::create(countingTopology(false, false), {{"application.id", "app"}});
  ASSERT_TRUE(driver.isOk());
  (*driver)->createInputTopic("numbers", Serdes::String(), Serdes::String()).pipeInput("a", "x");
  EXPECT_EQ((*driver)->producedTopicNames(), (std::vector<string>{"counts-out"}));
}

class RestoreCounter : public StateRestoreListener {
 public:
  void onRestoreStart(const client::TopicPartition&, const string&, int64_t, int64_t) override { ++starts; }
  void onBatchRestored(const client::TopicPartition&, const string&, int64_t, int64_t) override { ++batches; }
  void onRestoreEnd(const client::TopicPartition&, const string&, int64_t total) override { restored += total; }
  std::atomic<int> starts = 0, batches = 0;
  std::atomic<int64_t> restored = 0;
};

class ChangelogRestoreTest : public StreamsBrokerTest, public ::testing::WithParamInterface<bool> {
 protected:
  // Runs the counting app until `expected` counts are out, then closes it.
  void runOnce(const string& app_id, RestoreCounter& listener, int from, int count, size_t expected_total) {
    auto streams = KafkaStreams::create(countingTopology(GetParam(), true), appConfig(app_id));
    ASSERT_TRUE(streams.isOk()) << streams.status().toString();
    (*streams)->setGlobalStateRestoreListener(&listener);
    ASSERT_TRUE((*streams)->start().isOk());
    produce("numbers", from, count);
    ASSERT_EQ(consumeValues("counts-out", expected_total).size(), expected_total);
    EXPECT_TRUE((*streams)->close(30s));
  }

  // The last count per key in counts-out.
  std::map<string, int64_t> lastCounts(size_t expected_total) {
    auto consumer = client::makeKafkaConsumer({{"bootstrap.servers", bootstrap()}});
    std::map<string, int64_t> last;
    auto partitions = (*consumer)->partitionsFor("counts-out", 10s);
    std::vector<client::TopicPartitionOffset> assignment;
    for (const auto& p : *partitions) assignment.push_back({p.topic, p.partition, client::kOffsetBeginning});
    EXPECT_TRUE((*consumer)->assign(assignment).isOk());
    size_t seen = 0;
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (seen < expected_total && std::chrono::steady_clock::now() < deadline) {
      (void)(*consumer)->pollBatch(200ms, 1000, [&](const client::MessageView& m) {
        ++seen;
        int64_t count = 0;
        for (unsigned char c : *m.value) count = (count << 8) | c;
        last[string(*m.key)] = count;
      });
    }
    return last;
  }
};

TEST_P(ChangelogRestoreTest, RestartsRestoreTheStore) {
  createTopic("numbers", 2);
  createTopic("counts-out", 1);
  string app = GetParam() ? "restore-rocksdb" : "restore-memory";
  RestoreCounter first;
  runOnce(app, first, 0, 194, 194);  // keys key-0..key-96, two records each
  EXPECT_EQ(first.restored, 0);

  // Same state directory: a persistent store restores only what its checkpoint lacks (none);
  // an in-memory one replays its whole changelog.
  RestoreCounter second;
  runOnce(app, second, 194, 97, 291);
  if (GetParam()) {
    EXPECT_EQ(second.restored, 0);
  } else {
    EXPECT_EQ(second.restored, 194);
    EXPECT_EQ(second.starts, 2);  // one changelog partition per task
  }
  auto counts = lastCounts(291);
  ASSERT_EQ(counts.size(), 97u);
  for (const auto& [key, count] : counts) EXPECT_EQ(count, 3) << key;

  // Local state wiped: everything comes back from the changelog.
  auto wipe = KafkaStreams::create(countingTopology(GetParam(), true), appConfig(app));
  ASSERT_TRUE((*wipe)->cleanUp().isOk());
  RestoreCounter third;
  runOnce(app, third, 291, 97, 388);
  EXPECT_EQ(third.restored, 291);
  EXPECT_GE(third.batches, 1);
  counts = lastCounts(388);
  for (const auto& [key, count] : counts) EXPECT_EQ(count, 4) << key;
}

INSTANTIATE_TEST_SUITE_P(InMemoryAndRocksDb, ChangelogRestoreTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "RocksDb" : "InMemory"; });

TEST_F(StreamsBrokerTest, ChangelogTopicIsCompactedWithOnePartitionPerTask) {
  createTopic("numbers", 3);
  createTopic("counts-out", 1);
  auto streams = KafkaStreams::create(countingTopology(true, true), appConfig("changelog-topic"));
  ASSERT_TRUE(streams.isOk());
  ASSERT_TRUE((*streams)->start().isOk());
  auto admin = client::makeKafkaAdmin({{"bootstrap.servers", bootstrap()}});
  auto metadata = (*admin)->metadata(std::vector<string>{"changelog-topic-counts-changelog"});
  ASSERT_TRUE(metadata.isOk());
  ASSERT_EQ(metadata->topics.size(), 1u);
  EXPECT_EQ(metadata->topics[0].partitions.size(), 3u);
  auto configs = (*admin)->describeTopicConfigs("changelog-topic-counts-changelog");
  ASSERT_TRUE(configs.isOk());
  bool compacted = false;
  for (const auto& entry : *configs) compacted = compacted || (entry.name == "cleanup.policy" && entry.value == "compact");
  EXPECT_TRUE(compacted);
  EXPECT_TRUE((*streams)->close(30s));
}

}  // namespace
}  // namespace runnel::streams
