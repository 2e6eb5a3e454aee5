#include "streams/internal/stream_thread.h"

#include <algorithm>
#include <chrono>

#include "streams/internal/changelog_batch.h"
#include "streams/internal/log.h"
#include "streams/internal/thread_cache.h"

namespace runnel::streams::internal {
namespace {

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Records processed per task before the thread moves on to the next task, punctuates
// and polls again: large enough to amortize the loop, small enough to stay fair.
constexpr size_t kRecordsPerTaskTurn = 1000;
constexpr size_t kMaxPollRecords = 1000;  // Kafka Streams' max.poll.records

}  // namespace

std::optional<std::string> processIdOf(const std::string& client_id) {
  auto marker = client_id.find("-StreamThread-");
  if (marker == std::string::npos) return std::nullopt;
  return client_id.substr(0, marker);
}

StreamThread::StreamThread(std::string client_id, const StreamsConfig& config, const BuiltTopology& topology,
                           KafkaClientSupplier& clients, StateRestoreListener* restore_listener,
                           Callbacks callbacks, GlobalStateManager* global_stores)
    : client_id_(std::move(client_id)), config_(config), topology_(topology), clients_(clients),
      restore_listener_(restore_listener), callbacks_(std::move(callbacks)), global_stores_(global_stores) {}

StreamThread::~StreamThread() {
  shutdown();
  join();
}

Status StreamThread::start() {
  RUNNEL_ASSIGN_OR_RETURN(producer_, clients_.getProducer(config_.producerConfig(client_id_ + "-producer")));
  collector_ = std::make_unique<RecordCollector>(producer_.get(), config_.productionHandling());
  if (config_.cacheMaxBytes() > 0) {
    cache_ = std::make_unique<ThreadCache>(static_cast<size_t>(config_.cacheMaxBytes() / config_.numStreamThreads()));
  }
  RUNNEL_ASSIGN_OR_RETURN(consumer_, clients_.getConsumer(config_.consumerConfig(client_id_ + "-consumer"), this));
  std::vector<std::string> topics;
  for (const auto& sub : topology_.sub_topologies) {
    topics.insert(topics.end(), sub.source_topics.begin(), sub.source_topics.end());
  }
  RUNNEL_RETURN_IF_ERROR(consumer_->subscribe(topics));
  running_ = true;
  setState(State::kStarting);
  thread_ = std::thread([this] { run(); });
  return Status::ok();
}

void StreamThread::join() {
  if (thread_.joinable()) thread_.join();
}

void StreamThread::setState(State state) {
  state_ = state;
  if (callbacks_.state_changed) callbacks_.state_changed();
}

std::vector<std::string> StreamThread::activeTaskIds() const {
  std::lock_guard lock(tasks_mutex_);
  return task_ids_;
}

void StreamThread::run() {
  last_commit_ms_ = nowMs();
  try {
    loop();
    setState(State::kPendingShutdown);
    maybeCommit(true);
    // Leaving the group revokes every partition, which closes the tasks.
    Status status = consumer_->close();
    if (!status.isOk()) log().warn("stream-thread [{}] consumer close: {}", client_id_, status.toString());
    closeTasks({}, true);
    setState(State::kDead);
  } catch (const std::exception& error) {
    log().error("stream-thread [{}] Encountered the following exception during processing and the thread is going "
                  "to shut down: {}", client_id_, error.what());
    // Offsets are not committed: what was processed since the last commit is redone by
    // whoever takes the tasks over (at-least-once).
    closeTasks({}, false);
    (void)consumer_->close();
    setState(State::kDead);
    if (callbacks_.failed) callbacks_.failed(error);
  }
}

void StreamThread::loop() {
  auto paused = [this] { return callbacks_.paused && callbacks_.paused(); };
  while (running_) {
    size_t buffered = 0;
    for (const auto& [id, task] : tasks_) buffered += task->buffered();
    // Paused, buffered records wait: back-pressure stops fetching their partitions.
    bool busy = buffered > 0 && !paused();
    poll(busy ? std::chrono::milliseconds(0) : std::chrono::milliseconds(config_.pollMs()));
    // Asked again after the poll: what arrived after pause() returned is not processed.
    if (!paused()) {
      processBuffered();
      punctuateWallClock();
    }
    collector_->poll();
    maybeCommit(false);
  }
}

void StreamThread::poll(std::chrono::milliseconds timeout) {
  pending_error_ = nullptr;
  auto handed = consumer_->pollBatch(timeout, kMaxPollRecords, [this](const client::MessageView& message) {
    if (StreamTask* task = taskOf(message.topic, message.partition)) task->addRecord(message);
  });
  if (pending_error_) std::rethrow_exception(pending_error_);
  if (!handed.isOk()) throw StreamsException("stream-thread [" + client_id_ + "] poll failed: " +
                                             handed.status().toString());
  // Back-pressure: stop fetching partitions whose queue is full until they drain.
  std::vector<client::TopicPartition> full;
  for (const auto& route : routes_) {
    client::TopicPartition partition{route.topic, route.partition};
    if (!paused_.contains(partition) &&
        route.task->buffered(partition) > static_cast<size_t>(config_.bufferedRecordsPerPartition())) {
      full.push_back(partition);
    }
  }
  if (!full.empty()) {
    Status status = consumer_->pause(full);
    if (status.isOk()) paused_.insert(full.begin(), full.end());
  }
}

StreamTask* StreamThread::taskOf(std::string_view topic, int32_t partition) {
  for (const auto& route : routes_) {
    if (route.partition == partition && route.topic == topic) return route.task;
  }
  log().warn("stream-thread [{}] got a record of {}-{}, which no task of it reads", client_id_, topic, partition);
  return nullptr;
}

size_t StreamThread::processBuffered() {
  size_t processed = 0;
  for (auto& [id, task] : tasks_) {
    if (task->buffered() == 0) continue;
    // Interactive queries read the task's stores between turns, never during one.
    std::lock_guard lock(task->queryMutex());
    for (size_t n = 0; n < kRecordsPerTaskTurn && task->process(); ++n) {
      task->maybePunctuateStreamTime();
      ++processed;
    }
  }
  if (!paused_.empty()) resumeDrained();
  return processed;
}

void StreamThread::resumeDrained() {
  std::vector<client::TopicPartition> drained;
  for (const auto& partition : paused_) {
    StreamTask* task = taskOf(partition.topic, partition.partition);
    if (task == nullptr || task->buffered(partition) == 0) drained.push_back(partition);
  }
  if (drained.empty()) return;
  Status status = consumer_->resume(drained);
  if (!status.isOk()) log().warn("stream-thread [{}] resume: {}", client_id_, status.toString());
  for (const auto& partition : drained) paused_.erase(partition);
}

void StreamThread::punctuateWallClock() {
  for (auto& [id, task] : tasks_) {
    std::lock_guard lock(task->queryMutex());
    task->maybePunctuateSystemTime();
  }
}

void StreamThread::forEachStore(std::string_view name, const std::function<void(StateStore&)>& fn) const {
  std::lock_guard lock(tasks_mutex_);
  for (const auto& [id, task] : tasks_) {
    std::lock_guard query_lock(task->queryMutex());
    if (StateStore* store = task->findStore(name)) fn(*store);
  }
}

void StreamThread::maybeCommit(bool force) {
  int64_t now = nowMs();
  bool due = force || now - last_commit_ms_ >= config_.commitIntervalMs();
  std::vector<StreamTask*> to_commit;
  for (auto& [id, task] : tasks_) {
    if ((due && task->commitNeeded()) || task->commitRequested()) to_commit.push_back(task.get());
  }
  if (due) last_commit_ms_ = now;
  if (!to_commit.empty()) commit(to_commit);
}

void StreamThread::commit(const std::vector<StreamTask*>& tasks) {
  // State and output first (flushing the caches produces output), then the input
  // offsets: a crash in between only repeats work.
  std::vector<client::TopicPartitionOffset> offsets;
  for (StreamTask* task : tasks) {
    std::lock_guard lock(task->queryMutex());
    Status status = task->flushStores();
    if (!status.isOk()) throw StreamsException("task " + task->idString() + ": " + status.toString());
    auto task_offsets = task->committableOffsets();
    offsets.insert(offsets.end(), task_offsets.begin(), task_offsets.end());
  }
  Status status = collector_->flush(std::chrono::milliseconds(config_.commitIntervalMs() + 60000));
  if (!status.isOk()) throw StreamsException("stream-thread [" + client_id_ + "] " + status.message());
  if (!offsets.empty()) {
    status = consumer_->commitSync(offsets);
    if (!status.isOk()) {
      // Kafka Streams treats a failed commit (e.g. after losing the partitions) as a
      // reason to rejoin, not to die: the new owner redoes the uncommitted records.
      log().warn("stream-thread [{}] Failed to commit offsets: {}", client_id_, status.toString());
      return;
    }
  }
  for (StreamTask* task : tasks) {
    task->markCommitted();
    status = task->writeCheckpoint();
    if (!status.isOk()) log().warn("task {}: {}", task->idString(), status.toString());
  }
}

Result<int64_t> StreamThread::restore(const std::string& store_name, const client::TopicPartition& partition,
                                      int64_t from,
                                      const std::function<Status(std::span<const ChangelogRecord>)>& apply) {
  if (!admin_) {
    RUNNEL_ASSIGN_OR_RETURN(admin_, clients_.getAdmin(config_.adminConfig()));
  }
  RUNNEL_ASSIGN_OR_RETURN(auto ends, admin_->listOffsets({partition}, client::OffsetSpec::latest()));
  RUNNEL_ASSIGN_OR_RETURN(auto starts, admin_->listOffsets({partition}, client::OffsetSpec::earliest()));
  int64_t end = ends.empty() ? 0 : ends[0].offset;
  int64_t start = std::max(from, starts.empty() ? int64_t{0} : starts[0].offset);
  if (start >= end) return end;
  if (!restore_consumer_) {
    client::ClientConfig restore_config = config_.consumerConfig(client_id_ + "-restore-consumer");
    restore_config.erase("group.id");  // assigned by hand: no group, no commits
    restore_config.erase("partition.assignment.strategy");
    RUNNEL_ASSIGN_OR_RETURN(restore_consumer_, clients_.getConsumer(restore_config, nullptr));
  }
  RUNNEL_RETURN_IF_ERROR(restore_consumer_->assign({{partition.topic, partition.partition, start}}));
  if (restore_listener_) restore_listener_->onRestoreStart(partition, store_name, start, end);
  int64_t position = start;
  int64_t total = 0;
  ChangelogBatch batch;
  while (position < end && running_) {
    batch.clear();
    RUNNEL_ASSIGN_OR_RETURN(size_t n, restore_consumer_->pollBatch(std::chrono::milliseconds(100), 10000,
                                                                   [&](const client::MessageView& m) {
                                                                     batch.add(m);
                                                                     position = m.offset + 1;
                                                                   }));
    if (n == 0) continue;
    RUNNEL_RETURN_IF_ERROR(batch.forEachRun([&](size_t, std::span<const ChangelogRecord> records) {
      total += static_cast<int64_t>(records.size());
      return apply(records);
    }));
    if (restore_listener_) restore_listener_->onBatchRestored(partition, store_name, position, static_cast<int64_t>(n));
  }
  RUNNEL_RETURN_IF_ERROR(restore_consumer_->assign({}));
  if (restore_listener_) restore_listener_->onRestoreEnd(partition, store_name, total);
  log().info("stream-thread [{}] restored {} records of {} into store {}", client_id_, total,
             partition.topic + "-" + std::to_string(partition.partition), store_name);
  return position;
}

void StreamThread::onPartitionsAssigned(const std::vector<client::TopicPartition>& partitions) {
  try {
    setState(State::kPartitionsAssigned);
    std::map<TaskId, bool> wanted;
    for (const auto& partition : partitions) {
      auto sub = topology_.sub_topology_of_topic.find(partition.topic);
      if (sub != topology_.sub_topology_of_topic.end()) wanted[{sub->second, partition.partition}] = true;
    }
    TaskServices services;
    services.config = &config_;
    services.collector = collector_.get();
    services.clock = nowMs;
    services.state_dir = std::filesystem::path(config_.stateDir()) / config_.applicationId();
    services.changelog_reader = this;
    services.cache = cache_.get();
    services.global_stores = global_stores_;
    for (const auto& [id, unused] : wanted) {
      if (tasks_.contains(id)) continue;
      const SubTopology& sub = topology_.subTopology(id.sub_topology);
      if (callbacks_.task_opening) callbacks_.task_opening(id);
      auto task = std::make_unique<StreamTask>(id, topology_, sub, services);
      Status status = task->initialize();
      if (!status.isOk()) throw StreamsException("task " + id.toString() + " failed to initialize: " + status.message());
      for (const auto& partition : task->inputPartitions()) routes_.push_back({partition.topic, partition.partition, task.get()});
      std::lock_guard lock(tasks_mutex_);
      tasks_[id] = std::move(task);
    }
    {
      std::lock_guard lock(tasks_mutex_);
      task_ids_.clear();
      for (const auto& [id, task] : tasks_) task_ids_.push_back(id.toString());
    }
    log().info("stream-thread [{}] assigned {} partitions, running tasks [{}]", client_id_, partitions.size(),
                 fmt::join(task_ids_, ", "));
    setState(State::kRunning);
  } catch (...) {
    pending_error_ = std::current_exception();
  }
}

void StreamThread::onPartitionsRevoked(const std::vector<client::TopicPartition>& partitions) {
  try {
    setState(State::kPartitionsRevoked);
    // Commit while the partitions are still ours, then let them go.
    std::vector<StreamTask*> all;
    for (auto& [id, task] : tasks_) all.push_back(task.get());
    if (!all.empty()) commit(all);
    closeTasks(partitions, true);
  } catch (...) {
    pending_error_ = std::current_exception();
  }
}

void StreamThread::onPartitionsLost(const std::vector<client::TopicPartition>& partitions) {
  // Someone else owns them already: committing would fail, so close without it.
  closeTasks(partitions, false);
}

void StreamThread::closeTasks(const std::vector<client::TopicPartition>& partitions, bool clean) {
  for (auto it = tasks_.begin(); it != tasks_.end();) {
    bool affected = partitions.empty();
    for (const auto& partition : partitions) {
      auto sub = topology_.sub_topology_of_topic.find(partition.topic);
      affected = affected || (sub != topology_.sub_topology_of_topic.end() &&
                              TaskId{sub->second, partition.partition} == it->first);
    }
    if (!affected) {
      ++it;
      continue;
    }
    StreamTask* task = it->second.get();
    if (!clean) log().info("stream-thread [{}] closing task {} without a commit", client_id_, task->idString());
    std::erase_if(routes_, [task](const Route& route) { return route.task == task; });
    for (const auto& partition : task->inputPartitions()) paused_.erase(partition);
    std::lock_guard lock(tasks_mutex_);
    {
      std::lock_guard query_lock(task->queryMutex());
      task->close();
    }
    if (callbacks_.task_closed) callbacks_.task_closed(it->first);
    it = tasks_.erase(it);
  }
  std::lock_guard lock(tasks_mutex_);
  task_ids_.clear();
  for (const auto& [id, task] : tasks_) task_ids_.push_back(id.toString());
}

}  // namespace runnel::streams::internal
