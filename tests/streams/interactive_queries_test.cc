// Interactive queries against running applications: local store reads from another
// thread, and which instance (by application.server) holds a key.

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "counting_topology.h"
#include "streams/kafka_streams.h"
#include "streams_broker_fixture.h"

namespace runnel::streams {
namespace {

using InteractiveQueriesTest = StreamsBrokerTest;

TEST_F(InteractiveQueriesTest, ReadsLocalStoresWhileRunning) {
  createTopic("numbers", 2);
  createTopic("counts-out", 1);
  auto streams = KafkaStreams::create(countingTopology(false, true), appConfig("iq-local"));
  ASSERT_TRUE(streams.isOk());
  EXPECT_FALSE(((*streams)->store<string, int64_t>("counts")).isOk());  // not running yet
  ASSERT_TRUE((*streams)->start().isOk());
  produce("numbers", 0, 291);  // key-0 .. key-96, three times each
  ASSERT_EQ(consumeValues("counts-out", 291).size(), 291u);

  auto store = (*streams)->store<string, int64_t>("counts");
  ASSERT_TRUE(store.isOk()) << store.status().toString();
  EXPECT_EQ(store->get("key-5").value(), std::optional<int64_t>(3));
  EXPECT_EQ(store->get("missing").value(), std::nullopt);
  auto all = store->all();
  ASSERT_TRUE(all.isOk());
  EXPECT_EQ(all->size(), 97u);
  auto range = store->range("key-10", "key-19");
  ASSERT_TRUE(range.isOk());
  EXPECT_EQ(range->size(), 10u);
  auto prefixed = store->prefixScan<string>("key-9", Serdes::String());  // key-9, key-90 .. key-96
  ASSERT_TRUE(prefixed.isOk());
  EXPECT_EQ(prefixed->size(), 8u);
  EXPECT_GE(store->approximateNumEntries().value(), 97u);

  auto wrong_type = (*streams)->store<string, string>("counts");
  ASSERT_TRUE(wrong_type.isOk());
  EXPECT_FALSE(wrong_type->get("key-5").isOk());
  auto unknown = (*streams)->store<string, int64_t>("nope");
  ASSERT_FALSE(unknown.isOk());
  EXPECT_NE(unknown.status().message().find("no such store is registered"), string::npos);
  // Without application.server the other instances cannot be located.
  EXPECT_FALSE((*streams)->queryMetadataForKey<string>("counts", "key-5", Serdes::String()).isOk());
  EXPECT_TRUE((*streams)->close(30s));
}

TEST_F(InteractiveQueriesTest, MetadataLocatesTheInstanceOfAKey) {
  createTopic("numbers", 4);
  createTopic("counts-out", 1);
  auto config_a = appConfig("iq-remote");
  config_a["application.server"] = "host-a:7001";
  auto config_b = appConfig("iq-remote");
  config_b["application.server"] = "host-b:7002";
  auto a = KafkaStreams::create(countingTopology(true, true), config_a);
  auto b = KafkaStreams::create(countingTopology(true, true), config_b);
  ASSERT_TRUE(a.isOk() && b.isOk());
  ASSERT_TRUE((*a)->start().isOk());
  ASSERT_TRUE((*b)->start().isOk());
  ASSERT_TRUE(waitUntil([&] {
    return (*a)->activeTaskIds().size() == 2 && (*b)->activeTaskIds().size() == 2 &&
           (*a)->state() == KafkaStreams::State::kRunning && (*b)->state() == KafkaStreams::State::kRunning;
  }));
  produce("numbers", 0, 194);
  ASSERT_EQ(consumeValues("counts-out", 194).size(), 194u);

  auto metadata = (*a)->streamsMetadataForStore("counts");
  ASSERT_TRUE(metadata.isOk()) << metadata.status().toString();
  ASSERT_EQ(metadata->size(), 2u);
  EXPECT_EQ((*metadata)[0].host_info.toString(), "host-a:7001");
  EXPECT_EQ((*metadata)[1].host_info.toString(), "host-b:7002");
  EXPECT_EQ((*metadata)[0].topic_partitions.size() + (*metadata)[1].topic_partitions.size(), 4u);

  // Every key is answered by exactly the instance the metadata names.
  for (int i = 0; i < 97; i += 7) {
    string key = "key-" + std::to_string(i);
    auto owner = (*b)->queryMetadataForKey<string>("counts", key, Serdes::String());
    ASSERT_TRUE(owner.isOk()) << owner.status().toString();
    auto& holder = owner->active_host.port == 7001 ? *a : *b;
    auto& other = owner->active_host.port == 7001 ? *b : *a;
    auto held = holder->store<string, int64_t>("counts")->get(key);
    auto elsewhere = other->store<string, int64_t>("counts")->get(key);
    EXPECT_EQ(held.value(), std::optional<int64_t>(2)) << key;
    EXPECT_EQ(elsewhere.value(), std::nullopt) << key;
  }
  EXPECT_TRUE((*b)->close(30s));
  EXPECT_TRUE((*a)->close(30s));
}

// The view of the instances' application.servers is kept between queries; an instance
// that joins later is seen as soon as it is a group member, not at the next periodic read.
TEST_F(InteractiveQueriesTest, MetadataSeesAnInstanceThatJoinsLater) {
  createTopic("numbers", 4);
  createTopic("counts-out", 1);
  auto config_a = appConfig("iq-join");
  config_a["application.server"] = "host-a:7001";
  auto config_b = appConfig("iq-join");
  config_b["application.server"] = "host-b:7002";
  auto a = KafkaStreams::create(countingTopology(true, true), config_a);
  auto b = KafkaStreams::create(countingTopology(true, true), config_b);
  ASSERT_TRUE(a.isOk() && b.isOk());
  ASSERT_TRUE((*a)->start().isOk());
  ASSERT_TRUE(waitUntil([&] {
    auto metadata = (*a)->streamsMetadataForStore("counts");
    return metadata.isOk() && metadata->size() == 1;
  }));

  ASSERT_TRUE((*b)->start().isOk());
  auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(waitUntil([&] {
    auto metadata = (*a)->streamsMetadataForStore("counts");
    return metadata.isOk() && metadata->size() == 2 && (*metadata)[1].host_info.toString() == "host-b:7002";
  }));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);  // well before the 30 s refresh
  EXPECT_TRUE((*b)->close(30s));
  EXPECT_TRUE((*a)->close(30s));
}

}  // namespace
}  // namespace runnel::streams
