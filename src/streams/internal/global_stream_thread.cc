#include "streams/internal/global_stream_thread.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "streams/internal/log.h"
#include "streams/processor_error.h"

namespace runnel::streams::internal {

GlobalStreamThread::GlobalStreamThread(std::string client_id, const StreamsConfig& config,
                                       const BuiltTopology& topology, KafkaClientSupplier& clients,
                                       StateRestoreListener* restore_listener,
                                       std::function<void(const std::exception&)> failed)
    : client_id_(std::move(client_id)), config_(config), clients_(clients), restore_listener_(restore_listener),
      failed_(std::move(failed)),
      state_(topology, config, std::filesystem::path(config.stateDir()) / config.applicationId() / "global") {}

GlobalStreamThread::~GlobalStreamThread() {
  shutdown();
  join();
}

void GlobalStreamThread::join() {
  if (thread_.joinable()) thread_.join();
}

Status GlobalStreamThread::start() {
  RUNNEL_RETURN_IF_ERROR(state_.initialize());
  client::ClientConfig consumer_config = config_.consumerConfig(client_id_ + "-global-consumer");
  consumer_config.erase("group.id");  // assigned every partition: no group, no commits
  consumer_config.erase("partition.assignment.strategy");
  RUNNEL_ASSIGN_OR_RETURN(consumer_, clients_.getConsumer(consumer_config, nullptr));
  running_ = true;
  RUNNEL_RETURN_IF_ERROR(restore());
  RUNNEL_RETURN_IF_ERROR(state_.checkpoint());
  thread_ = std::thread([this] { run(); });
  return Status::ok();
}

Status GlobalStreamThread::restore() {
  RUNNEL_ASSIGN_OR_RETURN(auto admin, clients_.getAdmin(config_.adminConfig()));
  RUNNEL_ASSIGN_OR_RETURN(auto metadata, admin->metadata(state_.topics()));
  std::vector<client::TopicPartition> partitions;
  for (const auto& topic : metadata.topics) {
    if (!topic.error.isOk() || topic.partitions.empty()) {
      return Status::notFound("Missing source topics: [" + topic.name + "] of a global table.");
    }
    for (const auto& partition : topic.partitions) partitions.push_back({topic.name, partition.id});
  }
  RUNNEL_ASSIGN_OR_RETURN(auto starts, admin->listOffsets(partitions, client::OffsetSpec::earliest()));
  RUNNEL_ASSIGN_OR_RETURN(auto ends, admin->listOffsets(partitions, client::OffsetSpec::latest()));
  std::map<client::TopicPartition, int64_t> end_of;
  for (const auto& end : ends) end_of[{end.topic, end.partition}] = end.offset;
  std::set<std::string> wiped;
  for (const auto& earliest : starts) {
    client::TopicPartition partition{earliest.topic, earliest.partition};
    int64_t checkpointed = state_.startOffset(partition);
    bool fits = checkpointed == client::kOffsetBeginning ||
                (checkpointed >= earliest.offset && checkpointed <= end_of[partition]);
    if (fits || !wiped.insert(partition.topic).second) continue;
    log().warn("global-stream-thread [{}] the checkpointed offset {} of {}-{} is outside the topic [{}, {}]: wiping "
               "store {} and restoring it from the beginning", client_id_, checkpointed, partition.topic,
               partition.partition, earliest.offset, end_of[partition], state_.storeOf(partition.topic));
    RUNNEL_RETURN_IF_ERROR(state_.wipe(partition.topic));
  }
  std::vector<client::TopicPartitionOffset> assignment;
  for (const auto& earliest : starts) {
    Partition& partition = partitions_.emplace_back();
    partition.id = {earliest.topic, earliest.partition};
    partition.position = std::max(state_.startOffset(partition.id), earliest.offset);
    partition.restore_end = end_of[partition.id];
    partition.restoring = partition.position < partition.restore_end;
    assignment.push_back({partition.id.topic, partition.id.partition, partition.position});
    if (partition.restoring && restore_listener_) {
      restore_listener_->onRestoreStart(partition.id, state_.storeOf(partition.id.topic), partition.position,
                                        partition.restore_end);
    }
  }
  RUNNEL_RETURN_IF_ERROR(consumer_->assign(assignment));
  while (restoring() && running_) {
    RUNNEL_ASSIGN_OR_RETURN(size_t n, pollAndApply(std::chrono::milliseconds(100)));
    if (n > 0) continue;
    // Nothing came: the records before a partition's end may be gone (compaction).
    std::vector<client::TopicPartition> lagging;
    for (const auto& partition : partitions_) {
      if (partition.restoring) lagging.push_back(partition.id);
    }
    RUNNEL_ASSIGN_OR_RETURN(auto positions, consumer_->position(lagging));
    for (const auto& position : positions) {
      Partition* partition = partitionOf(position.topic, position.partition);
      if (partition == nullptr) continue;
      partition->position = std::max(partition->position, position.offset);
      finishRestoring(*partition);
    }
  }
  return Status::ok();
}

bool GlobalStreamThread::restoring() const {
  return std::any_of(partitions_.begin(), partitions_.end(), [](const Partition& p) { return p.restoring; });
}

void GlobalStreamThread::finishRestoring(Partition& partition) {
  if (!partition.restoring || partition.position < partition.restore_end) return;
  partition.restoring = false;
  const std::string& store = state_.storeOf(partition.id.topic);
  if (restore_listener_) restore_listener_->onRestoreEnd(partition.id, store, partition.restored);
  log().info("global-stream-thread [{}] restored {} records of {} into store {}", client_id_, partition.restored,
             partition.id.topic + "-" + std::to_string(partition.id.partition), store);
}

GlobalStreamThread::Partition* GlobalStreamThread::partitionOf(std::string_view topic, int32_t partition) {
  auto matches = [&](const Partition& p) { return p.id.partition == partition && p.id.topic == topic; };
  if (!matches(partitions_[last_partition_])) {
    auto it = std::find_if(partitions_.begin(), partitions_.end(), matches);
    if (it == partitions_.end()) return nullptr;
    last_partition_ = static_cast<size_t>(it - partitions_.begin());
  }
  return &partitions_[last_partition_];
}

Result<size_t> GlobalStreamThread::pollAndApply(std::chrono::milliseconds timeout) {
  batch_.clear();
  RUNNEL_ASSIGN_OR_RETURN(size_t n, consumer_->pollBatch(timeout, 10000, [this](const client::MessageView& m) {
    Partition* partition = partitionOf(m.topic, m.partition);
    if (partition == nullptr) return;  // not assigned: cannot happen
    partition->position = m.offset + 1;
    // As Kafka restores a global store: a record without a key changes nothing.
    if (m.key) batch_.add(m, last_partition_);
  }));
  RUNNEL_RETURN_IF_ERROR(batch_.forEachRun([this](size_t index, std::span<const ChangelogRecord> records) {
    Partition& partition = partitions_[index];
    RUNNEL_RETURN_IF_ERROR(state_.apply(partition.id, records, partition.position));
    if (!partition.restoring) return Status::ok();
    auto applied = static_cast<int64_t>(records.size());
    partition.restored += applied;
    if (restore_listener_) {
      restore_listener_->onBatchRestored(partition.id, state_.storeOf(partition.id.topic), partition.position, applied);
    }
    return Status::ok();
  }));
  for (auto& partition : partitions_) finishRestoring(partition);
  return n;
}

void GlobalStreamThread::run() {
  auto last_checkpoint = std::chrono::steady_clock::now();
  auto interval = std::chrono::milliseconds(config_.commitIntervalMs());
  try {
    while (running_) {
      auto polled = pollAndApply(std::chrono::milliseconds(config_.pollMs()));
      if (!polled.isOk()) throw StreamsException("global-stream-thread [" + client_id_ + "] " + polled.status().toString());
      if (std::chrono::steady_clock::now() - last_checkpoint < interval) continue;
      last_checkpoint = std::chrono::steady_clock::now();
      Status checkpointed = state_.checkpoint();
      if (!checkpointed.isOk()) log().warn("global-stream-thread [{}] {}", client_id_, checkpointed.toString());
    }
  } catch (const std::exception& error) {
    log().error("global-stream-thread [{}] Encountered the following exception during processing and the thread is "
                "going to shut down: {}", client_id_, error.what());
    if (failed_) failed_(error);
  }
  Status closed = consumer_->close();
  if (!closed.isOk()) log().warn("global-stream-thread [{}] consumer close: {}", client_id_, closed.toString());
}

}  // namespace runnel::streams::internal
