// The streams runtime against the project's broker, started in-process on a free port,
// through the librdkafka clients.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "client/kafka_client.h"
#include "streams/kafka_streams.h"
#include "streams/ktable.h"
#include "streams/processor.h"
#include "streams/serdes.h"
#include "streams/topology.h"
#include "streams_broker_fixture.h"

namespace runnel::streams {
namespace {

using namespace std::chrono_literals;
using std::string;

using KafkaStreamsTest = StreamsBrokerTest;

Topology evenValuesTimesTen() {
  StreamsBuilder builder;
  builder.stream<string, string>("numbers")
      .filter([](const string&, const string& v) { return std::stoi(v) % 2 == 0; })
      .mapValues([](const string& v) { return std::to_string(std::stoi(v) * 10); })
      .to("out");
  return *builder.build();
}

TEST_F(KafkaStreamsTest, RunsATopologyAndCommits) {
  createTopic("numbers", 4);
  createTopic("out", 2);
  produce("numbers", 0, 2000);

  auto streams = KafkaStreams::create(evenValuesTimesTen(), appConfig("even-app"));
  ASSERT_TRUE(streams.isOk()) << streams.status().toString();
  std::mutex mutex;
  std::vector<string> transitions;
  (*streams)->setStateListener([&](KafkaStreams::State now, KafkaStreams::State) {
    std::lock_guard lock(mutex);
    transitions.push_back(KafkaStreams::stateName(now));
  });
  std::filesystem::create_directories(std::filesystem::path(state_dir_) / "even-app" / "0_0");
  ASSERT_TRUE((*streams)->cleanUp().isOk());
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(state_dir_) / "even-app"));
  ASSERT_TRUE((*streams)->start().isOk());
  ASSERT_TRUE(waitUntil([&] { return (*streams)->state() == KafkaStreams::State::kRunning; }));
  EXPECT_EQ((*streams)->activeTaskIds(), (std::vector<string>{"0_0", "0_1", "0_2", "0_3"}));
  EXPECT_FALSE((*streams)->cleanUp().isOk());  // not while running

  auto values = consumeValues("out", 1000);
  ASSERT_EQ(values.size(), 1000u);
  std::set<int> distinct;
  for (const auto& v : values) distinct.insert(std::stoi(v));
  EXPECT_EQ(distinct.size(), 1000u);
  EXPECT_EQ(*distinct.begin(), 0);
  EXPECT_EQ(*distinct.rbegin(), 19980);

  EXPECT_TRUE((*streams)->close(30s));
  EXPECT_EQ((*streams)->state(), KafkaStreams::State::kNotRunning);
  {
    std::lock_guard lock(mutex);
    ASSERT_GE(transitions.size(), 4u);
    EXPECT_EQ(transitions.front(), "REBALANCING");
    EXPECT_EQ(transitions[transitions.size() - 2], "PENDING_SHUTDOWN");
    EXPECT_EQ(transitions.back(), "NOT_RUNNING");
  }

  // Everything processed was committed: the group's offsets are at the end.
  auto admin = client::makeKafkaAdmin({{"bootstrap.servers", bootstrap()}});
  ASSERT_TRUE(admin.isOk());
  auto offsets = (*admin)->listGroupOffsets("even-app");
  ASSERT_TRUE(offsets.isOk()) << offsets.status().toString();
  int64_t committed = 0;
  for (const auto& o : *offsets) committed += o.offset;
  EXPECT_EQ(committed, 2000);
}

TEST_F(KafkaStreamsTest, MissingSourceTopicFailsStart) {
  auto streams = KafkaStreams::create(evenValuesTimesTen(), appConfig("missing-app"));
  ASSERT_TRUE(streams.isOk());
  Status status = (*streams)->start();
  ASSERT_FALSE(status.isOk());
  EXPECT_NE(status.message().find("Missing source topics: [numbers]"), string::npos) << status.message();
}

TEST_F(KafkaStreamsTest, TwoInstancesSplitTasksAndTakeOver) {
  createTopic("numbers", 4);
  createTopic("out", 1);
  auto a = KafkaStreams::create(evenValuesTimesTen(), appConfig("shared-app"));
  auto b = KafkaStreams::create(evenValuesTimesTen(), appConfig("shared-app"));
  ASSERT_TRUE(a.isOk() && b.isOk());
  ASSERT_TRUE((*a)->start().isOk());
  ASSERT_TRUE(waitUntil([&] { return (*a)->state() == KafkaStreams::State::kRunning; }));
  ASSERT_TRUE((*b)->start().isOk());
  ASSERT_TRUE(waitUntil([&] {
    return (*a)->state() == KafkaStreams::State::kRunning && (*b)->state() == KafkaStreams::State::kRunning &&
           (*a)->activeTaskIds().size() == 2 && (*b)->activeTaskIds().size() == 2;
  })) << (*a)->activeTaskIds().size() << " " << (*b)->activeTaskIds().size();
  std::set<string> all;
  for (const auto& id : (*a)->activeTaskIds()) all.insert(id);
  for (const auto& id : (*b)->activeTaskIds()) all.insert(id);
  EXPECT_EQ(all, (std::set<string>{"0_0", "0_1", "0_2", "0_3"}));

  produce("numbers", 0, 1000);
  ASSERT_EQ(consumeValues("out", 500).size(), 500u);

  // B leaves: A takes its tasks over and processes what comes next.
  EXPECT_TRUE((*b)->close(30s));
  ASSERT_TRUE(waitUntil([&] { return (*a)->activeTaskIds().size() == 4; }));
  produce("numbers", 1000, 1000);
  auto values = consumeValues("out", 1000);
  std::set<string> distinct(values.begin(), values.end());
  EXPECT_EQ(distinct.size(), 1000u);
  EXPECT_TRUE((*a)->close(30s));
}

TEST_F(KafkaStreamsTest, RepartitionTopicIsCreatedAndUsed) {
  createTopic("numbers", 3);
  createTopic("out", 1);
  StreamsBuilder builder;
  builder.stream<string, string>("numbers")
      .selectKey([](const string&, const string& v) { return "k" + std::to_string(std::stoi(v) % 5); })
      .repartition(Repartitioned<string, string>::as("by-mod"))
      .mapValues([](const string& k, const string& v) { return k + ":" + v; })
      .to("out");
  auto streams = KafkaStreams::create(*builder.build(), appConfig("repart-app"));
  ASSERT_TRUE(streams.isOk());
  ASSERT_TRUE((*streams)->start().isOk());
  produce("numbers", 0, 300);
  auto values = consumeValues("out", 300);
  ASSERT_EQ(values.size(), 300u);
  for (const auto& v : values) {
    auto colon = v.find(':');
    ASSERT_NE(colon, string::npos);
    EXPECT_EQ(v.substr(0, colon), "k" + std::to_string(std::stoi(v.substr(colon + 1)) % 5));
  }
  auto admin = client::makeKafkaAdmin({{"bootstrap.servers", bootstrap()}});
  auto metadata = (*admin)->metadata(std::vector<string>{"repart-app-by-mod-repartition"});
  ASSERT_TRUE(metadata.isOk());
  ASSERT_EQ(metadata->topics.size(), 1u);
  EXPECT_EQ(metadata->topics[0].partitions.size(), 3u);
  // Six tasks: three per sub-topology.
  EXPECT_EQ((*streams)->activeTaskIds(), (std::vector<string>{"0_0", "0_1", "0_2", "1_0", "1_1", "1_2"}));
  EXPECT_TRUE((*streams)->close(30s));
}

// Scores keyed by their value's first character, joined with a players table.
Topology scoresJoinPlayers() {
  StreamsBuilder builder;
  auto players = builder.table("players", Consumed<string, string>::with(Serdes::String(), Serdes::String()),
                               Materialized<string, string>::as("players-store"));
  builder.stream<string, string>("scores")
      .selectKey([](const string&, const string& v) { return v.substr(0, 1); })
      .join(players, [](const string& score, const string& player) { return player + ":" + score; })
      .to("joined");
  return *builder.build();
}

TEST_F(KafkaStreamsTest, JoinedTopicsMustBeCopartitioned) {
  createTopic("players", 2);
  createTopic("scores", 4);
  StreamsBuilder builder;
  auto players = builder.table("players", Consumed<string, string>::with(Serdes::String(), Serdes::String()),
                               Materialized<string, string>::as("players-store"));
  builder.stream<string, string>("scores")
      .join(players, [](const string& score, const string& player) { return player + ":" + score; })
      .to("joined");
  auto streams = KafkaStreams::create(*builder.build(), appConfig("copartition-app"));
  ASSERT_TRUE(streams.isOk());
  Status status = (*streams)->start();
  ASSERT_FALSE(status.isOk());
  EXPECT_NE(status.message().find("Topics not co-partitioned: [players (2 partitions), scores (4 partitions)]"),
            string::npos)
      << status.message();
}

TEST_F(KafkaStreamsTest, RepartitionBeforeAJoinTakesTheTablePartitions) {
  createTopic("players", 2);
  createTopic("scores", 4);
  createTopic("joined", 1);
  auto streams = KafkaStreams::create(scoresJoinPlayers(), appConfig("join-app"));
  ASSERT_TRUE(streams.isOk());
  ASSERT_TRUE((*streams)->start().isOk());
  auto producer = client::makeKafkaProducer({{"bootstrap.servers", bootstrap()}});
  for (const char* id : {"a", "b", "c"}) {
    client::ProducerRecord player{"players", client::ProducerRecord::kAnyPartition, id, string("player-") + id, {}, 0};
    ASSERT_TRUE((*producer)->send(player).isOk());
  }
  ASSERT_TRUE((*producer)->flush(10s).isOk());
  ASSERT_TRUE(waitUntil([&] { return (*streams)->state() == KafkaStreams::State::kRunning; }));
  std::this_thread::sleep_for(500ms);  // the table is read before the scores arrive
  for (const char* score : {"a1", "b2", "c3", "a4"}) {
    client::ProducerRecord record{"scores", client::ProducerRecord::kAnyPartition, "k", score, {}, 0};
    ASSERT_TRUE((*producer)->send(record).isOk());
  }
  ASSERT_TRUE((*producer)->flush(10s).isOk());
  auto values = consumeValues("joined", 4);
  std::set<string> joined(values.begin(), values.end());
  EXPECT_EQ(joined, (std::set<string>{"player-a:a1", "player-b:b2", "player-c:c3", "player-a:a4"}));
  auto admin = client::makeKafkaAdmin({{"bootstrap.servers", bootstrap()}});
  auto internal_topics = (*admin)->metadata(std::nullopt);
  ASSERT_TRUE(internal_topics.isOk());
  for (const auto& topic : internal_topics->topics) {
    if (topic.name.ends_with("-repartition")) {
      EXPECT_EQ(topic.partitions.size(), 2u) << topic.name;
    }
  }
  EXPECT_TRUE((*streams)->close(30s));
}

TEST_F(KafkaStreamsTest, FailuresReachTheHandler) {
  createTopic("numbers", 1);
  StreamsBuilder builder;
  std::atomic<int> calls = 0;
  builder.stream<string, string>("numbers").foreach ([&](const string&, const string& v) {
    if (v == "13" && calls++ == 0) throw std::runtime_error("unlucky");
  });
  auto topology = *builder.build();

  // REPLACE_THREAD: a new thread takes over and redoes the uncommitted records.
  auto replaced = KafkaStreams::create(topology, appConfig("replace-app"));
  ASSERT_TRUE(replaced.isOk());
  std::atomic<int> handled = 0;
  (*replaced)->setUncaughtExceptionHandler([&](const std::exception& e) {
    EXPECT_NE(string(e.what()).find("unlucky"), string::npos);
    ++handled;
    return KafkaStreams::ExceptionResponse::kReplaceThread;
  });
  ASSERT_TRUE((*replaced)->start().isOk());
  produce("numbers", 0, 50);
  ASSERT_TRUE(waitUntil([&] { return handled == 1 && (*replaced)->state() == KafkaStreams::State::kRunning; }));
  EXPECT_TRUE((*replaced)->close(30s));
  EXPECT_EQ((*replaced)->state(), KafkaStreams::State::kNotRunning);

  // SHUTDOWN_CLIENT (the default): the client ends in ERROR.
  calls = 0;
  auto failed = KafkaStreams::create(topology, appConfig("fail-app"));
  ASSERT_TRUE(failed.isOk());
  ASSERT_TRUE((*failed)->start().isOk());
  ASSERT_TRUE(waitUntil([&] { return (*failed)->state() == KafkaStreams::State::kError; }));
  EXPECT_TRUE((*failed)->close(30s));
  EXPECT_EQ((*failed)->state(), KafkaStreams::State::kError);
}

TEST_F(KafkaStreamsTest, PausedThreadsStayInTheGroupButProcessNothingUntilResumed) {
  createTopic("numbers", 2);
  StreamsBuilder builder;
  std::atomic<int> processed = 0;
  builder.stream<string, string>("numbers").foreach ([&](const string&, const string&) { ++processed; });
  auto streams = KafkaStreams::create(*builder.build(), appConfig("pause-app"));
  ASSERT_TRUE(streams.isOk());
  ASSERT_TRUE((*streams)->start().isOk());
  produce("numbers", 0, 100);
  ASSERT_TRUE(waitUntil([&] { return processed == 100; }));
  auto tasks = (*streams)->activeTaskIds();

  (*streams)->pause();
  EXPECT_TRUE((*streams)->isPaused());
  produce("numbers", 100, 100);
  // Longer than session.timeout.ms: a thread that stopped polling would lose its tasks.
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(processed, 100);
  EXPECT_EQ((*streams)->state(), KafkaStreams::State::kRunning);
  EXPECT_EQ((*streams)->activeTaskIds(), tasks);

  (*streams)->resume();
  EXPECT_FALSE((*streams)->isPaused());
  ASSERT_TRUE(waitUntil([&] { return processed == 200; }));
  EXPECT_TRUE((*streams)->close(30s));
}

// Sends `values` to partition `partition` of `topic`, each with its timestamp (not 0,
// which the producer turns into now).
void produceTimed(const string& bootstrap, const string& topic, int32_t partition,
                  const std::vector<std::pair<string, int64_t>>& values) {
  auto producer = client::makeKafkaProducer({{"bootstrap.servers", bootstrap}});
  ASSERT_TRUE(producer.isOk());
  for (const auto& [value, timestamp] : values) {
    client::ProducerRecord record{topic, partition, "k", value, {}, timestamp};
    ASSERT_TRUE((*producer)->send(record).isOk());
  }
  ASSERT_TRUE((*producer)->flush(10s).isOk());
}

int64_t committedOffsets(const string& bootstrap, const string& group) {
  auto admin = client::makeKafkaAdmin({{"bootstrap.servers", bootstrap}});
  EXPECT_TRUE(admin.isOk());
  auto offsets = (*admin)->listGroupOffsets(group);
  EXPECT_TRUE(offsets.isOk()) << offsets.status().toString();
  int64_t committed = 0;
  if (offsets.isOk()) {
    for (const auto& o : *offsets) committed += o.offset;
  }
  return committed;
}

// Forwards every record and notes which thread processed which task.
struct ThreadsOfTasks {
  std::mutex mutex;
  std::map<string, std::set<std::thread::id>> threads;
  std::atomic<int> processed = 0;
};

class ThreadRecorder : public Processor<string, string, string, string> {
 public:
  explicit ThreadRecorder(ThreadsOfTasks* seen) : seen_(seen) {}
  void init(ProcessorContext<string, string>& context) override { context_ = &context; }
  void process(const Record<string, string>& record) override {
    {
      std::lock_guard lock(seen_->mutex);
      seen_->threads[context_->taskId()].insert(std::this_thread::get_id());
    }
    ++seen_->processed;
    context_->forward(record);
  }

 private:
  ThreadsOfTasks* seen_;
  ProcessorContext<string, string>* context_ = nullptr;
};

TEST_F(KafkaStreamsTest, TwoStreamThreadsSplitTheTasks) {
  createTopic("numbers", 4);
  createTopic("out", 1);
  ThreadsOfTasks seen;
  Topology topology;
  ASSERT_TRUE(topology.addSource("Source", {"numbers"}, Serdes::String(), Serdes::String()).isOk());
  ASSERT_TRUE(topology.addProcessor("Record", [&] { return std::make_unique<ThreadRecorder>(&seen); }, {"Source"})
                  .isOk());
  ASSERT_TRUE(topology.addSink("Sink", "out", Serdes::String(), Serdes::String(), {"Record"}).isOk());
  auto config = appConfig("two-threads-app");
  config["num.stream.threads"] = "2";
  auto streams = KafkaStreams::create(topology, config);
  ASSERT_TRUE(streams.isOk()) << streams.status().toString();
  ASSERT_TRUE((*streams)->start().isOk());
  // RUNNING once every thread has its assignment, so the group has both members.
  ASSERT_TRUE(waitUntil([&] {
    return (*streams)->state() == KafkaStreams::State::kRunning && (*streams)->activeTaskIds().size() == 4;
  }));
  EXPECT_EQ((*streams)->activeTaskIds(), (std::vector<string>{"0_0", "0_1", "0_2", "0_3"}));

  produce("numbers", 0, 2000);
  auto values = consumeValues("out", 2000);
  ASSERT_EQ(values.size(), 2000u);
  std::set<int> distinct;
  for (const auto& v : values) distinct.insert(std::stoi(v));
  EXPECT_EQ(distinct.size(), 2000u);
  EXPECT_EQ(*distinct.begin(), 0);
  EXPECT_EQ(*distinct.rbegin(), 1999);

  EXPECT_TRUE((*streams)->close(30s));
  EXPECT_EQ((*streams)->state(), KafkaStreams::State::kNotRunning);
  EXPECT_EQ(seen.processed, 2000);
  // Each task ran on one thread, and both threads ran tasks.
  std::set<std::thread::id> threads;
  for (const auto& [task, task_threads] : seen.threads) {
    EXPECT_EQ(task_threads.size(), 1u) << task;
    threads.insert(task_threads.begin(), task_threads.end());
  }
  EXPECT_EQ(seen.threads.size(), 4u);
  EXPECT_EQ(threads.size(), 2u);
  EXPECT_EQ(committedOffsets(bootstrap(), "two-threads-app"), 2000);
}

// Asks for a commit when it sees the value "commit".
class CommitOnRequest : public Processor<string, string> {
 public:
  explicit CommitOnRequest(std::atomic<int>* processed) : processed_(processed) {}
  void init(ProcessorContext<Void, Void>& context) override { context_ = &context; }
  void process(const Record<string, string>& record) override {
    if (record.value() == "commit") context_->commit();
    ++*processed_;
  }

 private:
  std::atomic<int>* processed_;
  ProcessorContext<Void, Void>* context_ = nullptr;
};

TEST_F(KafkaStreamsTest, ProcessorContextCommitCommitsBeforeTheInterval) {
  createTopic("numbers", 1);
  std::atomic<int> processed = 0;
  Topology topology;
  ASSERT_TRUE(topology.addSource("Source", {"numbers"}, Serdes::String(), Serdes::String()).isOk());
  ASSERT_TRUE(topology
                  .addProcessor("Commit", [&] { return std::make_unique<CommitOnRequest>(&processed); }, {"Source"})
                  .isOk());
  auto config = appConfig("commit-request-app");
  config["commit.interval.ms"] = "600000";
  auto streams = KafkaStreams::create(topology, config);
  ASSERT_TRUE(streams.isOk()) << streams.status().toString();
  ASSERT_TRUE((*streams)->start().isOk());
  ASSERT_TRUE(waitUntil([&] { return (*streams)->state() == KafkaStreams::State::kRunning; }));

  produceTimed(bootstrap(), "numbers", 0, {{"a", 1000}, {"b", 2000}, {"c", 3000}});
  ASSERT_TRUE(waitUntil([&] { return processed == 3; }));
  // Processed, but the commit interval is ten minutes away.
  EXPECT_EQ(committedOffsets(bootstrap(), "commit-request-app"), 0);

  produceTimed(bootstrap(), "numbers", 0, {{"commit", 4000}});
  EXPECT_TRUE(waitUntil([&] { return committedOffsets(bootstrap(), "commit-request-app") == 4; }));
  EXPECT_EQ(processed, 4);
  EXPECT_TRUE((*streams)->close(30s));
}

// Notes its punctuations per task (and whether a record was current meanwhile) and the
// partition of each record.
struct PunctuationLog {
  std::mutex mutex;
  std::map<string, std::vector<int64_t>> stream_time;
  std::map<string, std::vector<int64_t>> wall_clock;
  std::map<string, int32_t> partition_of_value;
  bool metadata_while_punctuating = false;
};

class Punctuating : public Processor<string, string> {
 public:
  explicit Punctuating(PunctuationLog* log) : log_(log) {}
  void init(ProcessorContext<Void, Void>& context) override {
    context_ = &context;
    context.schedule(100ms, PunctuationType::kWallClockTime,
                     [this](int64_t timestamp) { note(log_->wall_clock, timestamp); });
    context.schedule(1000ms, PunctuationType::kStreamTime,
                     [this](int64_t timestamp) { note(log_->stream_time, timestamp); });
  }
  void process(const Record<string, string>& record) override {
    std::lock_guard lock(log_->mutex);
    log_->partition_of_value[record.value()] = context_->recordMetadata()->partition;
  }

 private:
  void note(std::map<string, std::vector<int64_t>>& punctuations, int64_t timestamp) {
    std::lock_guard lock(log_->mutex);
    punctuations[context_->taskId()].push_back(timestamp);
    if (context_->recordMetadata()) log_->metadata_while_punctuating = true;
  }

  PunctuationLog* log_;
  ProcessorContext<Void, Void>* context_ = nullptr;
};

TEST_F(KafkaStreamsTest, StreamThreadRunsWallClockAndStreamTimePunctuators) {
  createTopic("numbers", 2);
  PunctuationLog log;
  Topology topology;
  ASSERT_TRUE(topology.addSource("Source", {"numbers"}, Serdes::String(), Serdes::String()).isOk());
  ASSERT_TRUE(
      topology.addProcessor("Punctuate", [&] { return std::make_unique<Punctuating>(&log); }, {"Source"}).isOk());
  auto streams = KafkaStreams::create(topology, appConfig("punctuate-app"));
  ASSERT_TRUE(streams.isOk()) << streams.status().toString();
  int64_t started_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch()).count();
  ASSERT_TRUE((*streams)->start().isOk());
  ASSERT_TRUE(waitUntil([&] { return (*streams)->state() == KafkaStreams::State::kRunning; }));

  produceTimed(bootstrap(), "numbers", 1, {{"p1-a", 1000}, {"p1-b", 1500}, {"p1-c", 2500}, {"p1-d", 5000}});
  produceTimed(bootstrap(), "numbers", 0, {{"p0-a", 7000}});
  auto punctuated = [&] {
    std::lock_guard lock(log.mutex);
    return log.partition_of_value.size() == 5 && log.wall_clock["0_0"].size() >= 3 &&
           log.wall_clock["0_1"].size() >= 3;
  };
  ASSERT_TRUE(waitUntil(punctuated));
  EXPECT_TRUE((*streams)->close(30s));

  std::lock_guard lock(log.mutex);
  // Stream time: on its first advance, then at each grid point it reaches, per task.
  EXPECT_EQ(log.stream_time["0_1"], (std::vector<int64_t>{1000, 2500, 5000}));
  EXPECT_EQ(log.stream_time["0_0"], (std::vector<int64_t>{7000}));
  // Wall-clock time: one interval after schedule(), then at most once per grid point.
  for (const auto& [task, times] : log.wall_clock) {
    for (size_t i = 0; i < times.size(); ++i) {
      EXPECT_GE(times[i], started_ms + 100 * static_cast<int64_t>(i + 1)) << task;
      if (i > 0) {
        EXPECT_GT(times[i], times[i - 1]) << task;
      }
    }
  }
  EXPECT_FALSE(log.metadata_while_punctuating);
  EXPECT_EQ(log.partition_of_value,
            (std::map<string, int32_t>{{"p0-a", 0}, {"p1-a", 1}, {"p1-b", 1}, {"p1-c", 1}, {"p1-d", 1}}));
}

}  // namespace
}  // namespace runnel::streams
