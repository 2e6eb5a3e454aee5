#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "streams/or_throw.h"
#include "streams/serdes.h"
#include "streams/stores.h"
#include "streams/topology.h"
#include "streams/topology_test_driver.h"

namespace runnel::streams {
namespace {

using std::string;

// Puts each record into the store "recent"; a value "?" reads the key instead (a use).
class Remember : public Processor<string, string> {
 public:
  void init(ProcessorContext<Void, Void>& context) override {
    store_ = &context.getStateStore<KeyValueStore<string, string>>("recent");
  }
  void process(const Record<string, string>& record) override {
    if (record.value() == "?") {
      (void)orThrow(store_->get(record.key()));
    } else {
      orThrow(store_->put(record.key(), record.value()));
    }
  }

 private:
  KeyValueStore<string, string>* store_ = nullptr;
};

TEST(LruStoreTest, EvictsTheLeastRecentlyUsedKeyAndLogsIt) {
  Topology topology;
  ASSERT_TRUE(topology.addSource("Source", {"in"}, Serdes::String(), Serdes::String()).isOk());
  ASSERT_TRUE(topology.addProcessor("Remember", [] { return std::make_unique<Remember>(); }, {"Source"}).isOk());
  ASSERT_TRUE(topology
                  .addStateStore(Stores::keyValueStoreBuilder(Stores::lruMap("recent", 3), Serdes::String(),
                                                              Serdes::String()),
                                 {"Remember"})
                  .isOk());
  auto driver = TopologyTestDriver::create(topology, {{"application.id", "app"}});
  ASSERT_TRUE(driver.isOk()) << driver.status().toString();
  auto in = (*driver)->createInputTopic("in", Serdes::String(), Serdes::String());
  in.pipeKeyValueList({{"a", "1"}, {"b", "2"}, {"c", "3"}, {"a", "?"}, {"d", "4"}});

  auto* store = (*driver)->getStore<KeyValueStore<string, string>>("recent");
  ASSERT_NE(store, nullptr);
  std::vector<string> keys;
  for (auto it = store->all(); it.valid(); it.next()) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<string>{"a", "c", "d"}));  // b was the least recently used

  auto changelog = (*driver)->createOutputTopic("app-recent-changelog", Serdes::String(),
                                                Serdes::Optional(Serdes::String()));
  auto records = changelog.readKeyValuesToList();
  ASSERT_EQ(records.size(), 5u);
  // The eviction is logged while d goes in, before d itself (as in Kafka).
  EXPECT_EQ(records[3], (KeyValue<string, std::optional<string>>{"b", std::nullopt}));
  EXPECT_EQ(records[4], (KeyValue<string, std::optional<string>>{"d", "4"}));
}

}  // namespace
}  // namespace runnel::streams
