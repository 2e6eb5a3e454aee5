#include "streams/kafka_streams.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <set>

#include "client/kafka_client.h"
#include "client/partitioner.h"
#include "common/uuid.h"
#include "streams/internal/log.h"
#include "streams/internal/global_stream_thread.h"
#include "streams/internal/standby_updater.h"
#include "streams/internal/stream_thread.h"
#include "streams/serdes.h"

namespace runnel::streams {
namespace {

class LibrdkafkaClientSupplier final : public KafkaClientSupplier {
 public:
  Result<std::unique_ptr<client::Producer>> getProducer(const client::ClientConfig& config) override {
    return client::makeKafkaProducer(config);
  }
  Result<std::unique_ptr<client::Consumer>> getConsumer(const client::ClientConfig& config,
                                                        client::RebalanceListener* listener) override {
    return client::makeKafkaConsumer(config, listener);
  }
  Result<std::unique_ptr<client::Admin>> getAdmin(const client::ClientConfig& config) override {
    return client::makeKafkaAdmin(config);
  }
};

using ThreadState = internal::StreamThread::State;

}  // namespace

std::shared_ptr<KafkaClientSupplier> defaultKafkaClientSupplier() {
  return std::make_shared<LibrdkafkaClientSupplier>();
}

const char* KafkaStreams::stateName(State state) {
  switch (state) {
    case State::kCreated: return "CREATED";
    case State::kRebalancing: return "REBALANCING";
    case State::kRunning: return "RUNNING";
    case State::kPendingShutdown: return "PENDING_SHUTDOWN";
    case State::kNotRunning: return "NOT_RUNNING";
    case State::kPendingError: return "PENDING_ERROR";
    case State::kError: return "ERROR";
  }
  return "UNKNOWN";
}

class KafkaStreams::Impl {
 public:
  Impl(StreamsConfig config, internal::BuiltTopology topology, std::shared_ptr<KafkaClientSupplier> clients)
      : config_(std::move(config)), topology_(std::move(topology)), clients_(std::move(clients)) {
    // Kafka names threads <application.id>-<process id>-StreamThread-<n>; the process id
    // needs only to be unique, so its serde text form is reused.
    std::string process_id;
    (void)Serdes::UUID()->serialize("", randomUuid(), process_id);
    client_id_base_ = config_.clientId().empty() ? config_.applicationId() + "-" + process_id : config_.clientId();
  }

  ~Impl() { close(std::chrono::milliseconds::max()); }

  Status start() {
    {
      std::lock_guard lock(mutex_);
      if (state_ != State::kCreated) {
        return Status::invalidArgument(std::string("KafkaStreams is not in state CREATED but ") + stateName(state_));
      }
    }
    RUNNEL_RETURN_IF_ERROR(prepareTopics());
    RUNNEL_RETURN_IF_ERROR(publishApplicationServer(config_.applicationServer()));
    if (config_.numStandbyReplicas() > 0) {
      standbys_ = std::make_unique<internal::StandbyUpdater>(config_, topology_, *clients_, client_id_base_);
      RUNNEL_RETURN_IF_ERROR(standbys_->start());
    }
    setState(State::kRebalancing);
    // Global stores are complete before any stream thread joins against them.
    if (!topology_.global_stores.empty()) {
      auto global = std::make_unique<internal::GlobalStreamThread>(
          client_id_base_, config_, topology_, *clients_, restore_listener_,
          [this](const std::exception& error) { onGlobalThreadFailed(error); });
      RUNNEL_RETURN_IF_ERROR(global->start());
      std::lock_guard lock(threads_mutex_);
      global_thread_ = std::move(global);
    }
    for (int32_t i = 1; i <= config_.numStreamThreads(); ++i) RUNNEL_RETURN_IF_ERROR(addThread());
    return Status::ok();
  }

  bool close(std::chrono::milliseconds timeout) {
    bool after_error;
    {
      std::lock_guard lock(mutex_);
      if (state_ == State::kNotRunning) return true;
      if (state_ == State::kCreated) {
        setStateLocked(State::kNotRunning);
        return true;
      }
      // After an error the state stays ERROR; close() still joins the threads.
      after_error = state_ == State::kError || state_ == State::kPendingError;
      if (!after_error) setStateLocked(State::kPendingShutdown);
    }
    std::vector<std::unique_ptr<internal::StreamThread>> threads;
    {
      std::lock_guard lock(threads_mutex_);
      threads.swap(threads_);
      for (auto& thread : retired_) threads.push_back(std::move(thread));
      retired_.clear();
    }
    for (auto& thread : threads) thread->shutdown();
    // std::thread has no timed join: wait for the threads to report kDead first.
    auto deadline = timeout == std::chrono::milliseconds::max()
                        ? std::chrono::steady_clock::time_point::max()
                        : std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(mutex_);
    bool stopped = changed_.wait_until(lock, deadline, [&] {
      return std::all_of(threads.begin(), threads.end(), [](const auto& t) { return t->state() == ThreadState::kDead; });
    });
    lock.unlock();
    if (!stopped) {
      internal::log().warn("KafkaStreams close timed out; stream threads are still shutting down");
      // Keep them alive until they finish: they reference this object.
      std::lock_guard threads_lock(threads_mutex_);
      for (auto& thread : threads) retired_.push_back(std::move(thread));
      return false;
    }
    threads.clear();  // joins
    if (standbys_) standbys_->stop();
    // Stream threads read the global stores: the global thread stops after them.
    std::unique_ptr<internal::GlobalStreamThread> global;
    {
      std::lock_guard threads_lock(threads_mutex_);
      global.swap(global_thread_);
    }
    global.reset();  // joins, then closes and checkpoints the global stores
    if (!config_.applicationServer().empty()) {
      Status unpublished = publishApplicationServer("");
      if (!unpublished.isOk()) internal::log().warn("could not withdraw application.server: {}", unpublished.toString());
    }
    std::lock_guard state_lock(mutex_);
    setStateLocked(after_error || failed_ ? State::kError : State::kNotRunning);
    return true;
  }

  State state() const {
    std::lock_guard lock(mutex_);
    return state_;
  }

  Status cleanUp() {
    State current = state();
    if (current != State::kCreated && current != State::kNotRunning && current != State::kError) {
      return Status::invalidArgument(std::string("Cannot clean up while running (state ") + stateName(current) + ")");
    }
    std::error_code error;
    auto dir = std::filesystem::path(config_.stateDir()) / config_.applicationId();
    std::filesystem::remove_all(dir, error);
    if (error) return Status::ioError("cannot delete " + dir.string() + ": " + error.message());
    return Status::ok();
  }

  std::vector<std::string> activeTaskIds() const {
    std::lock_guard lock(threads_mutex_);
    std::vector<std::string> out;
    for (const auto& thread : threads_) {
      auto ids = thread->activeTaskIds();
      out.insert(out.end(), ids.begin(), ids.end());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::vector<std::string> standbyTaskIds() const {
    return standbys_ ? standbys_->standbyTaskIds() : std::vector<std::string>();
  }

  Status checkQueryable(const std::string& store_name) const {
    State current = state();
    if (current != State::kRunning && current != State::kRebalancing) {
      return Status::invalidArgument(std::string("KafkaStreams is not running. State is ") + stateName(current) + ".");
    }
    if (!topology_.stores.contains(store_name)) {
      return Status::notFound("Cannot get state store " + store_name +
                              " because no such store is registered in the topology.");
    }
    return Status::ok();
  }

  void forEachLocalStore(const std::string& store_name, const std::function<void(StateStore&)>& fn) const {
    std::lock_guard lock(threads_mutex_);
    if (topology_.globalStore(store_name) != nullptr) {
      internal::GlobalStateStore* global = global_thread_ ? global_thread_->stateManager().find(store_name) : nullptr;
      if (global == nullptr) return;
      std::lock_guard store_lock(global->mutex());
      fn(global->store());
      return;
    }
    for (const auto& thread : threads_) thread->forEachStore(store_name, fn);
  }

  Result<std::vector<StreamsMetadata>> streamsMetadataForStore(const std::string& store_name) {
    std::lock_guard lock(query_mutex_);
    RUNNEL_ASSIGN_OR_RETURN(auto members, membersWithHosts());
    // Every instance holds all of a global store.
    bool global = topology_.globalStore(store_name) != nullptr;
    std::set<std::string> sources;
    for (const auto& sub : topology_.sub_topologies) {
      if (std::find(sub.stores.begin(), sub.stores.end(), store_name) != sub.stores.end()) {
        sources.insert(sub.source_topics.begin(), sub.source_topics.end());
      }
    }
    std::map<HostInfo, StreamsMetadata> by_host;
    for (const auto& [host, partitions] : members) {
      if (global) {
        by_host[host].host_info = host;
        by_host[host].state_store_names.insert(store_name);
      }
      for (const auto& partition : partitions) {
        if (!sources.contains(partition.topic)) continue;
        StreamsMetadata& metadata = by_host[host];
        metadata.host_info = host;
        metadata.state_store_names.insert(store_name);
        metadata.topic_partitions.insert(partition);
      }
    }
    std::vector<StreamsMetadata> out;
    for (auto& [host, metadata] : by_host) out.push_back(std::move(metadata));
    return out;
  }

  Result<KeyQueryMetadata> queryMetadataForKeyBytes(const std::string& store_name, const std::string& key) {
    std::lock_guard lock(query_mutex_);
    if (topology_.globalStore(store_name) != nullptr) {
      // Every instance holds all of a global store: this one answers.
      RUNNEL_ASSIGN_OR_RETURN(HostInfo local, HostInfo::parse(config_.applicationServer()));
      return KeyQueryMetadata{local, -1};
    }
    const internal::SubTopology* owner = nullptr;
    for (const auto& sub : topology_.sub_topologies) {
      if (std::find(sub.stores.begin(), sub.stores.end(), store_name) != sub.stores.end()) owner = &sub;
    }
    if (owner == nullptr) return Status::notFound("no store " + store_name + " in the topology");
    const std::string& topic = owner->source_topics.front();
    RUNNEL_ASSIGN_OR_RETURN(auto admin, queryAdmin());
    RUNNEL_ASSIGN_OR_RETURN(auto metadata, admin->metadata(std::vector<std::string>{topic}));
    if (metadata.topics.empty() || metadata.topics[0].partitions.empty()) {
      return Status::notFound("no partitions for topic " + topic);
    }
    int32_t partition = client::murmur2Partition(key, static_cast<int32_t>(metadata.topics[0].partitions.size()));
    RUNNEL_ASSIGN_OR_RETURN(auto members, membersWithHosts());
    for (const auto& [host, partitions] : members) {
      if (partitions.contains({topic, partition})) return KeyQueryMetadata{host, partition};
    }
    return Status::notFound("no instance owns partition " + std::to_string(partition) + " of " + topic +
                            " right now (rebalancing?)");
  }

  StateListener state_listener_;
  UncaughtExceptionHandler exception_handler_;
  std::atomic<bool> paused_{false};
  StateRestoreListener* restore_listener_ = nullptr;

 private:
  // Creates the repartition topics (as many partitions as the sources of the
  // sub-topology that writes them, unless fixed) and checks the source topics exist.
  Status prepareTopics() {
    RUNNEL_ASSIGN_OR_RETURN(auto admin, clients_->getAdmin(config_.adminConfig()));
    std::set<std::string> internal_names;
    for (const auto& topic : topology_.internal_topics) internal_names.insert(topic.name);
    std::vector<std::string> external;
    for (const auto& sub : topology_.sub_topologies) {
      for (const auto& topic : sub.source_topics) {
        if (!internal_names.contains(topic)) external.push_back(topic);
      }
    }
    for (const auto& global : topology_.global_stores) external.push_back(global.topic);
    std::map<std::string, int32_t> partitions;
    if (!external.empty()) {
      RUNNEL_ASSIGN_OR_RETURN(auto metadata, admin->metadata(external));
      std::vector<std::string> missing;
      for (const auto& topic : metadata.topics) {
        if (!topic.error.isOk() || topic.partitions.empty()) {
          missing.push_back(topic.name);
        } else {
          partitions[topic.name] = static_cast<int32_t>(topic.partitions.size());
        }
      }
      if (!missing.empty()) {
        return Status::notFound(fmt::format("Missing source topics: [{}]. Create them before starting the application.",
                                            fmt::join(missing, ", ")));
      }
    }
    // Joined inputs must be co-partitioned; a repartition topic feeding a join takes the
    // partition count of the topics it is joined with, as Kafka Streams sets it.
    std::map<std::string, int32_t> joined_counts;
    for (const auto& sub : topology_.sub_topologies) {
      if (!sub.copartitioned) continue;
      std::map<std::string, int32_t> counts;
      for (const auto& source : sub.source_topics) {
        if (!internal_names.contains(source)) counts[source] = partitions.at(source);
      }
      std::set<int32_t> distinct;
      for (const auto& [topic, count] : counts) distinct.insert(count);
      if (distinct.size() > 1) {
        std::vector<std::string> described;
        for (const auto& [topic, count] : counts) described.push_back(fmt::format("{} ({} partitions)", topic, count));
        return Status::invalidArgument(fmt::format("Topics not co-partitioned: [{}]. Joined topics need the same "
                                                   "number of partitions.", fmt::join(described, ", ")));
      }
      if (distinct.empty()) continue;
      for (const auto& source : sub.source_topics) {
        if (internal_names.contains(source)) joined_counts[source] = *distinct.begin();
      }
    }
    // In sub-topology order, so that a repartition topic written by a sub-topology that
    // itself reads one gets its count after it.
    std::vector<client::NewTopic> to_create;
    for (int pass = 0; pass < 2; ++pass) {
      for (const auto& topic : topology_.internal_topics) {
        if (partitions.contains(topic.name)) continue;
        int32_t count = topic.partitions;
        if (count <= 0 && joined_counts.contains(topic.name)) count = joined_counts.at(topic.name);
        if (count <= 0) {
          const auto& writer = topology_.subTopology(topology_.writer_of_topic.at(topic.name));
          for (const auto& source : writer.source_topics) {
            auto it = partitions.find(source);
            if (it != partitions.end()) count = std::max(count, it->second);
          }
        }
        if (count <= 0) continue;
        partitions[topic.name] = count;
        client::NewTopic new_topic{topic.name, count, config_.replicationFactor(), {}};
        new_topic.configs["cleanup.policy"] = "delete";
        new_topic.configs["segment.bytes"] = "52428800";
        new_topic.configs["retention.ms"] = "-1";
        to_create.push_back(std::move(new_topic));
      }
    }
    // Changelogs: one partition per task of the store's sub-topology, compacted.
    for (const auto& sub : topology_.sub_topologies) {
      int32_t tasks = 0;
      for (const auto& source : sub.source_topics) {
        auto it = partitions.find(source);
        if (it != partitions.end()) tasks = std::max(tasks, it->second);
      }
      for (const auto& store : sub.stores) {
        const StoreBuilderBase& builder = *topology_.stores.at(store);
        if (!builder.loggingEnabled() || tasks <= 0) continue;
        client::NewTopic changelog{config_.applicationId() + "-" + store + "-changelog", tasks,
                                   config_.replicationFactor(), builder.logConfig()};
        changelog.configs.try_emplace("cleanup.policy", "compact");
        to_create.push_back(std::move(changelog));
      }
    }
    for (const auto& topic : to_create) {
      Status status = admin->createTopics({topic});
      if (!status.isOk() && client::kafkaErrorName(status) != "TOPIC_ALREADY_EXISTS") return status;
    }
    return Status::ok();
  }

  std::string applicationServersTopic() const { return config_.applicationId() + "-application-servers"; }

  // Writes this instance's application.server (or, with "", withdraws it) to the
  // compacted topic that every instance reads to map group members to hosts (DESIGN.md).
  Status publishApplicationServer(const std::string& server) {
    if (config_.applicationServer().empty()) return Status::ok();
    RUNNEL_RETURN_IF_ERROR(HostInfo::parse(config_.applicationServer()).status());
    RUNNEL_ASSIGN_OR_RETURN(auto admin, queryAdmin());
    client::NewTopic topic{applicationServersTopic(), 1, config_.replicationFactor(), {{"cleanup.policy", "compact"}}};
    Status created = admin->createTopics({topic});
    if (!created.isOk() && client::kafkaErrorName(created) != "TOPIC_ALREADY_EXISTS") return created;
    RUNNEL_ASSIGN_OR_RETURN(auto producer, clients_->getProducer(config_.producerConfig(client_id_base_ + "-metadata")));
    client::ProducerRecord record;
    record.topic = applicationServersTopic();
    record.partition = 0;
    record.key = client_id_base_;
    if (!server.empty()) record.value = server;
    RUNNEL_RETURN_IF_ERROR(producer->send(record));
    return producer->flush(std::chrono::seconds(30));
  }

  Result<client::Admin*> queryAdmin() {
    if (!query_admin_) {
      RUNNEL_ASSIGN_OR_RETURN(query_admin_, clients_->getAdmin(config_.adminConfig()));
    }
    return query_admin_.get();
  }

  // Process id -> application.server for the group's `members`. Reading the topic costs a
  // consumer and most of a second, too much for every query, so the view is kept: an
  // instance publishes its server before it joins, so only a member the view does not
  // know (a new instance) calls for a fresh read, at most once a second. Every 30 s it is
  // read again anyway, for an instance back under a fixed client.id with another server.
  Result<std::map<std::string, HostInfo>> applicationServers(const std::vector<client::GroupMember>& members) {
    auto now = std::chrono::steady_clock::now();
    bool stranger = std::any_of(members.begin(), members.end(), [&](const client::GroupMember& member) {
      auto process = internal::processIdOf(member.client_id);
      return process && !hosts_.contains(*process);
    });
    auto age = hosts_read_at_ ? now - *hosts_read_at_ : std::chrono::steady_clock::duration::max();
    if (age < std::chrono::seconds(1) || (age < std::chrono::seconds(30) && !stranger)) return hosts_;
    RUNNEL_ASSIGN_OR_RETURN(hosts_, readApplicationServers());
    hosts_read_at_ = now;
    return hosts_;
  }

  Result<std::map<std::string, HostInfo>> readApplicationServers() {
    RUNNEL_ASSIGN_OR_RETURN(auto admin, queryAdmin());
    client::TopicPartition partition{applicationServersTopic(), 0};
    RUNNEL_ASSIGN_OR_RETURN(auto ends, admin->listOffsets({partition}, client::OffsetSpec::latest()));
    std::map<std::string, HostInfo> hosts;
    int64_t end = ends.empty() ? 0 : ends[0].offset;
    if (end <= 0) return hosts;
    client::ClientConfig consumer_config = config_.consumerConfig(client_id_base_ + "-metadata-consumer");
    consumer_config.erase("group.id");
    consumer_config.erase("partition.assignment.strategy");
    RUNNEL_ASSIGN_OR_RETURN(auto consumer, clients_->getConsumer(consumer_config, nullptr));
    RUNNEL_RETURN_IF_ERROR(consumer->assign({{partition.topic, 0, client::kOffsetBeginning}}));
    int64_t position = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (position < end && std::chrono::steady_clock::now() < deadline) {
      RUNNEL_RETURN_IF_ERROR(consumer->pollBatch(std::chrono::milliseconds(100), 1000, [&](const client::MessageView& m) {
        position = m.offset + 1;
        if (!m.key) return;
        std::string process(*m.key);
        if (!m.value) {
          hosts.erase(process);
        } else if (auto host = HostInfo::parse(std::string(*m.value)); host.isOk()) {
          hosts[process] = *host;
        }
      }).status());
    }
    return hosts;
  }

  // Each group member's host and assigned partitions, from the group's description.
  Result<std::vector<std::pair<HostInfo, std::set<client::TopicPartition>>>> membersWithHosts() {
    if (config_.applicationServer().empty()) {
      return Status::invalidArgument("application.server is not set: instances cannot be located");
    }
    RUNNEL_ASSIGN_OR_RETURN(auto admin, queryAdmin());
    RUNNEL_ASSIGN_OR_RETURN(auto groups, admin->describeGroups({config_.applicationId()}));
    std::vector<std::pair<HostInfo, std::set<client::TopicPartition>>> out;
    if (groups.empty()) return out;
    RUNNEL_ASSIGN_OR_RETURN(auto hosts, applicationServers(groups[0].members));
    for (const auto& member : groups[0].members) {
      auto process = internal::processIdOf(member.client_id);
      auto host = process ? hosts.find(*process) : hosts.end();
      if (host == hosts.end()) continue;
      out.emplace_back(host->second,
                       std::set<client::TopicPartition>(member.assignment.begin(), member.assignment.end()));
    }
    return out;
  }

  Status addThread() {
    int32_t index = ++thread_index_;
    internal::StreamThread::Callbacks callbacks;
    callbacks.state_changed = [this] { onThreadStateChanged(); };
    callbacks.failed = [this](const std::exception& error) { onThreadFailed(error); };
    callbacks.paused = [this] { return paused_.load(); };
    if (standbys_) {
      callbacks.task_opening = [this](const internal::TaskId& id) { standbys_->claim(id); };
      callbacks.task_closed = [this](const internal::TaskId& id) { standbys_->unclaim(id); };
    }
    internal::GlobalStateManager* global_stores;
    {
      std::lock_guard lock(threads_mutex_);
      global_stores = global_thread_ ? &global_thread_->stateManager() : nullptr;
    }
    auto thread = std::make_unique<internal::StreamThread>(client_id_base_ + "-StreamThread-" + std::to_string(index),
                                                           config_, topology_, *clients_, restore_listener_,
                                                           std::move(callbacks), global_stores);
    RUNNEL_RETURN_IF_ERROR(thread->start());
    std::lock_guard lock(threads_mutex_);
    threads_.push_back(std::move(thread));
    return Status::ok();
  }

  // Kafka's rule: RUNNING once every live thread runs, REBALANCING while one does not;
  // after a failure, ERROR once every thread has stopped.
  void onThreadStateChanged() {
    std::vector<ThreadState> states;
    {
      std::lock_guard lock(threads_mutex_);
      for (const auto& thread : threads_) states.push_back(thread->state());
    }
    std::lock_guard lock(mutex_);
    auto live = std::count_if(states.begin(), states.end(), [](ThreadState s) { return s != ThreadState::kDead; });
    auto running = std::count(states.begin(), states.end(), ThreadState::kRunning);
    if (state_ == State::kRebalancing || state_ == State::kRunning) {
      setStateLocked(live > 0 && running == live ? State::kRunning : State::kRebalancing);
    } else if (state_ == State::kPendingError && live == 0) {
      setStateLocked(State::kError);
    }
    // Under the lock, so that close() cannot miss the change between its check and its wait.
    changed_.notify_all();
  }

  // Runs on the failed thread, which has already cleaned up and is about to end.
  void onThreadFailed(const std::exception& error) {
    ExceptionResponse response = ExceptionResponse::kShutdownClient;
    if (exception_handler_) {
      try {
        response = exception_handler_(error);
      } catch (const std::exception& e) {
        internal::log().error("the uncaught exception handler threw: {}", e.what());
      }
    }
    if (response == ExceptionResponse::kReplaceThread && state() != State::kPendingShutdown) {
      Status status = addThread();
      if (status.isOk()) return;
      internal::log().error("could not replace the failed stream thread: {}", status.toString());
    }
    if (response == ExceptionResponse::kShutdownApplication) {
      internal::log().warn("SHUTDOWN_APPLICATION is handled as SHUTDOWN_CLIENT: only this instance stops");
    }
    {
      std::lock_guard lock(mutex_);
      failed_ = true;
      if (state_ == State::kRunning || state_ == State::kRebalancing) setStateLocked(State::kPendingError);
    }
    {
      // Only asks the others to stop: joining happens in close().
      std::lock_guard lock(threads_mutex_);
      for (auto& thread : threads_) thread->shutdown();
    }
    onThreadStateChanged();  // ERROR now if this was the last live thread
  }

  // Runs on the failed global thread. Kafka cannot replace it: the instance stops.
  void onGlobalThreadFailed(const std::exception& error) {
    if (exception_handler_) {
      try {
        (void)exception_handler_(error);
      } catch (const std::exception& e) {
        internal::log().error("the uncaught exception handler threw: {}", e.what());
      }
    }
    {
      std::lock_guard lock(mutex_);
      failed_ = true;
      if (state_ == State::kRunning || state_ == State::kRebalancing) setStateLocked(State::kPendingError);
    }
    {
      std::lock_guard lock(threads_mutex_);
      for (auto& thread : threads_) thread->shutdown();
    }
    onThreadStateChanged();
  }

  void setState(State state) {
    std::lock_guard lock(mutex_);
    setStateLocked(state);
  }
  void setStateLocked(State state) {
    if (state_ == state) return;
    State old = state_;
    state_ = state;
    internal::log().info("stream-client [{}] State transition from {} to {}", client_id_base_, stateName(old),
                 stateName(state));
    if (state_listener_) state_listener_(state, old);
    changed_.notify_all();
  }

  StreamsConfig config_;
  internal::BuiltTopology topology_;
  std::shared_ptr<KafkaClientSupplier> clients_;
  std::string client_id_base_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  State state_ = State::kCreated;
  // Null without num.standby.replicas; outlives the threads, which call it.
  std::unique_ptr<internal::StandbyUpdater> standbys_;
  mutable std::mutex threads_mutex_;
  std::vector<std::unique_ptr<internal::StreamThread>> threads_;
  std::vector<std::unique_ptr<internal::StreamThread>> retired_;
  std::unique_ptr<internal::GlobalStreamThread> global_thread_;  // with global stores only
  bool failed_ = false;
  std::mutex query_mutex_;  // interactive-query metadata calls may come from many threads
  std::unique_ptr<client::Admin> query_admin_;
  std::map<std::string, HostInfo> hosts_;
  std::optional<std::chrono::steady_clock::time_point> hosts_read_at_;
  int32_t thread_index_ = 0;
};

Result<std::unique_ptr<KafkaStreams>> KafkaStreams::create(const Topology& topology,
                                                           std::map<std::string, std::string> config,
                                                           std::shared_ptr<KafkaClientSupplier> clients) {
  RUNNEL_ASSIGN_OR_RETURN(auto streams_config, StreamsConfig::create(std::move(config)));
  if (streams_config.bootstrapServers().empty()) {
    return Status::invalidArgument("Missing required configuration \"bootstrap.servers\" which has no default value.");
  }
  RUNNEL_ASSIGN_OR_RETURN(auto built, topology.buildFor(streams_config.applicationId()));
  if (!clients) clients = defaultKafkaClientSupplier();
  auto impl = std::make_unique<Impl>(std::move(streams_config), std::move(built), std::move(clients));
  return std::unique_ptr<KafkaStreams>(new KafkaStreams(std::move(impl)));
}

KafkaStreams::KafkaStreams(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KafkaStreams::~KafkaStreams() = default;

void KafkaStreams::setStateListener(StateListener listener) { impl_->state_listener_ = std::move(listener); }
void KafkaStreams::setUncaughtExceptionHandler(UncaughtExceptionHandler handler) {
  impl_->exception_handler_ = std::move(handler);
}
void KafkaStreams::setGlobalStateRestoreListener(StateRestoreListener* listener) {
  impl_->restore_listener_ = listener;
}
Status KafkaStreams::start() { return impl_->start(); }
bool KafkaStreams::close(std::chrono::milliseconds timeout) { return impl_->close(timeout); }
void KafkaStreams::pause() { impl_->paused_ = true; }
void KafkaStreams::resume() { impl_->paused_ = false; }
bool KafkaStreams::isPaused() const { return impl_->paused_.load(); }
KafkaStreams::State KafkaStreams::state() const { return impl_->state(); }
Status KafkaStreams::cleanUp() { return impl_->cleanUp(); }
std::vector<std::string> KafkaStreams::activeTaskIds() const { return impl_->activeTaskIds(); }
std::vector<std::string> KafkaStreams::standbyTaskIds() const { return impl_->standbyTaskIds(); }
Status KafkaStreams::checkQueryable(const std::string& store_name) const { return impl_->checkQueryable(store_name); }
void KafkaStreams::forEachLocalStore(const std::string& store_name,
                                     const std::function<void(StateStore&)>& fn) const {
  impl_->forEachLocalStore(store_name, fn);
}
Result<std::vector<StreamsMetadata>> KafkaStreams::streamsMetadataForStore(const std::string& store_name) const {
  return impl_->streamsMetadataForStore(store_name);
}
Result<KeyQueryMetadata> KafkaStreams::queryMetadataForKeyBytes(const std::string& store_name,
                                                                const std::string& key) const {
  return impl_->queryMetadataForKeyBytes(store_name, key);
}

}  // namespace runnel::streams
