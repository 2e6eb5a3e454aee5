// Restore speed: a task's store rebuilt from its changelog through a broker. Fills the
// changelog "<app>-kv-changelog" with --records distinct keys of --record-size byte
// values, then starts an application whose task reads it back into a RocksDB or in-memory
// store, timed from the restore listener's start to its end.
// Usage: streams_restore_perf --bootstrap-server HOST:PORT [--records N] [--store rocksdb|memory]

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "client/kafka_client.h"
#include "streams/kafka_streams.h"
#include "streams/serdes.h"
#include "streams/stores.h"
#include "streams/topology.h"

using namespace runnel;
using namespace runnel::streams;
using std::string;
using Clock = std::chrono::steady_clock;

namespace {

// The store's only writer would be here; restore is what is measured.
class Idle final : public Processor<string, string, string, string> {
 public:
  void process(const Record<string, string>&) override {}
};

class Timing final : public StateRestoreListener {
 public:
  void onRestoreStart(const client::TopicPartition&, const string&, int64_t, int64_t) override {
    started = Clock::now();
  }
  void onBatchRestored(const client::TopicPartition&, const string&, int64_t, int64_t) override {}
  void onRestoreEnd(const client::TopicPartition&, const string&, int64_t total) override {
    ended = Clock::now();
    restored = total;
    done = true;
  }
  Clock::time_point started;
  Clock::time_point ended;
  int64_t restored = 0;
  std::atomic<bool> done = false;
};

Status fillChangelog(const string& bootstrap, const string& topic, int64_t records, size_t record_size) {
  RUNNEL_ASSIGN_OR_RETURN(auto admin, client::makeKafkaAdmin({{"bootstrap.servers", bootstrap}}));
  RUNNEL_RETURN_IF_ERROR(admin->createTopics({{topic, 1, 1, {{"cleanup.policy", "compact"}}}}));
  RUNNEL_ASSIGN_OR_RETURN(auto producer, client::makeKafkaProducer({{"bootstrap.servers", bootstrap},
                                                                    {"linger.ms", "5"},
                                                                    {"batch.size", "1000000"}}));
  client::ProducerRecord record;
  record.topic = topic;
  record.partition = 0;
  record.value = string(record_size, 'v');
  for (int64_t i = 0; i < records; ++i) {
    record.key = fmt::format("key-{:010}", i);
    Status sent = producer->send(record);
    // A full local queue: let the deliveries drain, then resend.
    while (!sent.isOk()) {
      producer->poll(std::chrono::milliseconds(10));
      sent = producer->send(record);
    }
  }
  return producer->flush(std::chrono::minutes(5));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Restore speed of a state store from its changelog through a broker");
  string bootstrap = "127.0.0.1:9092";
  int64_t records = 1000000;
  size_t record_size = 100;
  string store_kind = "rocksdb";
  app.add_option("--bootstrap-server", bootstrap, "broker to connect to");
  app.add_option("--records", records, "changelog records (distinct keys)");
  app.add_option("--record-size", record_size, "value bytes per record");
  app.add_option("--store", store_kind, "rocksdb or memory")->check(CLI::IsMember({"rocksdb", "memory"}));
  CLI11_PARSE(app, argc, argv);

  string app_id = fmt::format("restore-perf-{}", Clock::now().time_since_epoch().count());
  string input = app_id + "-in";
  if (Status filled = fillChangelog(bootstrap, app_id + "-kv-changelog", records, record_size); !filled.isOk()) {
    fmt::print(stderr, "filling the changelog: {}\n", filled.toString());
    return 1;
  }
  auto admin = client::makeKafkaAdmin({{"bootstrap.servers", bootstrap}});
  if (!admin || !(*admin)->createTopics({{input, 1, 1, {}}}).isOk()) {
    fmt::print(stderr, "cannot create {}\n", input);
    return 1;
  }

  Topology topology;
  auto supplier = store_kind == "rocksdb" ? Stores::persistentKeyValueStore("kv") : Stores::inMemoryKeyValueStore("kv");
  bool built = topology.addSource("Source", {input}, Serdes::Bytes(), Serdes::Bytes()).isOk() &&
               topology.addProcessor("Idle", [] { return std::make_unique<Idle>(); }, {"Source"}).isOk() &&
               topology.addStateStore(Stores::keyValueStoreBuilder(supplier, Serdes::Bytes(), Serdes::Bytes()),
                                      {"Idle"}).isOk();
  if (!built) {
    fmt::print(stderr, "cannot build the topology\n");
    return 1;
  }
  auto streams = KafkaStreams::create(topology, {{"application.id", app_id},
                                                 {"bootstrap.servers", bootstrap},
                                                 {"state.dir", "/tmp/runnel-restore-perf"}});
  if (!streams) {
    fmt::print(stderr, "{}\n", streams.status().toString());
    return 1;
  }
  Timing timing;
  (*streams)->setGlobalStateRestoreListener(&timing);
  if (Status started = (*streams)->start(); !started.isOk()) {
    fmt::print(stderr, "{}\n", started.toString());
    return 1;
  }
  while (!timing.done && (*streams)->state() != KafkaStreams::State::kError) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  (*streams)->close();
  (void)(*streams)->cleanUp();
  if (!timing.done) {
    fmt::print(stderr, "the application failed before restoring\n");
    return 1;
  }
  double seconds = std::chrono::duration<double>(timing.ended - timing.started).count();
  double bytes = static_cast<double>(timing.restored) * static_cast<double>(record_size + 14);
  fmt::print("store, records, seconds, records/s, MB/s (keys and values)\n");
  fmt::print("{}, {}, {:.2f}, {:.0f}, {:.1f}\n", store_kind, timing.restored, seconds,
             static_cast<double>(timing.restored) / seconds, bytes / seconds / 1e6);
  return 0;
}
