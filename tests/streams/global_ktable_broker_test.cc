// GlobalKTable at run time against a broker: the global thread restores every global
// store before stream threads process anything, each instance holds the whole table,
// and a persistent store's checkpoint limits a restart to the topic's tail.

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "streams/kafka_streams.h"
#include "streams/serdes.h"
#include "streams/stores.h"
#include "streams/topology.h"
#include "streams_broker_fixture.h"

namespace runnel::streams {
namespace {

using std::string;

class RestoreCounter : public StateRestoreListener {
 public:
  void onRestoreStart(const client::TopicPartition&, const string&, int64_t, int64_t) override { ++starts; }
  void onBatchRestored(const client::TopicPartition&, const string&, int64_t, int64_t) override {}
  void onRestoreEnd(const client::TopicPartition&, const string& store, int64_t total) override {
    EXPECT_EQ(store, "products");
    restored += total;
  }
  std::atomic<int> starts = 0;
  std::atomic<int64_t> restored = 0;
};

// Orders keyed "o<i>" with the product id "key-<n>" as value, joined with the products
// table ("key-<n>" -> "<i>", the fixture's produce()).
Topology ordersTopology(bool persistent) {
  StreamsBuilder builder;
  auto products = builder.globalTable(
      "products", Consumed<string, string>::with(Serdes::String(), Serdes::String()),
      persistent ? Materialized<string, string>::as("products")
                 : Materialized<string, string>::as(Stores::inMemoryKeyValueStore("products")));
  builder.stream("orders", Consumed<string, string>::with(Serdes::String(), Serdes::String()))
      .join(products, [](const string&, const string& product) { return product; },
            [](const string& product, const string& price) { return product + "=" + price; })
      .to("priced");
  return *builder.build();
}

class GlobalKTableBrokerTest : public StreamsBrokerTest {
 protected:
  // Every test has a broker of its own: checkpoints of an earlier one would not fit it.
  void SetUp() override { std::filesystem::remove_all(state_dir_); }

  void produceOrders(int count) {
    auto producer = client::makeKafkaProducer({{"bootstrap.servers", bootstrap()}, {"linger.ms", "5"}});
    ASSERT_TRUE(producer.isOk());
    for (int i = 0; i < count; ++i) {
      client::ProducerRecord record;
      record.topic = "orders";
      record.key = "o" + std::to_string(i);
      record.value = "key-" + std::to_string(i % 97);
      ASSERT_TRUE((*producer)->send(record).isOk());
    }
    ASSERT_TRUE((*producer)->flush(30s).isOk());
  }

  std::unique_ptr<KafkaStreams> startApp(const string& app_id, bool persistent, RestoreCounter* listener,
                                         std::map<string, string> extra = {}) {
    auto config = appConfig(app_id);
    config.insert(extra.begin(), extra.end());
    auto streams = KafkaStreams::create(ordersTopology(persistent), config);
    EXPECT_TRUE(streams.isOk()) << streams.status().toString();
    if (listener) (*streams)->setGlobalStateRestoreListener(listener);
    Status started = (*streams)->start();
    EXPECT_TRUE(started.isOk()) << started.toString();
    return std::move(streams).value();
  }

  static size_t entries(KafkaStreams& streams) {
    auto store = streams.store<string, string>("products");
    if (!store.isOk()) return 0;
    auto all = store->all();
    return all.isOk() ? all->size() : 0;
  }
};

// Products "key-0".."key-96" hold "97".."193" after produce(0, 194).
TEST_F(GlobalKTableBrokerTest, RestoresTheTableBeforeTheFirstStreamRecordIsJoined) {
  createTopic("products", 3);
  createTopic("orders", 2);  // not co-partitioned with products: no need
  createTopic("priced", 1);
  produce("products", 0, 194);
  produceOrders(300);  // already waiting when the application starts
  RestoreCounter listener;
  auto streams = startApp("global-restore", true, &listener);
  // start() returns once the global store is complete.
  EXPECT_EQ(listener.restored, 194);
  EXPECT_EQ(listener.starts, 3);
  auto priced = consumeValues("priced", 300);
  ASSERT_EQ(priced.size(), 300u);  // every order found its product
  for (const auto& value : priced) {
    auto n = std::stoi(value.substr(value.find('-') + 1, value.find('=') - value.find('-') - 1));
    EXPECT_EQ(value.substr(value.find('=') + 1), std::to_string(n + 97)) << value;
  }
  EXPECT_TRUE(streams->close(30s));
}

TEST_F(GlobalKTableBrokerTest, EveryInstanceHoldsTheWholeTableAndFollowsIt) {
  createTopic("products", 3);
  createTopic("orders", 2);
  createTopic("priced", 1);
  produce("products", 0, 97);
  auto first = startApp("global-two", false, nullptr, {{"application.server", "127.0.0.1:7101"}});
  auto second = startApp("global-two", false, nullptr, {{"application.server", "127.0.0.1:7102"}});
  ASSERT_TRUE(waitUntil([&] {
    return first->state() == KafkaStreams::State::kRunning && second->state() == KafkaStreams::State::kRunning;
  }));
  EXPECT_EQ(entries(*first), 97u);
  EXPECT_EQ(entries(*second), 97u);
  // Updates and tombstones reach both copies.
  produce("products", 97, 3);  // key-0..key-2 -> 97..99
  auto producer = client::makeKafkaProducer({{"bootstrap.servers", bootstrap()}});
  client::ProducerRecord tombstone;
  tombstone.topic = "products";
  tombstone.key = "key-50";
  ASSERT_TRUE((*producer)->send(tombstone).isOk());
  ASSERT_TRUE((*producer)->flush(30s).isOk());
  for (KafkaStreams* instance : {first.get(), second.get()}) {
    auto store = instance->store<string, string>("products");
    ASSERT_TRUE(store.isOk());
    EXPECT_TRUE(waitUntil([&] { return entries(*instance) == 96u && *store->get("key-2") == std::optional<string>("99"); }));
    EXPECT_EQ(*store->get("key-50"), std::nullopt);
    EXPECT_EQ(*store->get("key-3"), std::optional<string>("3"));
    // Every instance answers for a global store.
    auto metadata = instance->streamsMetadataForStore("products");
    ASSERT_TRUE(metadata.isOk()) << metadata.status().toString();
    EXPECT_EQ(metadata->size(), 2u);
  }
  auto owner = first->queryMetadataForKey("products", string("key-1"), Serdes::String());
  ASSERT_TRUE(owner.isOk());
  EXPECT_EQ(owner->active_host.toString(), "127.0.0.1:7101");
  EXPECT_TRUE(first->close(30s));
  EXPECT_TRUE(second->close(30s));
}

TEST_F(GlobalKTableBrokerTest, ARestartRestoresOnlyTheTail) {
  createTopic("products", 2);
  createTopic("orders", 1);
  createTopic("priced", 1);
  produce("products", 0, 100);
  RestoreCounter first;
  auto streams = startApp("global-restart", true, &first);
  EXPECT_EQ(first.restored, 100);
  EXPECT_TRUE(streams->close(30s));
  streams.reset();
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(state_dir_) / "global-restart" / "global" / ".checkpoint"));

  produce("products", 100, 30);
  RestoreCounter second;
  streams = startApp("global-restart", true, &second);
  EXPECT_EQ(second.restored, 30);
  EXPECT_EQ(entries(*streams), 97u);
  EXPECT_TRUE(streams->close(30s));
  streams.reset();

  // An in-memory store has nothing to resume: it reads the whole topic.
  RestoreCounter third;
  auto in_memory = startApp("global-restart", false, &third);
  EXPECT_EQ(third.restored, 130);
  EXPECT_TRUE(in_memory->close(30s));
}

TEST_F(GlobalKTableBrokerTest, ACheckpointBeyondTheTopicsEndWipesTheStore) {
  createTopic("products", 2);
  createTopic("orders", 1);
  createTopic("priced", 1);
  produce("products", 0, 100);
  startApp("global-wipe", true, nullptr)->close(30s);
  // As if the topic had been recreated: the checkpoint is past its end.
  auto checkpoint = std::filesystem::path(state_dir_) / "global-wipe" / "global" / ".checkpoint";
  ASSERT_TRUE(std::filesystem::exists(checkpoint));
  std::ofstream(checkpoint) << "0\n2\nproducts 0 1000\nproducts 1 1000\n";
  RestoreCounter listener;
  auto streams = startApp("global-wipe", true, &listener);
  EXPECT_EQ(listener.restored, 100);
  EXPECT_EQ(entries(*streams), 97u);
  EXPECT_TRUE(streams->close(30s));
}

}  // namespace
}  // namespace runnel::streams
