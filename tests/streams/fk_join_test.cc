// The foreign-key table join (KIP-213): semantics on the test driver, a random oracle,
// the wire formats, and a run on the real runtime with 2-partition topics.

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "client/kafka_client.h"
#include "driver_util.h"
#include "streams/internal/murmur3.h"
#include "streams/internal/subscription_wrapper.h"
#include "streams/kafka_streams.h"
#include "streams/key_value_store.h"
#include "streams/ktable.h"
#include "streams/serdes.h"
#include "streams/stores.h"
#include "streams/topology.h"
#include "streams/topology_test_driver.h"
#include "streams_broker_fixture.h"

namespace runnel::streams {
namespace {

using std::string;
using OptString = std::optional<string>;
using Pairs = std::vector<KeyValue<string, OptString>>;
using Table = std::map<string, string>;

// Left rows are "<foreign key>/<payload>"; an empty foreign key is none.
OptString foreignKeyOf(const string& value) {
  string key = value.substr(0, value.find('/'));
  return key.empty() ? OptString() : OptString(key);
}

string innerJoined(const string& order, const string& product) { return order + "+" + product; }
string leftJoined(const string& order, const OptString& product) { return order + "+" + product.value_or("-"); }

Produced<string, OptString> optionalStrings() {
  return Produced<string, OptString>::with(Serdes::String(), Serdes::Optional(Serdes::String()));
}

// In memory: the driver commits after every record, and RocksDB's flushes would make
// the tests slow (the subscription stores stay RocksDB).
Materialized<string, string> inMemory(const string& name) {
  return Materialized<string, string>::as(Stores::inMemoryKeyValueStore(name));
}

// orders (left, key order id) joined with products (right, key product id) on the
// order's product, inner into store and topic "inner", left into "left-join".
void buildJoins(StreamsBuilder& builder) {
  auto orders = builder.table("orders", strings(), inMemory("orders-store"));
  auto products = builder.table("products", strings(), inMemory("products-store"));
  orders.join(products, foreignKeyOf, innerJoined, inMemory("inner")).toStream().to("inner", optionalStrings());
  orders.leftJoin(products, foreignKeyOf, leftJoined, inMemory("left-join"))
      .toStream()
      .to("left-join", optionalStrings());
}

struct FkJoins {
  FkJoins() {
    buildJoins(builder);
    driver = makeDriver(builder);
  }
  void order(const string& key, OptString value) {
    driver->createInputTopic("orders", Serdes::String(), Serdes::Optional(Serdes::String())).pipeInput(key, value);
  }
  void product(const string& key, OptString value) {
    driver->createInputTopic("products", Serdes::String(), Serdes::Optional(Serdes::String())).pipeInput(key, value);
  }
  Pairs read(const string& topic) {
    return driver->createOutputTopic(topic, Serdes::String(), Serdes::Optional(Serdes::String()))
        .readKeyValuesToList();
  }
  Table stored(const string& store_name) {
    Table out;
    auto* store = driver->getStore<KeyValueStore<string, string>>(store_name);
    EXPECT_NE(store, nullptr) << store_name;
    if (store == nullptr) return out;
    for (auto it = store->all(); it.valid(); it.next()) out[it.key()] = it.value();
    return out;
  }

  StreamsBuilder builder;
  std::unique_ptr<TopologyTestDriver> driver;
};

TEST(ForeignKeyJoinTest, UpdatesOnEitherSideReachTheJoinedRows) {
  FkJoins joins;
  joins.product("p1", "apple");
  joins.order("o1", "p1/3");
  joins.order("o2", "p1/5");
  joins.order("o3", "p2/1");  // no product p2 yet
  EXPECT_EQ(joins.read("inner"), (Pairs{{"o1", "p1/3+apple"}, {"o2", "p1/5+apple"}}));
  EXPECT_EQ(joins.read("left-join"), (Pairs{{"o1", "p1/3+apple"}, {"o2", "p1/5+apple"}, {"o3", "p2/1+-"}}));
  joins.product("p1", "apricot");  // every subscriber of p1 hears it
  joins.product("p2", "banana");
  joins.order("o1", "p1/4");  // same foreign key, new value
  EXPECT_EQ(joins.read("inner"),
            (Pairs{{"o1", "p1/3+apricot"}, {"o2", "p1/5+apricot"}, {"o3", "p2/1+banana"}, {"o1", "p1/4+apricot"}}));
  EXPECT_EQ(joins.read("left-join"),
            (Pairs{{"o1", "p1/3+apricot"}, {"o2", "p1/5+apricot"}, {"o3", "p2/1+banana"}, {"o1", "p1/4+apricot"}}));
  EXPECT_EQ(joins.stored("inner"), (Table{{"o1", "p1/4+apricot"}, {"o2", "p1/5+apricot"}, {"o3", "p2/1+banana"}}));
}

TEST(ForeignKeyJoinTest, ChangingTheForeignKeyUnsubscribesTheOldOne) {
  FkJoins joins;
  joins.product("p1", "apple");
  joins.product("p2", "banana");
  joins.order("o1", "p1/3");
  joins.order("o1", "p2/3");
  joins.product("p1", "apricot");  // o1 no longer listens to p1
  joins.order("o1", "p9/3");       // a key without a product
  joins.product("p2", "blueberry");
  EXPECT_EQ(joins.read("inner"), (Pairs{{"o1", "p1/3+apple"}, {"o1", "p2/3+banana"}, {"o1", std::nullopt}}));
  EXPECT_EQ(joins.read("left-join"), (Pairs{{"o1", "p1/3+apple"}, {"o1", "p2/3+banana"}, {"o1", "p9/3+-"}}));
  joins.product("p9", "fig");
  EXPECT_EQ(joins.read("inner"), (Pairs{{"o1", "p9/3+fig"}}));
  EXPECT_EQ(joins.read("left-join"), (Pairs{{"o1", "p9/3+fig"}}));
}

TEST(ForeignKeyJoinTest, DeletingALeftRowDeletesItsJoinedRow) {
  FkJoins joins;
  joins.product("p1", "apple");
  joins.order("o1", "p1/3");
  joins.order("o2", "p2/1");
  joins.order("o1", std::nullopt);
  joins.order("o2", std::nullopt);
  joins.order("o3", std::nullopt);  // never there: nothing at all
  joins.product("p1", "apricot");    // nobody listens any more
  // The inner join cannot know whether o2 joined, so it deletes o2's result too; the
  // result's (cached) store drops that delete of a row it never had, as Kafka's does.
  EXPECT_EQ(joins.read("inner"), (Pairs{{"o1", "p1/3+apple"}, {"o1", std::nullopt}}));
  EXPECT_EQ(joins.read("left-join"),
            (Pairs{{"o1", "p1/3+apple"}, {"o2", "p2/1+-"}, {"o1", std::nullopt}, {"o2", std::nullopt}}));
  EXPECT_EQ(joins.stored("inner"), Table{});
  EXPECT_EQ(joins.stored("left-join"), Table{});
}

TEST(ForeignKeyJoinTest, DeletingARightRowDeletesOrNullsItsJoinedRows) {
  FkJoins joins;
  joins.product("p1", "apple");
  joins.order("o1", "p1/3");
  joins.order("o2", "p1/5");
  joins.read("inner");
  joins.read("left-join");
  joins.product("p1", std::nullopt);
  EXPECT_EQ(joins.read("inner"), (Pairs{{"o1", std::nullopt}, {"o2", std::nullopt}}));
  EXPECT_EQ(joins.read("left-join"), (Pairs{{"o1", "p1/3+-"}, {"o2", "p1/5+-"}}));
  joins.product("p1", "apple");  // the subscriptions stayed
  EXPECT_EQ(joins.read("inner"), (Pairs{{"o1", "p1/3+apple"}, {"o2", "p1/5+apple"}}));
}

TEST(ForeignKeyJoinTest, ANullForeignKeyMatchesNothing) {
  FkJoins joins;
  joins.product("p1", "apple");
  joins.order("o1", "p1/3");
  joins.order("o1", "/3");  // the row loses its foreign key
  joins.order("o2", "/7");  // a new row without one
  joins.product("p1", "apricot");
  EXPECT_EQ(joins.read("inner"), (Pairs{{"o1", "p1/3+apple"}, {"o1", std::nullopt}}));
  EXPECT_EQ(joins.read("left-join"), (Pairs{{"o1", "p1/3+apple"}, {"o1", "/3+-"}, {"o2", "/7+-"}}));
  joins.order("o2", "p1/7");
  EXPECT_EQ(joins.read("inner"), (Pairs{{"o2", "p1/7+apricot"}}));
}

// A response that answers an older value of the left row (its hash is another value's)
// is dropped; the same response with the current value's hash is joined.
TEST(ForeignKeyJoinTest, AResponseToAStaleLeftValueIsDropped) {
  StreamsBuilder builder;
  auto orders = builder.table("orders", strings());
  auto products = builder.table("products", strings());
  orders.join(products, foreignKeyOf, innerJoined, Materialized<string, string>::as("inner"))
      .toStream()
      .to("inner", optionalStrings());
  auto driver = makeDriver(builder, {{"application.id", "app"}});
  driver->createInputTopic("orders", Serdes::String(), Serdes::String()).pipeInput("o1", "p1/3");
  SerdePtr<internal::SubscriptionResponseWrapper<string>> responses =
      std::make_shared<internal::SubscriptionResponseWrapperSerde<string>>(Serdes::String());
  auto respond = [&](const string& left_value) {
    internal::SubscriptionResponseWrapper<string> response{internal::murmur3Hash128(left_value), "cherry"};
    driver->createInputTopic("app-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic", Serdes::String(), responses)
        .pipeInput("o1", response);
  };
  auto out = driver->createOutputTopic("inner", Serdes::String(), Serdes::Optional(Serdes::String()));
  respond("p1/2");
  EXPECT_TRUE(out.readKeyValuesToList().empty());
  respond("p1/3");
  EXPECT_EQ(out.readKeyValuesToList(), (Pairs{{"o1", "p1/3+cherry"}}));
}

// Employees joined with their managers in the same table: one sub-topology holds both
// sides, and a manager's change reaches the rows that point at it.
TEST(ForeignKeyJoinTest, ATableJoinsItself) {
  StreamsBuilder builder;
  auto employees = builder.table("employees", strings(), inMemory("employees"));
  employees.join(employees, foreignKeyOf, innerJoined).toStream().to("with-managers", optionalStrings());
  auto driver = makeDriver(builder);
  auto in = driver->createInputTopic("employees", Serdes::String(), Serdes::Optional(Serdes::String()));
  in.pipeInput("e1", OptString("/ann"));
  in.pipeInput("e2", OptString("e1/bob"));
  in.pipeInput("e3", OptString("e2/cy"));
  in.pipeInput("e1", OptString("/anna"));
  in.pipeInput("e2", std::nullopt);
  Pairs out = driver->createOutputTopic("with-managers", Serdes::String(), Serdes::Optional(Serdes::String()))
                  .readKeyValuesToList();
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(Pairs(out.begin(), out.begin() + 3),
            (Pairs{{"e2", "e1/bob+/ann"}, {"e3", "e2/cy+e1/bob"}, {"e2", "e1/bob+/anna"}}));
  // Deleting e2 deletes its own row and that of e3, its report, in either order.
  std::map<string, OptString> deleted{{out[3].key, out[3].value}, {out[4].key, out[4].value}};
  EXPECT_EQ(deleted, (std::map<string, OptString>{{"e2", std::nullopt}, {"e3", std::nullopt}}));
}

TEST(ForeignKeyJoinTest, NamesTopicsAndSubTopologiesAsKafka) {
  StreamsBuilder builder;
  auto orders = builder.table("orders", strings());
  auto products = builder.table("products", strings());
  auto joined = orders.join(products, foreignKeyOf, innerJoined);
  EXPECT_EQ(joined.nodeName(), "KTABLE-FK-JOIN-OUTPUT-0000000018");
  EXPECT_EQ(joined.queryableStoreName(), "KTABLE-FK-JOIN-OUTPUT-STATE-STORE-0000000019");
  orders.leftJoin(products, foreignKeyOf, leftJoined, Named::as("named"));
  auto topology = builder.build();
  ASSERT_TRUE(topology.isOk()) << topology.status().toString();
  string description = topology->describe();
  for (const char* expected : {
           "Processor: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007 (stores: [])",
           "Sink: KTABLE-SINK-0000000008 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic)",
           "Source: KTABLE-SOURCE-0000000009 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic])",
           "Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011 "
           "(stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])",
           "Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012 (stores: [products-STATE-STORE-0000000003])",
           "Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013 "
           "(stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])",
           "Sink: KTABLE-SINK-0000000015 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic)",
           "<-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012, KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013",
           "Source: KTABLE-SOURCE-0000000016 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic])",
           "Processor: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017 "
           "(stores: [orders-STATE-STORE-0000000000])",
           "Processor: KTABLE-FK-JOIN-OUTPUT-0000000018 (stores: [KTABLE-FK-JOIN-OUTPUT-STATE-STORE-0000000019])",
           "Processor: named-subscription-registration-processor (stores: [])",
           "Sink: named-subscription-registration-sink (topic: named-subscription-registration-topic)",
           "Processor: named-subscription-receive (stores: [named-subscription-store])",
           "Processor: named-subscription-join-foreign (stores: [products-STATE-STORE-0000000003])",
           "Processor: named-foreign-join-subscription (stores: [named-subscription-store])",
           "Sink: named-subscription-response-sink (topic: named-subscription-response-topic)",
           "Processor: named-subscription-response-resolver (stores: [orders-STATE-STORE-0000000000])",
           "Processor: named-result (stores: [KTABLE-FK-JOIN-OUTPUT-STATE-STORE-0000000020])",
       }) {
    EXPECT_NE(description.find(expected), string::npos) << expected << "\n" << description;
  }
  // Two sub-topologies: each table with its side of both joins.
  EXPECT_NE(description.find("Sub-topology: 1"), string::npos) << description;
  EXPECT_EQ(description.find("Sub-topology: 2"), string::npos) << description;
}

TEST(ForeignKeyJoinTest, UnmaterializedTableIsABuildError) {
  StreamsBuilder builder;
  auto orders = builder.table("orders", strings()).filter([](const string&, const string&) { return true; });
  auto products = builder.table("products", strings());
  orders.join(products, foreignKeyOf, innerJoined);
  auto topology = builder.build();
  ASSERT_FALSE(topology.isOk());
  EXPECT_NE(topology.status().message().find("is not materialized"), string::npos) << topology.status().toString();
}

// Random updates and deletes of both tables, with foreign keys that change, go missing
// and point at absent products: after every input the result stores hold the joins of
// the tables as they stand, recomputed from scratch, and the input's outputs end with
// the new value of every joined row it changed.
TEST(ForeignKeyJoinTest, JoinsMatchARecomputationOnRandomInput) {
  FkJoins joins;
  Table orders;
  Table products;
  auto recompute = [&](bool left) {
    Table out;
    for (const auto& [key, value] : orders) {
      OptString foreign_key = foreignKeyOf(value);
      auto product = foreign_key ? products.find(*foreign_key) : products.end();
      OptString product_value = product == products.end() ? OptString() : OptString(product->second);
      if (left) {
        out[key] = leftJoined(value, product_value);
      } else if (product_value) {
        out[key] = innerJoined(value, *product_value);
      }
    }
    return out;
  };
  std::map<string, Table> before{{"inner", {}}, {"left-join", {}}};
  std::mt19937 random(213);
  const std::vector<string> foreign_keys{"", "p0", "p1", "p2", "p3", "p9"};
  for (int step = 0; step < 500; ++step) {
    bool on_left = random() % 2 == 0;
    OptString value;
    string key;
    if (on_left) {
      key = "o" + std::to_string(random() % 10);
      if (random() % 5 != 0) value = foreign_keys[random() % foreign_keys.size()] + "/" + std::to_string(random() % 3);
      joins.order(key, value);
    } else {
      key = "p" + std::to_string(random() % 4);
      if (random() % 4 != 0) value = string(1, static_cast<char>('a' + random() % 4));
      joins.product(key, value);
    }
    Table& table = on_left ? orders : products;
    if (value) {
      table[key] = *value;
    } else {
      table.erase(key);
    }
    for (const string kind : {"inner", "left-join"}) {
      Table after = recompute(kind == "left-join");
      std::map<string, OptString> last_output;
      for (auto& [out_key, out_value] : joins.read(kind)) last_output[out_key] = out_value;
      std::set<string> changed;
      for (const auto& [k, v] : after) {
        if (!before[kind].contains(k) || before[kind][k] != v) changed.insert(k);
      }
      for (const auto& [k, v] : before[kind]) {
        if (!after.contains(k)) changed.insert(k);
      }
      for (const string& k : changed) EXPECT_TRUE(last_output.contains(k)) << kind << " step " << step << " " << k;
      for (const auto& [k, v] : last_output) {
        OptString expected = after.contains(k) ? OptString(after[k]) : OptString();
        EXPECT_EQ(v, expected) << kind << " step " << step << " " << k;
      }
      EXPECT_EQ(joins.stored(kind), after) << kind << " step " << step;
      before[kind] = std::move(after);
    }
    if (HasFailure()) break;
  }
}

TEST(ForeignKeyJoinWireTest, Murmur3MatchesTheReference) {
  // MurmurHash3_x64_128 of "hello" with seed 0, as the reference implementation (and
  // Python's mmh3.hash128) gives it.
  EXPECT_EQ(internal::murmur3Hash128("hello", 0),
            (std::array<uint64_t, 2>{0xcbd8a7b341bd9b02ULL, 0x5b1e906a48ae1d19ULL}));
  EXPECT_EQ(internal::murmur3Hash128("", 0), (std::array<uint64_t, 2>{0, 0}));
  EXPECT_NE(internal::murmur3Hash128("p1/3"), internal::murmur3Hash128("p1/4"));
}

TEST(ForeignKeyJoinWireTest, WrappersRoundTripInFewBytes) {
  using internal::SubscriptionInstruction;
  internal::SubscriptionWrapperSerde<string> subscriptions(Serdes::String());
  internal::SubscriptionWrapper<string> subscription{internal::murmur3Hash128("v"),
                                                     SubscriptionInstruction::kPropagateOnlyIfFkValAvailable, "o1"};
  string bytes;
  ASSERT_TRUE(subscriptions.serialize("t", subscription, bytes));
  EXPECT_EQ(bytes.size(), 1u + 1u + 16u + 2u);
  internal::SubscriptionWrapper<string> read;
  ASSERT_TRUE(subscriptions.deserialize("t", bytes, read).isOk());
  EXPECT_EQ(read.hash, subscription.hash);
  EXPECT_EQ(read.instruction, subscription.instruction);
  EXPECT_EQ(read.primary_key, "o1");
  bytes.clear();
  ASSERT_TRUE(subscriptions.serialize("t", {std::nullopt, SubscriptionInstruction::kDeleteKeyAndPropagate, "o2"}, bytes));
  EXPECT_EQ(bytes.size(), 1u + 1u + 2u);
  ASSERT_TRUE(subscriptions.deserialize("t", bytes, read).isOk());
  EXPECT_EQ(read.hash, std::nullopt);
  EXPECT_EQ(read.primary_key, "o2");
  bytes[0] = 5;  // an unknown version
  EXPECT_FALSE(subscriptions.deserialize("t", bytes, read).isOk());

  internal::SubscriptionResponseWrapperSerde<string> responses(Serdes::String());
  internal::SubscriptionResponseWrapper<string> response;
  bytes.clear();
  ASSERT_TRUE(responses.serialize("t", {internal::murmur3Hash128("v"), ""}, bytes));
  ASSERT_TRUE(responses.deserialize("t", bytes, response).isOk());
  EXPECT_EQ(response.foreign_value, OptString(""));  // an empty value is not null
  bytes.clear();
  ASSERT_TRUE(responses.serialize("t", {std::nullopt, std::nullopt}, bytes));
  EXPECT_EQ(bytes.size(), 1u);
  ASSERT_TRUE(responses.deserialize("t", bytes, response).isOk());
  EXPECT_EQ(response.hash, std::nullopt);
  EXPECT_EQ(response.foreign_value, std::nullopt);
}

// On the runtime, with both tables on 2 partitions: the registration topic takes the
// products' partition count, the response topic the orders', and the result topic
// ends with the join of the final tables.
TEST_F(StreamsBrokerTest, ForeignKeyJoinOnTwoPartitions) {
  createTopic("orders", 2);
  createTopic("products", 2);
  createTopic("joined", 2);
  StreamsBuilder builder;
  auto orders = builder.table("orders", strings());
  auto products = builder.table("products", strings());
  orders.join(products, foreignKeyOf, innerJoined).toStream().to("joined", optionalStrings());
  auto topology = builder.build();
  ASSERT_TRUE(topology.isOk()) << topology.status().toString();
  auto streams = KafkaStreams::create(*topology, appConfig("fk-app"));
  ASSERT_TRUE(streams.isOk()) << streams.status().toString();
  ASSERT_TRUE((*streams)->start().isOk());

  Table order_rows;
  Table product_rows;
  auto producer = client::makeKafkaProducer({{"bootstrap.servers", bootstrap()}, {"linger.ms", "5"}});
  ASSERT_TRUE(producer.isOk());
  auto send = [&](const string& topic, const string& key, OptString value) {
    Table& rows = topic == "orders" ? order_rows : product_rows;
    if (value) {
      rows[key] = *value;
    } else {
      rows.erase(key);
    }
    client::ProducerRecord record{topic, client::ProducerRecord::kAnyPartition, key, value, {}, 0};
    ASSERT_TRUE((*producer)->send(record).isOk());
  };
  std::mt19937 random(42);
  for (int i = 0; i < 20; ++i) send("products", "p" + std::to_string(i), "name" + std::to_string(i));
  for (int i = 0; i < 300; ++i) {
    string key = "o" + std::to_string(random() % 60);
    if (random() % 6 == 0) {
      send("orders", key, std::nullopt);
    } else {
      send("orders", key, "p" + std::to_string(random() % 25) + "/" + std::to_string(i));
    }
    if (i % 10 == 0) {
      string product = "p" + std::to_string(random() % 25);
      send("products", product, random() % 4 == 0 ? OptString() : OptString("new" + std::to_string(i)));
    }
  }
  ASSERT_TRUE((*producer)->flush(30s).isOk());
  Table expected;
  for (const auto& [key, value] : order_rows) {
    auto product = product_rows.find(*foreignKeyOf(value));
    if (product != product_rows.end()) expected[key] = innerJoined(value, product->second);
  }

  auto consumer = client::makeKafkaConsumer({{"bootstrap.servers", bootstrap()}});
  ASSERT_TRUE(consumer.isOk());
  ASSERT_TRUE((*consumer)
                  ->assign({{"joined", 0, client::kOffsetBeginning}, {"joined", 1, client::kOffsetBeginning}})
                  .isOk());
  Table result;
  bool matched = waitUntil(
      [&] {
        (void)(*consumer)->pollBatch(200ms, 1000, [&](const client::MessageView& m) {
          string key(m.key.value_or(""));
          if (m.value) {
            result[key] = string(*m.value);
          } else {
            result.erase(key);
          }
        });
        return result == expected;
      },
      60s);
  EXPECT_TRUE(matched) << "got " << result.size() << " rows, expected " << expected.size();

  auto admin = client::makeKafkaAdmin({{"bootstrap.servers", bootstrap()}});
  ASSERT_TRUE(admin.isOk());
  auto metadata = (*admin)->metadata(std::nullopt);
  ASSERT_TRUE(metadata.isOk());
  std::set<string> internal_topics;
  for (const auto& topic : metadata->topics) {
    if (!topic.name.ends_with("-topic")) continue;
    internal_topics.insert(topic.name);
    EXPECT_EQ(topic.partitions.size(), 2u) << topic.name;
  }
  EXPECT_EQ(internal_topics, (std::set<string>{"fk-app-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic",
                                               "fk-app-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic"}));
  EXPECT_TRUE((*streams)->close(30s));
}

// The registration topic is read beside the products, the response topic beside the
// orders: each takes the partition count of the table its reader joins.
TEST_F(StreamsBrokerTest, ForeignKeyJoinTopicsTakeTheirSidesPartitionCounts) {
  createTopic("orders", 2);
  createTopic("products", 3);
  StreamsBuilder builder;
  auto orders = builder.table("orders", strings());
  orders.join(builder.table("products", strings()), foreignKeyOf, innerJoined, Named::as("fk"));
  auto streams = KafkaStreams::create(*builder.build(), appConfig("fk-counts"));
  ASSERT_TRUE(streams.isOk()) << streams.status().toString();
  ASSERT_TRUE((*streams)->start().isOk());
  auto admin = client::makeKafkaAdmin({{"bootstrap.servers", bootstrap()}});
  ASSERT_TRUE(admin.isOk());
  auto metadata = (*admin)->metadata(std::vector<string>{"fk-counts-fk-subscription-registration-topic",
                                                         "fk-counts-fk-subscription-response-topic"});
  ASSERT_TRUE(metadata.isOk()) << metadata.status().toString();
  ASSERT_EQ(metadata->topics.size(), 2u);
  for (const auto& topic : metadata->topics) {
    EXPECT_EQ(topic.partitions.size(), topic.name.ends_with("registration-topic") ? 3u : 2u) << topic.name;
  }
  EXPECT_TRUE((*streams)->close(30s));
}

}  // namespace
}  // namespace runnel::streams
