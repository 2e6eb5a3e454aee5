// Streams pipelines in process: filter -> mapValues -> to of 100-byte records, and a
// count by key (groupByKey().count(), logged store, with and without the record cache),
// on a StreamTask fed as a stream thread feeds it (no client), and the stateless one on
// the test driver.

#include <benchmark/benchmark.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "streams/internal/record_collector.h"
#include "streams/internal/stream_task.h"
#include "streams/internal/thread_cache.h"
#include "streams/ktable.h"
#include "streams/serdes.h"
#include "streams/topology.h"
#include "streams/topology_test_driver.h"

namespace runnel::streams {
namespace {

using std::string;

Topology pipeline() {
  StreamsBuilder builder;
  builder.stream("in", Consumed<string, string>::with(Serdes::String(), Serdes::String()))
      .filter([](const string&, const string& v) { return v[0] != 'x'; })
      .mapValues([](const string& v) {
        string out = v;
        out[0] = 'M';
        return out;
      })
      .to("out", Produced<string, string>::with(Serdes::String(), Serdes::String()));
  return *builder.build();
}

// Counts what the sink sends: the cost of a real client is measured end to end.
class CountingProducer final : public client::Producer {
 public:
  void setDeliveryCallback(client::DeliveryCallback) override {}
  Status send(const client::ProducerRecord& record) override {
    bytes_ += record.value ? record.value->size() : 0;
    ++sent_;
    return Status::ok();
  }
  void poll(std::chrono::milliseconds) override {}
  Status flush(std::chrono::milliseconds) override { return Status::ok(); }
  int64_t outstanding() const override { return 0; }
  int64_t sent() const { return sent_; }

 private:
  int64_t sent_ = 0;
  int64_t bytes_ = 0;
};

// Runs `topology` on one StreamTask, 1000 records per turn, keys from `keys` in turn,
// with a record cache of `cache_bytes` (0: none) flushed by a commit every 100 turns.
// `table_topic` set: first fills the table read from it with every key.
void runOnTask(benchmark::State& state, const Topology& topology, const std::vector<string>& keys,
               size_t cache_bytes = 0, const string& table_topic = "") {
  auto config = StreamsConfig::create({{"application.id", "bench"}}).value();
  auto built = topology.buildFor("bench").value();
  char state_dir[] = "/tmp/runnel-streams-bench-XXXXXX";
  if (mkdtemp(state_dir) == nullptr) state.SkipWithError("mkdtemp failed");
  CountingProducer producer;
  internal::RecordCollector collector(&producer, config.productionHandling());
  std::optional<internal::ThreadCache> cache;
  if (cache_bytes > 0) cache.emplace(cache_bytes);
  internal::TaskServices services{&config, &collector, [] { return int64_t{0}; }, state_dir, nullptr,
                                  cache ? &*cache : nullptr};
  internal::StreamTask task({0, 0}, built, built.sub_topologies[0], services);
  if (!task.initialize().isOk()) state.SkipWithError("init failed");

  constexpr size_t kBatch = 1000;  // one consumer poll's worth
  std::vector<string> values;
  for (size_t i = 0; i < kBatch; ++i) values.push_back(string(100, static_cast<char>('a' + i % 26)));
  if (!table_topic.empty()) {
    int64_t table_offset = 0;
    for (const string& key : keys) {
      client::MessageView view;
      view.topic = table_topic;
      view.offset = table_offset;
      view.timestamp = table_offset++;
      view.key = key;
      view.value = values[0];
      task.addRecord(view);
      if (table_offset % kBatch == 0) {
        while (task.process()) {
        }
      }
    }
    while (task.process()) {
    }
    if (!task.flushStores().isOk()) state.SkipWithError("commit failed");
  }
  int64_t offset = 0;
  size_t next_key = 0;
  int64_t turns = 0;
  for (auto _ : state) {
    if (++turns % 100 == 0 && !task.flushStores().isOk()) state.SkipWithError("commit failed");
    for (size_t i = 0; i < kBatch; ++i) {
      client::MessageView view;
      view.topic = "in";
      view.offset = offset++;
      view.timestamp = offset;
      view.key = keys[next_key++ % keys.size()];
      view.value = values[i];
      task.addRecord(view);
    }
    while (task.process()) {
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBatch));
  state.counters["sent"] = static_cast<double>(producer.sent());
  task.close();
  std::filesystem::remove_all(state_dir);
}

std::vector<string> keysOf(size_t distinct) {
  std::vector<string> keys;
  for (size_t i = 0; i < distinct; ++i) keys.push_back("key-" + std::to_string(i * 7919 % distinct));
  return keys;
}

void BM_StreamTaskFilterMapValuesTo(benchmark::State& state) { runOnTask(state, pipeline(), keysOf(1000)); }
BENCHMARK(BM_StreamTaskFilterMapValuesTo);

// groupByKey().count() into an in-memory (arg 1 = 0) or RocksDB (1) store of arg 0
// distinct keys, changelog records counted by the client; arg 2: the record cache's
// size in MiB (Kafka's default: 10), 0 for none.
void BM_StreamTaskCountByKey(benchmark::State& state) {
  StreamsBuilder builder;
  auto supplier = state.range(1) == 0 ? Stores::inMemoryKeyValueStore("counts") : Stores::persistentKeyValueStore("counts");
  builder.stream("in", Consumed<string, string>::with(Serdes::String(), Serdes::String()))
      .groupByKey()
      .count(Materialized<string, int64_t>::as(supplier).withKeySerde(Serdes::String()).withValueSerde(Serdes::Long()))
      .toStream()
      .to("out", Produced<string, std::optional<int64_t>>::with(Serdes::String(), Serdes::Optional(Serdes::Long())));
  runOnTask(state, *builder.build(), keysOf(static_cast<size_t>(state.range(0))),
            static_cast<size_t>(state.range(2)) << 20);
}
BENCHMARK(BM_StreamTaskCountByKey)
    ->ArgsProduct({{1000, 1000000}, {0, 1}, {0, 10}})
    ->ArgNames({"keys", "rocksdb", "cache_mib"});

// stream.join(table) of 100-byte values, the table filled first with arg 0 keys in an
// in-memory (arg 1 = 0) or RocksDB (1) store, record cache on (Kafka's 10 MiB).
void BM_StreamTaskStreamTableJoin(benchmark::State& state) {
  StreamsBuilder builder;
  auto supplier = state.range(1) == 0 ? Stores::inMemoryKeyValueStore("table") : Stores::persistentKeyValueStore("table");
  auto table = builder.table("table", Consumed<string, string>::with(Serdes::String(), Serdes::String()),
                             Materialized<string, string>::as(supplier));
  builder.stream("in", Consumed<string, string>::with(Serdes::String(), Serdes::String()))
      .join(table, [](const string& value, const string& row) { return value.substr(0, 50) + row.substr(0, 50); })
      .to("out", Produced<string, string>::with(Serdes::String(), Serdes::String()));
  runOnTask(state, *builder.build(), keysOf(static_cast<size_t>(state.range(0))), size_t{10} << 20, "table");
}
BENCHMARK(BM_StreamTaskStreamTableJoin)->ArgsProduct({{1000, 1000000}, {0, 1}})->ArgNames({"keys", "rocksdb"});

void BM_TestDriverFilterMapValuesTo(benchmark::State& state) {
  auto driver = TopologyTestDriver::create(pipeline()).value();
  auto in = driver->createInputTopic("in", Serdes::String(), Serdes::String());
  auto out = driver->createOutputTopic("out", Serdes::String(), Serdes::String());
  string key = "key-1";
  string value(100, 'v');
  int64_t n = 0;
  for (auto _ : state) {
    in.pipeInput(key, value, ++n);
    if (n % 1000 == 0) benchmark::DoNotOptimize(out.readValuesToList());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TestDriverFilterMapValuesTo);

}  // namespace
}  // namespace runnel::streams
