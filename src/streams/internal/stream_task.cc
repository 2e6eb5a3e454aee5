#include "streams/internal/log.h"
#include "streams/internal/stream_task.h"

#include <algorithm>

#include "streams/internal/checkpoint.h"
#include "streams/internal/global_state_manager.h"
#include "streams/internal/record_collector.h"

namespace runnel::streams::internal {
namespace {

const std::optional<RecordMetadata> kNoMetadata;

// The next punctuation time after `now`, on the schedule's grid (Kafka's
// PunctuationSchedule.next): missed punctuations are not replayed.
int64_t nextOnGrid(int64_t scheduled, int64_t interval, int64_t now) {
  int64_t next = scheduled + interval;
  if (now >= next) next = scheduled + ((now - scheduled) / interval + 1) * interval;
  return next;
}

std::string changelogTopic(const std::string& application_id, const std::string& store) {
  return application_id + "-" + store + "-changelog";
}

}  // namespace

void StreamTask::StoreChangeLogger::logChange(std::string_view key, std::optional<std::string_view> value) {
  client::ProducerRecord& out = task_->collector().next();
  out.topic = topic_;
  out.partition = task_->id().partition;
  if (!out.key) out.key.emplace();
  out.key->assign(key);
  if (value) {
    if (!out.value) out.value.emplace();
    out.value->assign(*value);
  } else {
    out.value.reset();
  }
  out.timestamp = task_->current_timestamp_;
  out.headers.clear();
  task_->collector().send();
}

Status StreamTask::restoreStores(const CheckpointOffsets& checkpoint) {
  for (const auto& logger : change_loggers_) {
    client::TopicPartition partition{logger->topic(), id_.partition};
    std::string store_name = logger->topic().substr(applicationId().size() + 1);
    store_name.resize(store_name.size() - std::string_view("-changelog").size());
    StateStore* store = stores_.at(store_name).get();
    int64_t from = client::kOffsetBeginning;
    auto it = checkpoint.find(partition);
    // Only a persistent store still holds what its checkpoint says.
    if (store->persistent() && it != checkpoint.end()) from = it->second;
    if (services_.changelog_reader == nullptr) continue;
    RUNNEL_ASSIGN_OR_RETURN(int64_t end, services_.changelog_reader->restore(
                                             store_name, partition, from,
                                             [store](std::span<const ChangelogRecord> records) {
                                               return store->restoreBatch(records);
                                             }));
    if (end >= 0) changelog_offsets_[partition] = end;
  }
  return Status::ok();
}

Status StreamTask::writeCheckpoint() {
  CheckpointOffsets offsets;
  for (const auto& logger : change_loggers_) {
    client::TopicPartition partition{logger->topic(), id_.partition};
    std::string store_name = logger->topic().substr(applicationId().size() + 1);
    store_name.resize(store_name.size() - std::string_view("-changelog").size());
    if (!stores_.at(store_name)->persistent()) continue;
    auto written = services_.collector->changelogEndOffset(partition);
    int64_t offset = written ? *written : -1;
    auto restored = changelog_offsets_.find(partition);
    if (restored != changelog_offsets_.end()) offset = std::max(offset, restored->second);
    if (offset >= 0) offsets[partition] = offset;
  }
  return writeCheckpointFile(taskDir() / ".checkpoint", offsets);
}

void SourceNodeBase::process(const void*) {
  throw StreamsException("source node " + name() + " cannot be a child of another node");
}

Node* Node::findChild(std::string_view child_name) const {
  for (Node* child : children_) {
    if (child->name() == child_name) return child;
  }
  throw StreamsException("Unknown downstream node: " + std::string(child_name) +
                         " either does not exist or is not connected to this processor.");
}

StreamTask::StreamTask(TaskId id, const BuiltTopology& topology, const SubTopology& sub_topology,
                       TaskServices services)
    : id_(id), id_string_(id.toString()), topology_(topology), sub_topology_(sub_topology),
      services_(std::move(services)) {}

StreamTask::~StreamTask() { close(); }

Status StreamTask::initialize() {
  std::map<std::string, Node*, std::less<>> by_name;
  for (const NodeFactory* factory : sub_topology_.nodes) {
    nodes_.push_back(factory->make());
    Node* node = nodes_.back().get();
    by_name[factory->name] = node;
    factory_of_[node] = factory;
    for (const auto& parent : factory->parents) by_name.at(parent)->addChild(node);
  }
  for (const auto& name : sub_topology_.stores) {
    const StoreBuilderBase& builder = *topology_.stores.at(name);
    StateStoreContext store_context{applicationId(), id_string_, taskDir(), nullptr,
                                    builder.cachingEnabled() ? services_.cache : nullptr, &current_timestamp_};
    if (builder.loggingEnabled()) {
      change_loggers_.push_back(
          std::make_unique<StoreChangeLogger>(this, changelogTopic(applicationId(), name)));
      store_context.change_logger = change_loggers_.back().get();
    }
    auto store = builder.build();
    RUNNEL_RETURN_IF_ERROR(store->init(store_context));
    stores_[name] = std::move(store);
  }
  // The nodes are in topological order (parents first).
  auto add_to_flush_order = [this](StateStore* store) {
    if (std::find(flush_order_.begin(), flush_order_.end(), store) == flush_order_.end()) flush_order_.push_back(store);
  };
  for (const NodeFactory* factory : sub_topology_.nodes) {
    for (const auto& name : factory->stores) add_to_flush_order(stores_.at(name).get());
  }
  for (const auto& [name, store] : stores_) add_to_flush_order(store.get());
  RUNNEL_RETURN_IF_ERROR(restoreStores(readCheckpointFile(taskDir() / ".checkpoint")));
  for (const NodeFactory* factory : sub_topology_.nodes) {
    if (factory->kind != NodeKind::kSource) continue;
    auto* source = static_cast<SourceNodeBase*>(by_name.at(factory->name));
    for (const auto& topic : factory->topics) {
      std::string resolved = factory->internal_topic ? applicationId() + "-" + topic : topic;
      queues_.push_back(std::make_unique<RecordQueue>(std::move(resolved), id_.partition, source));
    }
  }
  // Children first, so that a processor may forward from its init() (Kafka allows it).
  for (auto it = nodes_.rbegin(); it != nodes_.rend(); ++it) {
    try {
      (*it)->init(*this);
    } catch (const std::exception& e) {
      return Status::internal("Failed to initialize processor " + (*it)->name() + " of task " + id_string_ + ": " +
                              e.what());
    }
  }
  initialized_ = true;
  return Status::ok();
}

void StreamTask::close() {
  if (!initialized_) return;
  initialized_ = false;
  Status checkpointed = writeCheckpoint();
  if (!checkpointed.isOk()) log().warn("task {}: {}", id_string_, checkpointed.toString());
  for (auto& node : nodes_) {
    try {
      node->close();
    } catch (const std::exception& e) {
      log().error("task {}: processor {} failed to close: {}", id_string_, node->name(), e.what());
    }
  }
  for (auto& [name, store] : stores_) {
    if (!store->isOpen()) continue;
    Status status = store->close();
    if (!status.isOk()) log().error("task {}: store {} failed to close: {}", id_string_, name, status.toString());
  }
}

std::vector<client::TopicPartition> StreamTask::inputPartitions() const {
  std::vector<client::TopicPartition> out;
  for (const auto& queue : queues_) out.push_back({queue->topic(), queue->partition()});
  return out;
}

void StreamTask::addRecord(const client::MessageView& message) {
  for (auto& queue : queues_) {
    if (queue->partition() == message.partition && queue->topic() == message.topic) {
      queue->add(message);
      return;
    }
  }
  log().warn("task {} got a record of {}-{}, which it does not read", id_string_, message.topic, message.partition);
}

size_t StreamTask::buffered() const {
  size_t total = 0;
  for (const auto& queue : queues_) total += queue->size();
  return total;
}

size_t StreamTask::buffered(const client::TopicPartition& partition) const {
  for (const auto& queue : queues_) {
    if (queue->partition() == partition.partition && queue->topic() == partition.topic) return queue->size();
  }
  return 0;
}

bool StreamTask::decodeHead(RecordQueue& queue) {
  while (!queue.empty()) {
    if (queue.headDecoded()) return true;
    RawRecord raw = queue.head();
    int64_t timestamp = -1;
    SourceNodeBase::Decoded decoded;
    try {
      decoded = queue.source()->decode(raw, queue.partitionTime(), queue.slot(), timestamp);
    } catch (const StreamsException& e) {
      throw StreamsException("Deserialization exception handler is set to fail upon a deserialization error. "
                             "taskId=" + id_string_ + ", topic=" + queue.topic() + ", partition=" +
                             std::to_string(queue.partition()) + ", offset=" + std::to_string(raw.offset) + ": " +
                             e.what());
    }
    if (decoded == SourceNodeBase::Decoded::kSkip) {
      queue.pop();
      commit_needed_ = true;
      continue;
    }
    queue.setHeadDecoded(timestamp);
    queue.advancePartitionTime(timestamp);
    return true;
  }
  return false;
}

RecordQueue* StreamTask::nextQueue() {
  RecordQueue* best = nullptr;
  for (auto& queue : queues_) {
    if (!decodeHead(*queue)) continue;
    if (best == nullptr || queue->headTimestamp() < best->headTimestamp()) best = queue.get();
  }
  return best;
}

void StreamTask::rethrow(const char* what, const std::string& processor, const std::exception& e) const {
  std::string message = std::string("Exception caught in ") + what + ". taskId=" + id_string_ +
                        ", processor=" + processor;
  if (metadata_ && !punctuating_) {
    message += ", topic=" + metadata_->topic + ", partition=" + std::to_string(metadata_->partition) +
               ", offset=" + std::to_string(metadata_->offset);
  }
  throw StreamsException(message + ": " + e.what());
}

bool StreamTask::process() {
  RecordQueue* queue = nextQueue();
  if (queue == nullptr) return false;
  if (!metadata_) metadata_.emplace();
  if (metadata_->topic != queue->topic()) metadata_->topic = queue->topic();
  metadata_->partition = queue->partition();
  metadata_->offset = queue->head().offset;
  current_timestamp_ = queue->headTimestamp();
  stream_time_ = std::max(stream_time_, current_timestamp_);
  try {
    queue->source()->forwardSlot(queue->slot());
  } catch (const ProcessorFailure& e) {
    rethrow("process", e.node(), e);
  } catch (const std::exception& e) {
    rethrow("process", queue->source()->name(), e);
  }
  queue->pop();
  commit_needed_ = true;
  return true;
}

const std::optional<RecordMetadata>& StreamTask::recordMetadata() const {
  return punctuating_ ? kNoMetadata : metadata_;
}

Cancellable StreamTask::schedule(Node* node, std::chrono::milliseconds interval, PunctuationType type,
                                 Punctuator punctuator) {
  if (interval.count() < 1) throw StreamsException("The minimum supported scheduling interval is 1 millisecond.");
  auto cancelled = std::make_shared<bool>(false);
  // Stream time punctuation starts on its first advance; wall-clock one interval from now.
  int64_t first = type == PunctuationType::kStreamTime ? 0 : systemTime() + interval.count();
  schedules_.push_back({node, type, interval.count(), first, std::move(punctuator), cancelled});
  return Cancellable(std::move(cancelled));
}

bool StreamTask::punctuate(PunctuationType type, int64_t now) {
  if (now < 0) return false;
  bool any = false;
  // Punctuators may schedule more: iterate over the ones that exist now.
  size_t count = schedules_.size();
  for (size_t i = 0; i < count; ++i) {
    if (schedules_[i].type != type || *schedules_[i].cancelled || schedules_[i].next > now) continue;
    Punctuator punctuator = schedules_[i].punctuator;
    schedules_[i].next = nextOnGrid(schedules_[i].next, schedules_[i].interval, now);
    punctuating_ = true;
    current_timestamp_ = now;
    try {
      punctuator(now);
    } catch (const ProcessorFailure& e) {
      punctuating_ = false;
      rethrow("punctuate", e.node(), e);
    } catch (const std::exception& e) {
      punctuating_ = false;
      rethrow("punctuate", schedules_[i].node->name(), e);
    }
    punctuating_ = false;
    any = true;
  }
  std::erase_if(schedules_, [](const Schedule& s) { return *s.cancelled; });
  if (any) commit_needed_ = true;
  return any;
}

bool StreamTask::maybePunctuateStreamTime() { return punctuate(PunctuationType::kStreamTime, stream_time_); }
bool StreamTask::maybePunctuateSystemTime() { return punctuate(PunctuationType::kWallClockTime, systemTime()); }

std::vector<client::TopicPartitionOffset> StreamTask::committableOffsets() const {
  std::vector<client::TopicPartitionOffset> out;
  for (const auto& queue : queues_) {
    if (queue->consumedOffset() < 0) continue;
    int64_t next = queue->consumedOffset() + 1;
    auto it = committed_.find({queue->topic(), queue->partition()});
    if (it != committed_.end() && it->second == next) continue;
    out.push_back({queue->topic(), queue->partition(), next});
  }
  return out;
}

void StreamTask::markCommitted() {
  for (const auto& queue : queues_) {
    if (queue->consumedOffset() >= 0) committed_[{queue->topic(), queue->partition()}] = queue->consumedOffset() + 1;
  }
  commit_needed_ = false;
  commit_requested_ = false;
}

Status StreamTask::flushStores() {
  // Flushing a cache forwards its changes downstream, into the stores further down:
  // upstream stores go first so that those see everything before they flush.
  try {
    for (StateStore* store : flush_order_) RUNNEL_RETURN_IF_ERROR(store->flush());
  } catch (const ProcessorFailure& e) {
    return Status::internal("Exception caught in flush. taskId=" + id_string_ + ", processor=" + e.node() + ": " +
                            e.what());
  } catch (const std::exception& e) {
    return Status::internal("Exception caught in flush. taskId=" + id_string_ + ": " + e.what());
  }
  return Status::ok();
}

StateStore* StreamTask::stateStore(const Node* node, std::string_view name) const {
  auto factory = factory_of_.find(node);
  bool connected = factory != factory_of_.end() &&
                   std::find(factory->second->stores.begin(), factory->second->stores.end(), name) !=
                       factory->second->stores.end();
  auto it = stores_.find(name);
  if (!connected || it == stores_.end()) {
    throw StreamsException("Processor " + node->name() + " has no access to StateStore " + std::string(name) +
                           " as the store is not connected to the processor.");
  }
  return it->second.get();
}

GlobalStateStore& StreamTask::globalStore(std::string_view name) const {
  GlobalStateStore* store = services_.global_stores ? services_.global_stores->find(name) : nullptr;
  if (store == nullptr) throw StreamsException("Global StateStore " + std::string(name) + " is not registered.");
  return *store;
}

StateStore* StreamTask::findStore(std::string_view name) const {
  auto it = stores_.find(name);
  return it == stores_.end() ? nullptr : it->second.get();
}

}  // namespace runnel::streams::internal
