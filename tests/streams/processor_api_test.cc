#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "streams/serdes.h"
#include "streams/stores.h"
#include "streams/topology.h"
#include "streams/topology_test_driver.h"

namespace runnel::streams {
namespace {

using std::string;
using namespace std::chrono_literals;

// Upper-cases values, forwarding vowels-first words to "vowels" and the others to "rest".
class RouteProcessor : public Processor<string, string, string, string> {
 public:
  void init(ProcessorContext<string, string>& context) override { context_ = &context; }
  void process(const Record<string, string>& record) override {
    string upper = record.value();
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    bool vowel = !upper.empty() && string("AEIOU").find(upper[0]) != string::npos;
    context_->forward(record.withValue(upper), vowel ? "vowels" : "rest");
  }

 private:
  ProcessorContext<string, string>* context_ = nullptr;
};

// Counts per key in a store, emits the count on every record, and the whole table from a
// punctuator.
class CountProcessor : public Processor<string, string, string, int64_t> {
 public:
  CountProcessor(PunctuationType type, std::vector<int64_t>* punctuations) : type_(type), punctuations_(punctuations) {}
  void init(ProcessorContext<string, int64_t>& context) override {
    context_ = &context;
    store_ = &context.getStateStore<KeyValueStore<string, int64_t>>("counts");
    cancellable_ = context.schedule(10s, type_, [this](int64_t timestamp) {
      punctuations_->push_back(timestamp);
      for (auto it = store_->all(); it.valid(); it.next()) {
        context_->forward(Record<string, int64_t>(it.key(), it.value(), timestamp));
      }
    });
  }
  void process(const Record<string, string>& record) override {
    auto current = store_->get(record.key());
    ASSERT_TRUE(current.isOk());
    int64_t count = current->value_or(0) + 1;
    ASSERT_TRUE(store_->put(record.key(), count).isOk());
    if (record.value() == "stop") cancellable_.cancel();
    if (record.value() == "meta") {
      const auto& metadata = context_->recordMetadata();
      ASSERT_TRUE(metadata);
      context_->forward(Record<string, int64_t>(metadata->topic + "@" + std::to_string(metadata->offset),
                                                count, record.timestamp()));
    }
  }

 private:
  PunctuationType type_;
  std::vector<int64_t>* punctuations_;
  ProcessorContext<string, int64_t>* context_ = nullptr;
  KeyValueStore<string, int64_t>* store_ = nullptr;
  Cancellable cancellable_;
};

Topology countTopology(PunctuationType type, std::vector<int64_t>* punctuations, bool persistent) {
  Topology topology;
  EXPECT_TRUE(topology.addSource("Source", {"in"}, Serdes::String(), Serdes::String()).isOk());
  EXPECT_TRUE(topology
                  .addProcessor("Count", [=] { return std::make_unique<CountProcessor>(type, punctuations); },
                                {"Source"})
                  .isOk());
  auto supplier = persistent ? Stores::persistentKeyValueStore("counts") : Stores::inMemoryKeyValueStore("counts");
  EXPECT_TRUE(topology.addStateStore(Stores::keyValueStoreBuilder(supplier, Serdes::String(), Serdes::Long()),
                                     {"Count"})
                  .isOk());
  EXPECT_TRUE(topology.addSink("Sink", "counts-out", Serdes::String(), Serdes::Long(), {"Count"}).isOk());
  return topology;
}

TEST(ProcessorApiTest, ForwardToNamedChildren) {
  Topology topology;
  ASSERT_TRUE(topology.addSource("Source", {"words"}, Serdes::String(), Serdes::String()).isOk());
  ASSERT_TRUE(topology.addProcessor("Route", [] { return std::make_unique<RouteProcessor>(); }, {"Source"}).isOk());
  ASSERT_TRUE(topology.addSink("vowels", "vowel-words", Serdes::String(), Serdes::String(), {"Route"}).isOk());
  ASSERT_TRUE(topology.addSink("rest", "other-words", Serdes::String(), Serdes::String(), {"Route"}).isOk());
  auto driver = TopologyTestDriver::create(topology);
  ASSERT_TRUE(driver.isOk()) << driver.status().toString();
  auto in = (*driver)->createInputTopic("words", Serdes::String(), Serdes::String());
  in.pipeKeyValueList({{"1", "apple"}, {"2", "banana"}, {"3", "orange"}});
  EXPECT_EQ((*driver)->createOutputTopic("vowel-words", Serdes::String(), Serdes::String()).readValuesToList(),
            (std::vector<string>{"APPLE", "ORANGE"}));
  EXPECT_EQ((*driver)->createOutputTopic("other-words", Serdes::String(), Serdes::String()).readValuesToList(),
            (std::vector<string>{"BANANA"}));
}

TEST(ProcessorApiTest, TopologyChecksNamesParentsAndTypes) {
  Topology topology;
  ASSERT_TRUE(topology.addSource("Source", {"in"}, Serdes::String(), Serdes::String()).isOk());
  EXPECT_FALSE(topology.addSource("Source", {"other"}, Serdes::String(), Serdes::String()).isOk());
  EXPECT_FALSE(topology.addSource("Other", {"in"}, Serdes::String(), Serdes::String()).isOk());
  EXPECT_FALSE(topology.addProcessor("P", [] { return std::make_unique<RouteProcessor>(); }, {"Missing"}).isOk());
  // A processor of string values below a source of int64 values.
  ASSERT_TRUE(topology.addSource("Numbers", {"numbers"}, Serdes::String(), Serdes::Long()).isOk());
  Status mismatch = topology.addProcessor("P", [] { return std::make_unique<RouteProcessor>(); }, {"Numbers"});
  EXPECT_FALSE(mismatch.isOk());
  EXPECT_NE(mismatch.message().find("other types"), string::npos) << mismatch.message();
  Status no_store = topology.connectProcessorAndStateStores("Source", {"nope"});
  EXPECT_FALSE(no_store.isOk());
}

class StoreBackends : public ::testing::TestWithParam<bool> {};

TEST_P(StoreBackends, StreamTimePunctuationAndStore) {
  std::vector<int64_t> punctuations;
  Topology topology = countTopology(PunctuationType::kStreamTime, &punctuations, GetParam());
  EXPECT_NE(topology.describe().find("Processor: Count (stores: [counts])"), string::npos) << topology.describe();
  auto driver = TopologyTestDriver::create(topology);
  ASSERT_TRUE(driver.isOk()) << driver.status().toString();
  auto in = (*driver)->createInputTopic("in", Serdes::String(), Serdes::String());
  auto out = (*driver)->createOutputTopic("counts-out", Serdes::String(), Serdes::Long());
  in.pipeInput("a", "x", 1000);  // first advance of stream time: punctuates at once
  EXPECT_EQ(punctuations, (std::vector<int64_t>{1000}));
  EXPECT_EQ(out.readKeyValuesToList(), (std::vector<KeyValue<string, int64_t>>{{"a", 1}}));
  in.pipeInput("b", "x", 5000);
  in.pipeInput("a", "x", 9999);
  EXPECT_EQ(punctuations.size(), 1u);
  in.pipeInput("a", "x", 3000);  // out of order: stream time stays at 9999
  in.pipeInput("b", "x", 10000);  // reaches the next grid point
  EXPECT_EQ(punctuations, (std::vector<int64_t>{1000, 10000}));
  EXPECT_EQ(out.readKeyValuesToMap(), (std::map<string, int64_t>{{"a", 3}, {"b", 2}}));
  in.pipeInput("b", "x", 45000);  // skips missed intervals: one punctuation
  EXPECT_EQ(punctuations, (std::vector<int64_t>{1000, 10000, 45000}));
  in.pipeInput("b", "stop", 46000);
  in.pipeInput("b", "x", 60000);
  EXPECT_EQ(punctuations.size(), 3u);

  auto* store = (*driver)->getStore<KeyValueStore<string, int64_t>>("counts");
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->get("b").value(), std::optional<int64_t>(5));
}

TEST_P(StoreBackends, WallClockPunctuation) {
  std::vector<int64_t> punctuations;
  auto driver = TopologyTestDriver::create(countTopology(PunctuationType::kWallClockTime, &punctuations, GetParam()),
                                           {}, 100000);
  ASSERT_TRUE(driver.isOk());
  auto in = (*driver)->createInputTopic("in", Serdes::String(), Serdes::String());
  in.pipeInput("a", "x", 1);
  EXPECT_TRUE(punctuations.empty());
  (*driver)->advanceWallClockTime(9999ms);
  EXPECT_TRUE(punctuations.empty());
  (*driver)->advanceWallClockTime(1ms);
  EXPECT_EQ(punctuations, (std::vector<int64_t>{110000}));
  (*driver)->advanceWallClockTime(35s);
  EXPECT_EQ(punctuations, (std::vector<int64_t>{110000, 145000}));
  auto out = (*driver)->createOutputTopic("counts-out", Serdes::String(), Serdes::Long());
  auto records = out.readRecordsToList();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].timestamp, 145000);
}

TEST(ProcessorApiTest, CancelledWallClockPunctuatorStops) {
  std::vector<int64_t> punctuations;
  auto driver = TopologyTestDriver::create(countTopology(PunctuationType::kWallClockTime, &punctuations, false));
  ASSERT_TRUE(driver.isOk());
  auto in = (*driver)->createInputTopic("in", Serdes::String(), Serdes::String());
  in.pipeInput("a", "x", 1);
  (*driver)->advanceWallClockTime(10s);
  EXPECT_EQ(punctuations, (std::vector<int64_t>{10000}));
  in.pipeInput("a", "stop", 2);
  (*driver)->advanceWallClockTime(10s);
  (*driver)->advanceWallClockTime(30s);
  EXPECT_EQ(punctuations, (std::vector<int64_t>{10000}));
  // The store still counts: only the punctuator stopped.
  auto* store = (*driver)->getStore<KeyValueStore<string, int64_t>>("counts");
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->get("a").value(), std::optional<int64_t>(2));
}

INSTANTIATE_TEST_SUITE_P(InMemoryAndRocksDb, StoreBackends, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "RocksDb" : "InMemory"; });

TEST(ProcessorApiTest, RecordMetadataNamesTopicAndOffset) {
  std::vector<int64_t> punctuations;
  auto driver = TopologyTestDriver::create(countTopology(PunctuationType::kWallClockTime, &punctuations, false));
  ASSERT_TRUE(driver.isOk());
  auto in = (*driver)->createInputTopic("in", Serdes::String(), Serdes::String());
  in.pipeInput("a", "x");
  in.pipeInput("a", "meta");
  auto out = (*driver)->createOutputTopic("counts-out", Serdes::String(), Serdes::Long());
  EXPECT_EQ(out.readKeyValue(), (KeyValue<string, int64_t>{"in@1", 2}));
}

class UnconnectedStoreProcessor : public Processor<string, string> {
 public:
  void init(ProcessorContext<Void, Void>& context) override {
    context.getStateStore<KeyValueStore<string, int64_t>>("counts");
  }
  void process(const Record<string, string>&) override {}
};

TEST(ProcessorApiTest, StoreNotConnectedIsAnError) {
  Topology topology;
  ASSERT_TRUE(topology.addSource("Source", {"in"}, Serdes::String(), Serdes::String()).isOk());
  ASSERT_TRUE(topology.addProcessor("A", [] { return std::make_unique<UnconnectedStoreProcessor>(); }, {"Source"})
                  .isOk());
  ASSERT_TRUE(topology.addProcessor("B", [] { return std::make_unique<UnconnectedStoreProcessor>(); }, {"Source"})
                  .isOk());
  ASSERT_TRUE(topology
                  .addStateStore(Stores::keyValueStoreBuilder(Stores::inMemoryKeyValueStore("counts"),
                                                              Serdes::String(), Serdes::Long()),
                                 {"B"})
                  .isOk());
  auto driver = TopologyTestDriver::create(topology);
  ASSERT_FALSE(driver.isOk());
  EXPECT_NE(driver.status().message().find("Processor A has no access to StateStore counts"), string::npos)
      << driver.status().message();
}

// processValues: a FixedKeyProcessor that appends the partition time.
class Suffix : public FixedKeyProcessor<string, string, string> {
 public:
  void init(FixedKeyProcessorContext<string, string>& context) override { context_ = &context; }
  void process(const FixedKeyRecord<string, string>& record) override {
    context_->forward(record.withValue(record.value() + "@" + std::to_string(context_->currentStreamTimeMs())));
  }

 private:
  FixedKeyProcessorContext<string, string>* context_ = nullptr;
};

TEST(ProcessorApiTest, DslProcessAndProcessValues) {
  StreamsBuilder builder;
  builder.addStateStore(
      Stores::keyValueStoreBuilder(Stores::inMemoryKeyValueStore("counts"), Serdes::String(), Serdes::Long()));
  std::vector<int64_t> punctuations;
  auto strings = Consumed<string, string>::with(Serdes::String(), Serdes::String());
  builder.stream("in", strings)
      .process([&] { return std::make_unique<CountProcessor>(PunctuationType::kWallClockTime, &punctuations); },
               {"counts"})
      .to("counts-out", Produced<string, int64_t>::with(Serdes::String(), Serdes::Long()));
  builder.stream("other", strings)
      .processValues([] { return std::make_unique<Suffix>(); })
      .to("suffixed", Produced<string, string>::with(Serdes::String(), Serdes::String()));
  auto topology = builder.build();
  ASSERT_TRUE(topology.isOk()) << topology.status().toString();
  auto driver = TopologyTestDriver::create(*topology);
  ASSERT_TRUE(driver.isOk()) << driver.status().toString();
  (*driver)->createInputTopic("in", Serdes::String(), Serdes::String()).pipeInput("k", "meta", 5);
  (*driver)->createInputTopic("other", Serdes::String(), Serdes::String()).pipeInput("k", "v", 77);
  EXPECT_EQ((*driver)->createOutputTopic("counts-out", Serdes::String(), Serdes::Long()).readKeyValue(),
            (KeyValue<string, int64_t>{"in@0", 1}));
  EXPECT_EQ((*driver)->createOutputTopic("suffixed", Serdes::String(), Serdes::String()).readKeyValue(),
            (KeyValue<string, string>{"k", "v@77"}));
}

}  // namespace
}  // namespace runnel::streams
