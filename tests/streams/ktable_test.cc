#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "driver_util.h"
#include "streams/key_value_store.h"
#include "streams/serdes.h"
#include "streams/topology.h"
#include "streams/topology_test_driver.h"

namespace runnel::streams {
namespace {

using std::string;
using OptLong = std::optional<int64_t>;
using OptString = std::optional<string>;
using CountStore = KeyValueStore<string, int64_t>;

// A count per region of the users in the table "regions" (user -> region), its changes
// written to "out" and read back.
struct RegionCounts {
  explicit RegionCounts(StreamsBuilder& builder, const KTable<string, int64_t>& counts) {
    counts.toStream().to("out", Produced<string, OptLong>::with(Serdes::String(), Serdes::Optional(Serdes::Long())));
    driver = makeDriver(builder);
  }
  void move(const string& user, OptString region) { in().pipeInput(user, region); }
  std::vector<KeyValue<string, OptLong>> changes() {
    return driver->createOutputTopic("out", Serdes::String(), Serdes::Optional(Serdes::Long())).readKeyValuesToList();
  }
  OptLong stored(const string& store, const string& region) { return driver->getStore<CountStore>(store)->get(region).value(); }

  std::unique_ptr<TopologyTestDriver> driver;

 private:
  TestInputTopic<string, OptString> in() {
    return driver->createInputTopic("regions", Serdes::String(), Serdes::Optional(Serdes::String()));
  }
};

KGroupedTable<string, string> usersByRegion(StreamsBuilder& builder) {
  return builder.table("regions", strings()).groupBy([](const string& user, const string& region) {
    return KeyValue<string, string>{region, user};
  });
}

TEST(KTableTest, TableKeepsTheLatestValueAndDeletesOnTombstones) {
  StreamsBuilder builder;
  builder.table("in", strings(), Materialized<string, string>::as("latest")).toStream().to("out");
  auto driver = makeDriver(builder);
  auto in = driver->createInputTopic("in", Serdes::String(), Serdes::Optional(Serdes::String()));
  auto out = driver->createOutputTopic("out", Serdes::String(), Serdes::Optional(Serdes::String()));
  in.pipeInput("a", OptString("1"));
  in.pipeInput("b", OptString("2"));
  in.pipeInput("a", OptString("3"));
  in.pipeInput("b", std::nullopt);
  EXPECT_EQ(out.readKeyValuesToList(), (std::vector<KeyValue<string, OptString>>{
                                           {"a", "1"}, {"b", "2"}, {"a", "3"}, {"b", std::nullopt}}));
  auto* store = driver->getStore<KeyValueStore<string, string>>("latest");
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->get("a").value(), OptString("3"));
  EXPECT_EQ(store->get("b").value(), std::nullopt);
}

TEST(KTableTest, FilterTurnsFilteredOutValuesIntoTombstones) {
  StreamsBuilder builder;
  builder.table("in", strings())
      .filter([](const string&, const string& v) { return v.size() > 1; })
      .mapValues([](const string& v) { return static_cast<int64_t>(v.size()); })
      .toStream()
      .to("out", Produced<string, OptLong>::with(Serdes::String(), Serdes::Optional(Serdes::Long())));
  auto driver = makeDriver(builder);
  auto in = driver->createInputTopic("in", Serdes::String(), Serdes::String());
  auto out = driver->createOutputTopic("out", Serdes::String(), Serdes::Optional(Serdes::Long()));
  in.pipeInput("a", "long");
  in.pipeInput("a", "x");
  in.pipeInput("b", "y");
  EXPECT_EQ(out.readKeyValuesToList(),
            (std::vector<KeyValue<string, OptLong>>{{"a", 4}, {"a", std::nullopt}, {"b", std::nullopt}}));
}

// Kafka's KTableFilter sends old values when its parent has them without materializing
// anything (an aggregation, a named store): a key filtered out before and after the
// update is not forwarded; a key that passed before gets its tombstone.
TEST(KTableTest, FilterOfAnAggregationForwardsNoTombstoneForKeysItNeverHeld) {
  StreamsBuilder builder;
  builder.stream("in", strings())
      .groupByKey()
      .count()
      .filter([](const string&, int64_t count) { return count == 2; })
      .mapValues([](int64_t count) { return count * 10; })
      .toStream()
      .to("out", Produced<string, OptLong>::with(Serdes::String(), Serdes::Optional(Serdes::Long())));
  auto driver = makeDriver(builder);
  auto in = driver->createInputTopic("in", Serdes::String(), Serdes::String());
  auto out = driver->createOutputTopic("out", Serdes::String(), Serdes::Optional(Serdes::Long()));
  for (const char* key : {"a", "b", "a", "a"}) in.pipeInput(key, "x");
  EXPECT_EQ(out.readKeyValuesToList(), (std::vector<KeyValue<string, OptLong>>{{"a", 20}, {"a", std::nullopt}}));
}

TEST(KTableTest, FilterOfANamedTableKnowsItsOldValues) {
  StreamsBuilder builder;
  builder.table("in", strings(), Materialized<string, string>::as("latest"))
      .filter([](const string&, const string& v) { return v.size() > 1; })
      .toStream()
      .to("out", Produced<string, OptString>::with(Serdes::String(), Serdes::Optional(Serdes::String())));
  auto driver = makeDriver(builder);
  auto in = driver->createInputTopic("in", Serdes::String(), Serdes::String());
  auto out = driver->createOutputTopic("out", Serdes::String(), Serdes::Optional(Serdes::String()));
  in.pipeInput("b", "y");
  in.pipeInput("a", "long");
  in.pipeInput("a", "x");
  EXPECT_EQ(out.readKeyValuesToList(),
            (std::vector<KeyValue<string, OptString>>{{"a", "long"}, {"a", std::nullopt}}));
}

TEST(KTableTest, CountReduceAggregateByKey) {
  StreamsBuilder builder;
  auto grouped = builder.stream("in", strings()).groupByKey();
  grouped.count(Materialized<string, int64_t>::as("counts"))
      .toStream()
      .to("counts", Produced<string, OptLong>::with(Serdes::String(), Serdes::Optional(Serdes::Long())));
  grouped.reduce([](const string& agg, const string& v) { return agg + v; }).toStream().to("concat");
  grouped
      .aggregate([] { return int64_t{0}; },
                 [](const string&, const string& v, int64_t agg) { return agg + static_cast<int64_t>(v.size()); },
                 Materialized<string, int64_t>::with(Serdes::String(), Serdes::Long()))
      .toStream()
      .to("lengths", Produced<string, OptLong>::with(Serdes::String(), Serdes::Optional(Serdes::Long())));
  auto driver = makeDriver(builder);
  auto in = driver->createInputTopic("in", Serdes::String(), Serdes::String());
  auto counts = driver->createOutputTopic("counts", Serdes::String(), Serdes::Optional(Serdes::Long()));
  auto concat = driver->createOutputTopic("concat", Serdes::String(), Serdes::Optional(Serdes::String()));
  auto lengths = driver->createOutputTopic("lengths", Serdes::String(), Serdes::Optional(Serdes::Long()));
  in.pipeInput("a", "x");
  in.pipeInput("b", "yy");
  in.pipeInput("a", "zzz");
  EXPECT_EQ(counts.readKeyValuesToList(), (std::vector<KeyValue<string, OptLong>>{{"a", 1}, {"b", 1}, {"a", 2}}));
  EXPECT_EQ(concat.readKeyValuesToList(),
            (std::vector<KeyValue<string, OptString>>{{"a", "x"}, {"b", "yy"}, {"a", "xzzz"}}));
  EXPECT_EQ(lengths.readKeyValuesToList(), (std::vector<KeyValue<string, OptLong>>{{"a", 1}, {"b", 2}, {"a", 4}}));
  EXPECT_EQ(driver->getStore<CountStore>("counts")->get("a").value(), OptLong(2));
}

// Chapter 6: a reducer that returns null deletes the key, and the table forwards a tombstone.
TEST(KTableTest, ReducerReturningNullDeletesTheKey) {
  StreamsBuilder builder;
  builder.stream("patient-events", strings())
      .groupByKey()
      .reduce(
          [](const string& state, const string& event) -> OptString {
            if (event == "check-out") return std::nullopt;
            return state + "," + event;
          },
          Materialized<string, string>::as("patients"))
      .toStream()
      .to("changes");
  auto driver = makeDriver(builder);
  auto in = driver->createInputTopic("patient-events", Serdes::String(), Serdes::String());
  auto out = driver->createOutputTopic("changes", Serdes::String(), Serdes::Optional(Serdes::String()));
  in.pipeInput("1", "check-in");
  in.pipeInput("1", "vitals");
  in.pipeInput("1", "check-out");
  in.pipeInput("1", "check-in");
  EXPECT_EQ(out.readKeyValuesToList(), (std::vector<KeyValue<string, OptString>>{
                                           {"1", "check-in"}, {"1", "check-in,vitals"}, {"1", std::nullopt},
                                           {"1", "check-in"}}));
  auto* patients = driver->getStore<KeyValueStore<string, string>>("patients");
  EXPECT_EQ(patients->get("1").value(), OptString("check-in"));
}

TEST(KTableTest, GroupedTableSubtractorReturningNullDeletesTheGroup) {
  StreamsBuilder builder;
  RegionCounts counts(builder, usersByRegion(builder).aggregate(
                                   [] { return int64_t{0}; },
                                   [](const string&, const string&, int64_t users) { return users + 1; },
                                   [](const string&, const string&, int64_t users) -> OptLong {
                                     if (users == 1) return std::nullopt;  // the last user left the region
                                     return users - 1;
                                   },
                                   Materialized<string, int64_t>::as("users").withValueSerde(Serdes::Long())));
  counts.move("alice", "eu");
  counts.move("alice", "us");
  EXPECT_EQ(counts.changes(), (std::vector<KeyValue<string, OptLong>>{{"eu", 1}, {"eu", std::nullopt}, {"us", 1}}));
  EXPECT_EQ(counts.stored("users", "eu"), std::nullopt);
}

TEST(KTableTest, GroupByRepartitionsAndDescribesAsKafka) {
  StreamsBuilder builder;
  builder.stream("in", strings())
      .groupBy([](const string&, const string& v) { return v; })
      .count()
      .toStream()
      .to("out", Produced<string, OptLong>::with(Serdes::String(), Serdes::Optional(Serdes::Long())));
  auto topology = builder.build();
  ASSERT_TRUE(topology.isOk());
  EXPECT_EQ(topology->describe(),
            "Topologies:\n"
            "   Sub-topology: 0\n"
            "    Source: KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition-source (topics: "
            "[KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition])\n"
            "      --> KSTREAM-AGGREGATE-0000000003\n"
            "    Processor: KSTREAM-AGGREGATE-0000000003 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000002])\n"
            "      --> KTABLE-TOSTREAM-0000000004\n"
            "      <-- KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition-source\n"
            "    Processor: KTABLE-TOSTREAM-0000000004 (stores: [])\n"
            "      --> KSTREAM-SINK-0000000005\n"
            "      <-- KSTREAM-AGGREGATE-0000000003\n"
            "    Sink: KSTREAM-SINK-0000000005 (topic: out)\n"
            "      <-- KTABLE-TOSTREAM-0000000004\n"
            "\n"
            "   Sub-topology: 1\n"
            "    Source: KSTREAM-SOURCE-0000000000 (topics: [in])\n"
            "      --> KSTREAM-KEY-SELECT-0000000001\n"
            "    Processor: KSTREAM-KEY-SELECT-0000000001 (stores: [])\n"
            "      --> KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition-filter\n"
            "      <-- KSTREAM-SOURCE-0000000000\n"
            "    Processor: KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition-filter (stores: [])\n"
            "      --> KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition-sink\n"
            "      <-- KSTREAM-KEY-SELECT-0000000001\n"
            "    Sink: KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition-sink (topic: "
            "KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition)\n"
            "      <-- KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition-filter\n"
            "\n");
  auto driver = makeDriver(builder);
  auto in = driver->createInputTopic("in", Serdes::String(), Serdes::String());
  auto out = driver->createOutputTopic("out", Serdes::String(), Serdes::Optional(Serdes::Long()));
  in.pipeInput("1", "red");
  in.pipeInput("2", "blue");
  in.pipeInput("3", "red");
  EXPECT_EQ(out.readKeyValuesToList(), (std::vector<KeyValue<string, OptLong>>{{"red", 1}, {"blue", 1}, {"red", 2}}));
  auto topics = driver->producedTopicNames();
  // Sub-topologies are numbered by their sorted source names, so the aggregation is 0.
  EXPECT_EQ(std::count_if(topics.begin(), topics.end(),
                          [](const string& t) { return t.ends_with("-KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition"); }),
            1)
      << ::testing::PrintToString(topics);
}

TEST(KTableTest, GroupByKeyRepartitionsOnlyAfterAKeyChange) {
  StreamsBuilder builder;
  auto stream = builder.stream("in", strings());
  stream.groupByKey().count(Materialized<string, int64_t>::as("direct"));
  stream.selectKey([](const string&, const string& v) { return v; })
      .filter([](const string&, const string&) { return true; })
      .groupByKey(Grouped<string, string>::as("by-value"))
      .count(Materialized<string, int64_t>::as("rekeyed"));
  auto topology = builder.build();
  ASSERT_TRUE(topology.isOk());
  auto built = topology->buildFor("app");
  ASSERT_TRUE(built.isOk());
  ASSERT_EQ(built->internal_topics.size(), 1u);
  EXPECT_EQ(built->internal_topics[0].name, "app-by-value-repartition");
  auto driver = makeDriver(builder);
  auto in = driver->createInputTopic("in", Serdes::String(), Serdes::String());
  in.pipeInput("k", "v");
  in.pipeInput("k", "w");
  EXPECT_EQ(driver->getStore<CountStore>("direct")->get("k").value(), OptLong(2));
  EXPECT_EQ(driver->getStore<CountStore>("rekeyed")->get("w").value(), OptLong(1));
}

TEST(KTableTest, GroupedTableSubtractsOldValuesAndAddsNewOnes) {
  StreamsBuilder builder;
  RegionCounts counts(builder, usersByRegion(builder).count(Materialized<string, int64_t>::as("per-region")));
  counts.move("alice", "eu");
  counts.move("bob", "eu");
  counts.move("alice", "us");
  counts.move("bob", std::nullopt);
  EXPECT_EQ(counts.changes(),
            (std::vector<KeyValue<string, OptLong>>{{"eu", 1}, {"eu", 2}, {"eu", 1}, {"us", 1}, {"eu", 0}}));
  EXPECT_EQ(counts.stored("per-region", "us"), OptLong(1));
  EXPECT_EQ(counts.stored("per-region", "eu"), OptLong(0));
}

// Random keys through count and reduce, checked against a recomputation from scratch.
TEST(KTableTest, CountAndReduceMatchARecomputation) {
  StreamsBuilder builder;
  auto grouped = builder.stream("in", strings()).groupByKey();
  grouped.count(Materialized<string, int64_t>::as("counts"));
  grouped.reduce([](const string& agg, const string& v) { return agg + v; },
                 Materialized<string, string>::as(Stores::inMemoryKeyValueStore("concat")));
  auto driver = makeDriver(builder);
  auto in = driver->createInputTopic("in", Serdes::String(), Serdes::String());
  std::mt19937 random(42);
  std::map<string, int64_t> counts;
  std::map<string, string> concat;
  for (int i = 0; i < 500; ++i) {
    string key = "k" + std::to_string(random() % 17);
    string value(1, static_cast<char>('a' + random() % 26));
    in.pipeInput(key, value);
    ++counts[key];
    concat[key] += value;
  }
  auto* count_store = driver->getStore<CountStore>("counts");
  auto* concat_store = driver->getStore<KeyValueStore<string, string>>("concat");
  for (const auto& [key, count] : counts) {
    EXPECT_EQ(count_store->get(key).value(), OptLong(count)) << key;
    EXPECT_EQ(concat_store->get(key).value(), OptString(concat.at(key))) << key;
  }
}

}  // namespace
}  // namespace runnel::streams
