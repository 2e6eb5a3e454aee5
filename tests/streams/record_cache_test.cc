// The record cache (statestore.cache.max.bytes): cached stores hold writes until a flush,
// merge repeated writes of a key, and hand one change per key to the changelog and to
// the processor's children, with the old value the children saw last.

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "driver_util.h"
#include "streams/internal/caching_key_value_store.h"
#include "streams/internal/thread_cache.h"
#include "streams/kafka_streams.h"
#include "streams/serdes.h"
#include "streams/stores.h"
#include "streams/topology.h"
#include "streams/topology_test_driver.h"
#include "streams_broker_fixture.h"

namespace runnel::streams {
namespace {

using std::string;
using OptLong = std::optional<int64_t>;

struct Logged {
  string key;
  std::optional<string> value;
  int64_t timestamp;
  bool operator==(const Logged&) const = default;
};

class RecordingLogger final : public ChangeLogger {
 public:
  explicit RecordingLogger(const int64_t* timestamp) : timestamp_(timestamp) {}
  void logChange(std::string_view key, std::optional<std::string_view> value) override {
    records.push_back({string(key), value ? std::optional<string>(*value) : std::nullopt, *timestamp_});
  }
  std::vector<Logged> records;

 private:
  const int64_t* timestamp_;
};

struct Flushed {
  string key;
  std::optional<string> new_value;
  std::optional<string> old_value;
  int64_t timestamp;
  bool operator==(const Flushed&) const = default;
};

// A caching store over an in-memory one, as a task opens it.
class CachingStoreTest : public ::testing::Test {
 protected:
  explicit CachingStoreTest(size_t cache_bytes = 1 << 20) : cache_(cache_bytes) {}

  void SetUp() override {
    StateStoreContext context{"app", "0_0", "/nonexistent", &logger_, &cache_, &timestamp_};
    ASSERT_TRUE(store_.init(context).isOk());
    store_.setFlushListener([this](std::string_view key, std::optional<std::string_view> new_value,
                                   std::optional<std::string_view> old_value, int64_t timestamp) {
      auto copy = [](std::optional<std::string_view> v) { return v ? std::optional<string>(*v) : std::nullopt; };
      flushed_.push_back({string(key), copy(new_value), copy(old_value), timestamp});
    });
  }

  void put(const string& key, const string& value, int64_t timestamp) {
    timestamp_ = timestamp;
    ASSERT_TRUE(store_.put(key, value).isOk());
  }
  std::optional<string> get(const string& key) {
    string value;
    auto found = store_.get(key, value);
    EXPECT_TRUE(found.isOk());
    return found.isOk() && *found ? std::optional<string>(value) : std::nullopt;
  }
  std::vector<std::pair<string, string>> scan(KeyRange range) {
    std::vector<std::pair<string, string>> out;
    for (auto it = store_.scan(std::move(range)); it->valid(); it->next()) out.emplace_back(it->key(), it->value());
    return out;
  }

  int64_t timestamp_ = 0;
  internal::ThreadCache cache_;
  RecordingLogger logger_{&timestamp_};
  internal::CachingKeyValueBytesStore store_{Stores::inMemoryKeyValueStore("s")->get()};
  std::vector<Flushed> flushed_;
};

TEST_F(CachingStoreTest, WritesWaitUntilFlushAndOnlyTheLatestPerKeyGoesOn) {
  put("a", "1", 10);
  put("a", "2", 11);
  put("b", "3", 12);
  ASSERT_TRUE(store_.remove("b").isOk());  // b never reached the store: nothing to say
  EXPECT_EQ(get("a"), "2");
  EXPECT_EQ(get("b"), std::nullopt);
  EXPECT_TRUE(logger_.records.empty());
  EXPECT_TRUE(flushed_.empty());

  ASSERT_TRUE(store_.flush().isOk());
  EXPECT_EQ(logger_.records, (std::vector<Logged>{{"a", "2", 11}}));
  EXPECT_EQ(flushed_, (std::vector<Flushed>{{"a", "2", std::nullopt, 11}}));
  EXPECT_EQ(timestamp_, 12);  // the processing timestamp is back after the flush
}

TEST_F(CachingStoreTest, FlushCarriesTheValueTheChildrenSawLast) {
  put("a", "1", 1);
  ASSERT_TRUE(store_.flush().isOk());
  put("a", "2", 2);
  put("a", "3", 3);
  ASSERT_TRUE(store_.remove("a").isOk());
  put("a", "4", 4);
  ASSERT_TRUE(store_.flush().isOk());
  ASSERT_TRUE(store_.remove("a").isOk());
  ASSERT_TRUE(store_.flush().isOk());
  EXPECT_EQ(flushed_, (std::vector<Flushed>{{"a", "1", std::nullopt, 1},
                                            {"a", "4", "1", 4},
                                            {"a", std::nullopt, "4", 4}}));
  EXPECT_EQ(logger_.records, (std::vector<Logged>{{"a", "1", 1}, {"a", "4", 4}, {"a", std::nullopt, 4}}));
}

TEST_F(CachingStoreTest, ScansMergeTheCacheOverTheStore) {
  put("a", "1", 0);
  put("b", "2", 0);
  put("c", "3", 0);
  ASSERT_TRUE(store_.flush().isOk());
  put("b", "20", 0);
  ASSERT_TRUE(store_.remove("c").isOk());
  put("d", "4", 0);
  using Pairs = std::vector<std::pair<string, string>>;
  EXPECT_EQ(scan({}), (Pairs{{"a", "1"}, {"b", "20"}, {"d", "4"}}));
  EXPECT_EQ(scan({std::nullopt, std::nullopt, true}), (Pairs{{"d", "4"}, {"b", "20"}, {"a", "1"}}));
  EXPECT_EQ(scan({"b", "d", false}), (Pairs{{"b", "20"}}));
  EXPECT_EQ(scan({"c", std::nullopt, true}), (Pairs{{"d", "4"}}));
}

TEST_F(CachingStoreTest, RestoreGoesStraightToTheStore) {
  std::vector<ChangelogRecord> records{{"a", "1"}, {"b", "2"}, {"a", std::nullopt}};
  ASSERT_TRUE(store_.restoreBatch(records).isOk());
  EXPECT_EQ(get("a"), std::nullopt);
  EXPECT_EQ(get("b"), "2");
  ASSERT_TRUE(store_.flush().isOk());
  EXPECT_TRUE(logger_.records.empty());
}

class SmallCacheTest : public CachingStoreTest {
 protected:
  SmallCacheTest() : CachingStoreTest(1000) {}
};

TEST_F(SmallCacheTest, AFullCacheFlushesAsItEvicts) {
  for (int i = 0; i < 100; ++i) put("key-" + std::to_string(i), std::to_string(i), i);
  EXPECT_LE(cache_.bytes(), cache_.maxBytes());
  EXPECT_FALSE(logger_.records.empty());  // evictions wrote through before any commit
  for (int i = 0; i < 100; ++i) EXPECT_EQ(get("key-" + std::to_string(i)), std::to_string(i));
  ASSERT_TRUE(store_.flush().isOk());
  std::map<string, int> logged;
  for (const auto& record : logger_.records) ++logged[record.key];
  EXPECT_EQ(logged.size(), 100u);
  for (const auto& [key, times] : logged) EXPECT_EQ(times, 1) << key;
}

// The driver commits after every input record, so the cache merges the updates that one
// record causes: here three of the same key.
TEST(RecordCacheDriverTest, UpdatesOfOneRecordMergeUnlessCachingIsOff) {
  for (bool caching : {true, false}) {
    StreamsBuilder builder;
    auto materialized = Materialized<string, int64_t>::as("counts");
    if (!caching) materialized = std::move(materialized).withCachingDisabled();
    builder.stream("words", strings())
        .flatMapValues([](const string& line) { return std::vector<string>{line, line, line}; })
        .groupByKey()
        .count(std::move(materialized))
        .toStream()
        .to("counts", Produced<string, OptLong>::with(Serdes::String(), Serdes::Optional(Serdes::Long())));
    auto driver = makeDriver(builder);
    auto in = driver->createInputTopic("words", Serdes::String(), Serdes::String());
    auto out = driver->createOutputTopic("counts", Serdes::String(), Serdes::Optional(Serdes::Long()));
    in.pipeInput("k", "x", 5);
    in.pipeInput("k", "y", 6);
    auto records = out.readRecordsToList();
    if (caching) {
      ASSERT_EQ(records.size(), 2u);
      EXPECT_EQ(records[0].value, OptLong(3));
      EXPECT_EQ(records[1].value, OptLong(6));
      EXPECT_EQ(records[1].timestamp, 6);
    } else {
      ASSERT_EQ(records.size(), 6u);
      EXPECT_EQ(records[5].value, OptLong(6));
    }
  }
}

class RecordCacheBrokerTest : public StreamsBrokerTest {
 protected:
  // Counts 2,000 records over 97 keys; returns how many updates reached the output.
  size_t countUpdates(const string& app_id, const string& cache_bytes) {
    createTopic("numbers-" + app_id, 2);
    StreamsBuilder builder;
    builder.stream<string, string>("numbers-" + app_id)
        .groupByKey()
        .count(Materialized<string, int64_t>::as("counts"))
        .toStream()
        .to("counts-" + app_id, Produced<string, OptLong>::with(Serdes::String(), Serdes::Optional(Serdes::Long())));
    auto config = appConfig(app_id);
    config["statestore.cache.max.bytes"] = cache_bytes;
    config["commit.interval.ms"] = "1000";
    auto streams = KafkaStreams::create(*builder.build(), config);
    EXPECT_TRUE(streams.isOk()) << streams.status().toString();
    if (!streams.isOk()) return 0;
    EXPECT_TRUE((*streams)->start().isOk());
    produce("numbers-" + app_id, 0, 2000);
    // Every key's last update carries its full count.
    std::map<string, int64_t> last;
    size_t updates = 0;
    auto consumer = client::makeKafkaConsumer({{"bootstrap.servers", bootstrap()}});
    std::vector<client::TopicPartitionOffset> assignment;
    for (int p = 0; p < 2; ++p) assignment.push_back({"counts-" + app_id, p, client::kOffsetBeginning});
    auto done = [&] {
      if (last.size() < 97) return false;
      int64_t total = 0;
      for (const auto& [key, count] : last) total += count;
      return total == 2000;
    };
    EXPECT_TRUE((*consumer)->assign(assignment).isOk());
    bool complete = waitUntil(
        [&] {
          (void)(*consumer)->pollBatch(100ms, 1000, [&](const client::MessageView& m) {
            ++updates;
            int64_t count = 0;
            for (char c : m.value.value_or("")) count = (count << 8) | static_cast<unsigned char>(c);
            last[string(m.key.value_or(""))] = count;
          });
          return done();
        },
        60s);
    EXPECT_TRUE(complete) << "keys " << last.size();
    EXPECT_TRUE((*streams)->close(30s));
    return updates;
  }
};

TEST_F(RecordCacheBrokerTest, CachingSendsFewerUpdatesWithTheSameFinalCounts) {
  size_t cached = countUpdates("cached", "10485760");
  size_t uncached = countUpdates("uncached", "0");
  EXPECT_EQ(uncached, 2000u);
  EXPECT_LT(cached, uncached / 2) << "the cache merged too little";
}

}  // namespace
}  // namespace runnel::streams
