#pragma once

#include <atomic>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "client/consumer.h"
#include "client/producer.h"
#include "streams/internal/record_collector.h"
#include "streams/internal/stream_task.h"
#include "streams/internal/topology_builder.h"
#include "streams/kafka_streams.h"
#include "streams/streams_config.h"

namespace runnel::streams::internal {

// A stream thread's clients are named "<process id>-StreamThread-<n>-<client>", as Kafka
// names them: the process id of a group member is that prefix (none for other clients).
std::optional<std::string> processIdOf(const std::string& client_id);

// One processing thread: owns a consumer in the application's group, a producer, the
// tasks of the partitions the group assigns it, and their stores. Tasks are made and
// closed inside the consumer's rebalance callbacks, which run on this thread.
class StreamThread final : public client::RebalanceListener, public ChangelogReader {
 public:
  enum class State { kCreated, kStarting, kPartitionsRevoked, kPartitionsAssigned, kRunning, kPendingShutdown, kDead };
  struct Callbacks {
    std::function<void()> state_changed;
    // The thread failed and stopped; called on the thread, after it has cleaned up.
    std::function<void(const std::exception&)> failed;
    // A task is about to open its stores here, and has closed them (standby replicas
    // step aside meanwhile). Optional.
    std::function<void(const TaskId&)> task_opening;
    std::function<void(const TaskId&)> task_closed;
    // Whether the application is paused (KafkaStreams::pause): the thread keeps polling,
    // and so its place in the group, but neither processes nor punctuates. Optional.
    std::function<bool()> paused;
  };

  // `global_stores`: the instance's global stores (null without any), read by joins.
  StreamThread(std::string client_id, const StreamsConfig& config, const BuiltTopology& topology,
               KafkaClientSupplier& clients, StateRestoreListener* restore_listener, Callbacks callbacks,
               GlobalStateManager* global_stores = nullptr);
  ~StreamThread() override;

  [[nodiscard]] Status start();
  // Asks the loop to stop; join() waits for the commit and the clean-up.
  void shutdown() { running_ = false; }
  void join();

  State state() const { return state_.load(); }
  const std::string& clientId() const { return client_id_; }
  std::vector<std::string> activeTaskIds() const;
  // Calls `fn` with the store named `name` of every active task, each under its task's
  // query lock, for interactive queries from other threads.
  void forEachStore(std::string_view name, const std::function<void(StateStore&)>& fn) const;

  void onPartitionsAssigned(const std::vector<client::TopicPartition>& partitions) override;
  void onPartitionsRevoked(const std::vector<client::TopicPartition>& partitions) override;
  void onPartitionsLost(const std::vector<client::TopicPartition>& partitions) override;

  // Restores with a consumer of its own (assigned, no group) and the admin client's end
  // offsets, inside the rebalance that assigned the task.
  Result<int64_t> restore(const std::string& store_name, const client::TopicPartition& partition, int64_t from,
                          const std::function<Status(std::span<const ChangelogRecord>)>& apply) override;

 private:
  void run();
  void loop();
  void poll(std::chrono::milliseconds timeout);
  // Processes buffered records task by task; returns how many.
  size_t processBuffered();
  void punctuateWallClock();
  void maybeCommit(bool force);
  // Throws StreamsException when the producer, a store or the consumer fails.
  void commit(const std::vector<StreamTask*>& tasks);
  void closeTasks(const std::vector<client::TopicPartition>& partitions, bool clean);
  void resumeDrained();
  void setState(State state);
  StreamTask* taskOf(std::string_view topic, int32_t partition);

  std::string client_id_;
  const StreamsConfig& config_;
  const BuiltTopology& topology_;
  KafkaClientSupplier& clients_;
  StateRestoreListener* restore_listener_;
  Callbacks callbacks_;
  GlobalStateManager* global_stores_;
  std::unique_ptr<client::Consumer> restore_consumer_;
  std::unique_ptr<client::Admin> admin_;
  std::unique_ptr<client::Producer> producer_;
  std::unique_ptr<RecordCollector> collector_;
  std::unique_ptr<client::Consumer> consumer_;
  std::unique_ptr<ThreadCache> cache_;  // null: caching off; outlives the tasks' stores
  std::map<TaskId, std::unique_ptr<StreamTask>> tasks_;
  struct Route {
    std::string topic;
    int32_t partition;
    StreamTask* task;
  };
  std::vector<Route> routes_;  // input partition -> task, scanned linearly (few entries)
  std::set<client::TopicPartition> paused_;
  // A failure inside a rebalance callback, rethrown once the poll that ran it returns:
  // exceptions must not cross librdkafka's C frames.
  std::exception_ptr pending_error_;
  std::atomic<State> state_{State::kCreated};
  std::atomic<bool> running_{false};
  int64_t last_commit_ms_ = 0;
  std::thread thread_;
  // Guards changes to tasks_ (made on this thread) against readers on other threads
  // (activeTaskIds, forEachStore); this thread reads tasks_ without it.
  mutable std::mutex tasks_mutex_;
  std::vector<std::string> task_ids_;
};

}  // namespace runnel::streams::internal
