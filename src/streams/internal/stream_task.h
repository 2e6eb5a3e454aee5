#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "client/types.h"
#include "streams/internal/checkpoint.h"
#include "streams/internal/record_queue.h"
#include "streams/internal/topology_builder.h"
#include "streams/processor.h"
#include "streams/streams_config.h"

namespace runnel::streams::internal {

class RecordCollector;
class ThreadCache;
class GlobalStateManager;
class GlobalStateStore;

// Reads a store's changelog partition back (the stream thread's restore consumer).
class ChangelogReader {
 public:
  virtual ~ChangelogReader() = default;
  // Hands the records of `partition` from `from` (kOffsetBeginning: its start) up to its
  // end offset at the time of the call to `apply`, a batch at a time, and returns the
  // offset after the last record read.
  virtual Result<int64_t> restore(const std::string& store_name, const client::TopicPartition& partition,
                                  int64_t from,
                                  const std::function<Status(std::span<const ChangelogRecord>)>& apply) = 0;
};

struct TaskId {
  int32_t sub_topology = 0;
  int32_t partition = 0;

  std::string toString() const { return std::to_string(sub_topology) + "_" + std::to_string(partition); }
  auto operator<=>(const TaskId&) const = default;
};

// What a task borrows from whoever runs it: a stream thread or the test driver.
struct TaskServices {
  const StreamsConfig* config = nullptr;
  RecordCollector* collector = nullptr;
  std::function<int64_t()> clock;  // wall-clock milliseconds
  std::filesystem::path state_dir;  // <state.dir>/<application.id>
  ChangelogReader* changelog_reader = nullptr;  // null: stores start empty (the test driver)
  ThreadCache* cache = nullptr;  // null: no store caches (statestore.cache.max.bytes 0)
  GlobalStateManager* global_stores = nullptr;   // null: the topology has no global store
};

// One partition of one sub-topology: its processor nodes, stores, input queues, stream
// time and punctuations. Runs on one thread. The same class runs under a stream thread
// and under the topology test driver.
class StreamTask {
 public:
  StreamTask(TaskId id, const BuiltTopology& topology, const SubTopology& sub_topology, TaskServices services);
  ~StreamTask();
  StreamTask(const StreamTask&) = delete;
  StreamTask& operator=(const StreamTask&) = delete;

  // Makes the nodes and stores and initializes them (processors' init()).
  [[nodiscard]] Status initialize();
  // Closes processors and stores; idempotent.
  void close();

  const TaskId& id() const { return id_; }
  // Held by the stream thread while it processes, punctuates or closes the task, and by
  // interactive queries while they read its stores.
  std::mutex& queryMutex() { return query_mutex_; }
  const std::string& idString() const { return id_string_; }
  std::vector<client::TopicPartition> inputPartitions() const;

  void addRecord(const client::MessageView& message);
  size_t buffered() const;
  size_t buffered(const client::TopicPartition& partition) const;

  // Processes the next record in timestamp order across the task's partitions; false
  // when nothing is buffered. Throws StreamsException when processing fails.
  bool process();
  // Runs the punctuators that are due; true if any ran.
  bool maybePunctuateStreamTime();
  bool maybePunctuateSystemTime();

  // The offsets to commit: the next record to process, per partition that has advanced
  // since the last call to markCommitted().
  std::vector<client::TopicPartitionOffset> committableOffsets() const;
  void markCommitted();
  bool commitNeeded() const { return commit_needed_; }
  bool commitRequested() const { return commit_requested_; }
  // Flushes the record cache (forwarding what it held downstream) and the stores; the
  // first step of a commit.
  [[nodiscard]] Status flushStores();
  // Records the changelog offsets the persistent stores have reached in
  // <task dir>/.checkpoint (Kafka's format), so that a restart restores only the tail.
  [[nodiscard]] Status writeCheckpoint();

  // Services for nodes and processor contexts.
  const StreamsConfig& config() const { return *services_.config; }
  const std::string& applicationId() const { return services_.config->applicationId(); }
  RecordCollector& collector() { return *services_.collector; }
  const std::optional<RecordMetadata>& recordMetadata() const;
  int64_t streamTime() const { return stream_time_; }
  int64_t systemTime() const { return services_.clock(); }
  Cancellable schedule(Node* node, std::chrono::milliseconds interval, PunctuationType type, Punctuator punctuator);
  void requestCommit() { commit_requested_ = true; }
  // Throws StreamsException when the node is not connected to the store.
  StateStore* stateStore(const Node* node, std::string_view name) const;
  // A global store, which every processor may read (a GlobalKTable join); throws
  // StreamsException when there is none of that name.
  GlobalStateStore& globalStore(std::string_view name) const;
  // Any store of this task by name (nullptr if none), for queries from outside.
  StateStore* findStore(std::string_view name) const;

 private:
  struct Schedule {
    Node* node;
    PunctuationType type;
    int64_t interval;
    int64_t next;
    Punctuator punctuator;
    std::shared_ptr<bool> cancelled;
  };

  // Sends a logged store's change to its changelog, in this task's partition.
  class StoreChangeLogger final : public ChangeLogger {
   public:
    StoreChangeLogger(StreamTask* task, std::string topic) : task_(task), topic_(std::move(topic)) {}
    void logChange(std::string_view key, std::optional<std::string_view> value) override;
    const std::string& topic() const { return topic_; }

   private:
    StreamTask* task_;
    std::string topic_;
  };

  Status restoreStores(const CheckpointOffsets& checkpoint);
  std::filesystem::path taskDir() const { return services_.state_dir / id_string_; }
  RecordQueue* nextQueue();
  bool decodeHead(RecordQueue& queue);
  bool punctuate(PunctuationType type, int64_t now);
  [[noreturn]] void rethrow(const char* what, const std::string& processor, const std::exception& e) const;

  TaskId id_;
  std::string id_string_;
  const BuiltTopology& topology_;
  const SubTopology& sub_topology_;
  TaskServices services_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::map<const Node*, const NodeFactory*> factory_of_;
  std::map<std::string, std::unique_ptr<StateStore>, std::less<>> stores_;
  std::vector<StateStore*> flush_order_;  // by the first node that uses each, upstream first
  std::vector<std::unique_ptr<RecordQueue>> queues_;
  std::vector<Schedule> schedules_;
  std::optional<RecordMetadata> metadata_;
  bool punctuating_ = false;
  int64_t stream_time_ = -1;
  bool commit_needed_ = false;
  bool commit_requested_ = false;
  bool initialized_ = false;
  std::map<client::TopicPartition, int64_t> committed_;
  std::vector<std::unique_ptr<StoreChangeLogger>> change_loggers_;
  // Changelog partition -> the offset its store reflects (restored, or written since).
  std::map<client::TopicPartition, int64_t> changelog_offsets_;
  int64_t current_timestamp_ = 0;  // of the record or punctuation being processed
  std::mutex query_mutex_;
};

}  // namespace runnel::streams::internal
