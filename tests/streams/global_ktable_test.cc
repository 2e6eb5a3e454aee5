// GlobalKTable on the test driver: a full copy of its topic in a store, joined by
// streams on a key they compute.

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "driver_util.h"
#include "streams/key_value_store.h"
#include "streams/serdes.h"
#include "streams/stores.h"
#include "streams/topology.h"
#include "streams/topology_test_driver.h"

namespace runnel::streams {
namespace {

using std::string;
using OptString = std::optional<string>;
using Pairs = std::vector<KeyValue<string, string>>;

// Orders "<product id>:<quantity>" keyed by order id; products id -> name.
string productOf(const string&, const string& order) { return order.substr(0, order.find(':')); }

TEST(GlobalKTableTest, HoldsTheLatestValuePerKeyAndTombstonesDelete) {
  StreamsBuilder builder;
  // No serdes given: the configured defaults.
  auto products = builder.globalTable<string, string>("products", {}, Materialized<string, string>::as("products"));
  EXPECT_EQ(products.queryableStoreName(), "products");
  auto driver = makeDriver(builder);
  auto in = driver->createInputTopic("products", Serdes::String(), Serdes::Optional(Serdes::String()));
  in.pipeInput("1", OptString("Super Smash Bros"));
  in.pipeInput("6", OptString("Mario Kart"));
  in.pipeInput("1", OptString("Super Smash Bros Ultimate"));
  in.pipeInput("6", std::nullopt);
  auto* store = driver->getStore<KeyValueStore<string, string>>("products");
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->get("1"), OptString("Super Smash Bros Ultimate"));
  EXPECT_EQ(*store->get("6"), std::nullopt);
  size_t entries = 0;
  for (auto it = store->all(); it.valid(); it.next()) ++entries;
  EXPECT_EQ(entries, 1u);
  // The topic is the changelog: nothing is written.
  EXPECT_TRUE(driver->producedTopicNames().empty());
}

TEST(GlobalKTableTest, InnerJoinLooksUpTheMappedKeyWithoutRepartitioning) {
  StreamsBuilder builder;
  auto products = builder.globalTable("products", strings());
  builder.stream("orders", strings())
      .selectKey([](const string& key, const string&) { return "order-" + key; })  // no repartition follows
      .join(products, productOf, [](const string& order, const string& name) { return name + " x" + order.substr(order.find(':') + 1); })
      .to("enriched");
  auto driver = makeDriver(builder);
  auto product_in = driver->createInputTopic("products", Serdes::String(), Serdes::Optional(Serdes::String()));
  auto orders = driver->createInputTopic("orders", Serdes::String(), Serdes::String());
  auto out = driver->createOutputTopic("enriched", Serdes::String(), Serdes::String());
  product_in.pipeInput("1", OptString("Super Smash Bros"));
  product_in.pipeInput("6", OptString("Mario Kart"));
  orders.pipeInput("a", "1:2");
  orders.pipeInput("b", "9:1");  // no such product: dropped
  orders.pipeInput("c", "6:3");
  // Table updates emit nothing; later orders see them.
  product_in.pipeInput("6", std::nullopt);
  product_in.pipeInput("9", OptString("Zelda"));
  orders.pipeInput("d", "6:1");
  orders.pipeInput("e", "9:4");
  EXPECT_EQ(out.readKeyValuesToList(),
            (Pairs{{"order-a", "Super Smash Bros x2"}, {"order-c", "Mario Kart x3"}, {"order-e", "Zelda x4"}}));
  EXPECT_EQ(driver->producedTopicNames(), (std::vector<string>{"enriched"}));
}

TEST(GlobalKTableTest, LeftJoinPassesNulloptForMissingAndNullMappedKeys) {
  StreamsBuilder builder;
  // Keys that may be null, so that the key mapper can return one.
  auto products = builder.globalTable(
      "products", Consumed<OptString, string>::with(Serdes::Optional(Serdes::String()), Serdes::String()));
  auto mapper = [](const string&, const string& order) -> OptString {
    if (order.empty()) return std::nullopt;
    return order;
  };
  builder.stream("orders", strings())
      .leftJoin(products, mapper,
                [](const string& id, const string& order, const OptString& name) {
                  return id + ":" + order + ":" + name.value_or("unknown");
                })
      .to("enriched");
  builder.stream("orders-inner", strings())
      .join(products, mapper, [](const string& order, const string& name) { return order + ":" + name; })
      .to("enriched-inner");
  auto driver = makeDriver(builder);
  auto product_in = driver->createInputTopic("products", Serdes::Optional(Serdes::String()), Serdes::String());
  product_in.pipeInput(OptString("1"), "Super Smash Bros");
  auto orders = driver->createInputTopic("orders", Serdes::String(), Serdes::String());
  orders.pipeInput("a", "1");
  orders.pipeInput("b", "2");
  orders.pipeInput("c", "");  // a null mapped key
  auto inner = driver->createInputTopic("orders-inner", Serdes::String(), Serdes::String());
  inner.pipeInput("a", "1");
  inner.pipeInput("b", "2");
  inner.pipeInput("c", "");
  EXPECT_EQ(driver->createOutputTopic("enriched", Serdes::String(), Serdes::String()).readValuesToList(),
            (std::vector<string>{"a:1:Super Smash Bros", "b:2:unknown", "c::unknown"}));
  EXPECT_EQ(driver->createOutputTopic("enriched-inner", Serdes::String(), Serdes::String()).readValuesToList(),
            (std::vector<string>{"1:Super Smash Bros"}));
}

// Random table updates and tombstones interleaved with stream records, joined with the
// table as a KTable (on the record's key) and as a GlobalKTable (on a key taken from the
// value), inner and left, against a map that replays the table.
TEST(GlobalKTableTest, StreamJoinsMatchAReplayOfTheTableOnRandomInput) {
  StreamsBuilder builder;
  auto table = builder.table("rows", strings(), Materialized<string, string>::as(Stores::inMemoryKeyValueStore("rows")));
  auto global = builder.globalTable("global-rows", strings(),
                                    Materialized<string, string>::as(Stores::inMemoryKeyValueStore("global-rows")));
  auto stream = builder.stream("events", strings());
  auto joined = [](const string& event, const string& row) { return event + "+" + row; };
  auto left_joined = [](const string& event, const OptString& row) { return event + "+" + row.value_or("-"); };
  auto key_in_value = [](const string&, const string& event) { return event.substr(0, event.find('/')); };
  stream.join(table, joined).to("table-inner");
  stream.leftJoin(table, left_joined).to("table-left");
  stream.join(global, key_in_value, joined).to("global-inner");
  stream.leftJoin(global, key_in_value, left_joined).to("global-left");
  auto driver = makeDriver(builder);
  auto rows = driver->createInputTopic("rows", Serdes::String(), Serdes::Optional(Serdes::String()));
  auto global_rows = driver->createInputTopic("global-rows", Serdes::String(), Serdes::Optional(Serdes::String()));
  auto events = driver->createInputTopic("events", Serdes::String(), Serdes::String());

  std::mt19937 random(42);
  std::map<string, string> replay;
  Pairs table_inner, table_left, global_inner, global_left;
  for (int step = 0; step < 2000; ++step) {
    string key = "k" + std::to_string(random() % 20);
    if (random() % 3 == 0) {
      OptString row;
      if (random() % 4 != 0) row = "r" + std::to_string(step);
      rows.pipeInput(key, row);
      global_rows.pipeInput(key, row);
      if (row) replay[key] = *row;
      else replay.erase(key);
      continue;
    }
    string other = "k" + std::to_string(random() % 20);
    string event = other + "/e" + std::to_string(step);
    events.pipeInput(key, event);
    auto row_of = [&](const string& k) -> OptString {
      auto it = replay.find(k);
      return it == replay.end() ? OptString() : OptString(it->second);
    };
    if (auto row = row_of(key)) table_inner.push_back({key, joined(event, *row)});
    table_left.push_back({key, left_joined(event, row_of(key))});
    if (auto row = row_of(other)) global_inner.push_back({key, joined(event, *row)});
    global_left.push_back({key, left_joined(event, row_of(other))});
  }
  auto read = [&](const string& topic) {
    return driver->createOutputTopic(topic, Serdes::String(), Serdes::String()).readKeyValuesToList();
  };
  EXPECT_EQ(read("table-inner"), table_inner);
  EXPECT_EQ(read("table-left"), table_left);
  EXPECT_EQ(read("global-inner"), global_inner);
  EXPECT_EQ(read("global-left"), global_left);
}

TEST(GlobalKTableTest, RecordsWrittenToTheGlobalTopicUpdateTheStore) {
  StreamsBuilder builder;
  builder.stream("product-feed", strings()).to("products");
  auto products = builder.globalTable("products", strings());
  builder.stream("orders", strings()).join(products, productOf, [](const string&, const string& name) { return name; }).to("enriched");
  auto driver = makeDriver(builder);
  driver->createInputTopic("product-feed", Serdes::String(), Serdes::String()).pipeInput("1", "Super Smash Bros");
  driver->createInputTopic("orders", Serdes::String(), Serdes::String()).pipeInput("a", "1:1");
  EXPECT_EQ(driver->createOutputTopic("enriched", Serdes::String(), Serdes::String()).readValuesToList(),
            (std::vector<string>{"Super Smash Bros"}));
}

TEST(GlobalKTableTest, DescribesTheGlobalStoreAsKafkaDoes) {
  StreamsBuilder builder;
  auto products = builder.globalTable("products", strings());
  builder.stream("orders", strings())
      .join(products, productOf, [](const string& order, const string& name) { return name + order; })
      .to("enriched");
  builder.stream("returns", strings())
      .leftJoin(products, productOf, [](const string& order, const OptString& name) { return order + name.value_or(""); })
      .to("returned");
  auto topology = builder.build();
  ASSERT_TRUE(topology.isOk());
  EXPECT_EQ(topology->describe(),
            "Topologies:\n"
            "   Sub-topology: 0 for global store (will not generate tasks)\n"
            "    Source: KSTREAM-SOURCE-0000000001 (topics: [products])\n"
            "      --> KTABLE-SOURCE-0000000002\n"
            "    Processor: KTABLE-SOURCE-0000000002 (stores: [products-STATE-STORE-0000000000])\n"
            "      --> none\n"
            "      <-- KSTREAM-SOURCE-0000000001\n"
            "   Sub-topology: 1\n"
            "    Source: KSTREAM-SOURCE-0000000003 (topics: [orders])\n"
            "      --> KSTREAM-JOIN-0000000004\n"
            "    Processor: KSTREAM-JOIN-0000000004 (stores: [])\n"
            "      --> KSTREAM-SINK-0000000005\n"
            "      <-- KSTREAM-SOURCE-0000000003\n"
            "    Sink: KSTREAM-SINK-0000000005 (topic: enriched)\n"
            "      <-- KSTREAM-JOIN-0000000004\n"
            "\n"
            "   Sub-topology: 2\n"
            "    Source: KSTREAM-SOURCE-0000000006 (topics: [returns])\n"
            "      --> KSTREAM-LEFTJOIN-0000000007\n"
            "    Processor: KSTREAM-LEFTJOIN-0000000007 (stores: [])\n"
            "      --> KSTREAM-SINK-0000000008\n"
            "      <-- KSTREAM-SOURCE-0000000006\n"
            "    Sink: KSTREAM-SINK-0000000008 (topic: returned)\n"
            "      <-- KSTREAM-LEFTJOIN-0000000007\n"
            "\n");
  // Both joins read the global store without sharing a task: no co-partitioning.
  auto built = topology->buildFor("app");
  ASSERT_TRUE(built.isOk());
  ASSERT_EQ(built->global_stores.size(), 1u);
  EXPECT_EQ(built->global_stores[0].topic, "products");
  ASSERT_EQ(built->sub_topologies.size(), 2u);
  EXPECT_FALSE(built->sub_topologies[0].copartitioned);
  EXPECT_EQ(built->sub_topologies[0].id, 1);
}

TEST(GlobalKTableTest, AGlobalStoreCannotBeConnectedToAProcessor) {
  StreamsBuilder builder;
  auto products = builder.globalTable("products", strings(), Materialized<string, string>::as("products-store"));
  builder.stream("orders", strings()).process(
      [] { return std::unique_ptr<Processor<string, string, string, string>>(); }, {"products-store"});
  auto topology = builder.build();
  ASSERT_FALSE(topology.isOk());
  EXPECT_NE(topology.status().message().find("Global StateStore products-store"), string::npos)
      << topology.status().toString();
}

}  // namespace
}  // namespace runnel::streams
