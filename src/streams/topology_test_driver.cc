#include "streams/topology_test_driver.h"


#include <cstdlib>
#include <filesystem>
#include <set>

#include "client/memory_producer.h"
#include "streams/internal/global_state_manager.h"
#include "streams/internal/record_collector.h"
#include "streams/internal/stream_task.h"
#include "streams/internal/thread_cache.h"

namespace runnel::streams {

class TopologyTestDriver::Impl {
 public:
  Impl(StreamsConfig config, internal::BuiltTopology topology, std::filesystem::path temp_dir, int64_t now)
      : config_(std::move(config)), topology_(std::move(topology)), temp_dir_(std::move(temp_dir)), now_(now),
        producer_([this] { return now_; }),
        collector_(&producer_, config_.productionHandling()) {}

  ~Impl() {
    tasks_.clear();
    global_.reset();
    if (!temp_dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(temp_dir_, ignored);
    }
  }

  Status start() {
    internal::TaskServices services;
    services.config = &config_;
    services.collector = &collector_;
    services.clock = [this] { return now_; };
    services.state_dir = std::filesystem::path(config_.stateDir()) / config_.applicationId();
    if (config_.cacheMaxBytes() > 0) {
      cache_ = std::make_unique<internal::ThreadCache>(static_cast<size_t>(config_.cacheMaxBytes()));
      services.cache = cache_.get();
    }
    if (!topology_.global_stores.empty()) {
      global_ = std::make_unique<internal::GlobalStateManager>(topology_, config_, services.state_dir / "global");
      RUNNEL_RETURN_IF_ERROR(global_->initialize());
      services.global_stores = global_.get();
    }
    for (const auto& sub : topology_.sub_topologies) {
      auto task = std::make_unique<internal::StreamTask>(internal::TaskId{sub.id, 0}, topology_, sub, services);
      RUNNEL_RETURN_IF_ERROR(task->initialize());
      for (const auto& topic : sub.source_topics) task_of_topic_[topic] = task.get();
      tasks_.push_back(std::move(task));
    }
    route();
    return Status::ok();
  }

  void pipe(const std::string& topic, internal::DriverRecord record) {
    if (global_ && global_->readsTopic(topic)) return pipeGlobal(topic, record);
    auto it = task_of_topic_.find(topic);
    if (it == task_of_topic_.end()) {
      throw StreamsException("Unknown topic: " + topic);
    }
    client::MessageView view;
    view.topic = topic;
    view.partition = 0;
    view.offset = next_offset_[topic]++;
    view.timestamp = record.timestamp;
    view.timestamp_type = client::TimestampType::kCreateTime;
    if (record.key) view.key = *record.key;
    if (record.value) view.value = *record.value;
    if (!record.headers.empty()) view.headers = &record.headers;
    it->second->addRecord(view);
    // Process it and everything it causes downstream, committing after each record as
    // Kafka's driver does (so a record cache only merges the updates of one record).
    while (it->second->process()) {
      it->second->maybePunctuateStreamTime();
      commit(*it->second);
    }
  }

  void advanceWallClock(int64_t step) {
    now_ += step;
    for (auto& task : tasks_) {
      if (task->maybePunctuateSystemTime()) commit(*task);
    }
  }

  int64_t now() const { return now_; }

  std::vector<std::string> inputTopicNames() const {
    std::vector<std::string> out;
    for (const auto& [topic, task] : task_of_topic_) {
      if (!topology_.writer_of_topic.contains(topic)) out.push_back(topic);
    }
    if (global_) {
      for (const auto& topic : global_->topics()) out.push_back(topic);
    }
    return out;
  }

  std::deque<internal::DriverRecord>& output(const std::string& topic) {
    route();
    return outputs_[topic];
  }

  StateStore* store(const std::string& name) const {
    if (internal::GlobalStateStore* global = global_ ? global_->find(name) : nullptr) return &global->store();
    for (const auto& task : tasks_) {
      if (StateStore* store = task->findStore(name)) return store;
    }
    return nullptr;
  }

  std::vector<std::string> producedTopics() const { return {produced_.begin(), produced_.end()}; }

 private:
  // A global table's record goes into its store at once, as the global thread applies it.
  void pipeGlobal(const std::string& topic, const internal::DriverRecord& record) {
    int64_t offset = next_offset_[topic]++;
    if (!record.key) return;
    ChangelogRecord change{*record.key, std::nullopt};
    if (record.value) change.value = *record.value;
    Status status = global_->apply({topic, 0}, {&change, 1}, offset + 1);
    if (!status.isOk()) throw StreamsException(status.message());
  }

  // Flushing the stores' caches produces output, which route() hands on before the
  // collector's flush reports on it.
  void commit(internal::StreamTask& task) {
    Status status = task.flushStores();
    if (status.isOk()) {
      route();
      status = collector_.flush(std::chrono::milliseconds(0));
    }
    if (!status.isOk()) throw StreamsException(status.message());
    task.markCommitted();
  }

  // Moves what the topology wrote to the output queues, and feeds records of topics the
  // topology reads back into their task.
  void route() {
    // Records sent since the last route are exactly those with a pending delivery report.
    if (producer_.outstanding() == 0) return;
    producer_.poll(std::chrono::milliseconds(0));
    for (bool again = true; again;) {
      again = false;
      for (const auto& topic : producer_.topicNames()) {
        std::vector<client::SentRecord> sent = producer_.take(topic);
        if (sent.empty()) continue;
        produced_.insert(topic);
        bool feeds_back = task_of_topic_.contains(topic) || (global_ && global_->readsTopic(topic));
        for (auto& record : sent) {
          internal::DriverRecord out{std::move(record.key), std::move(record.value), record.timestamp,
                                     std::move(record.headers)};
          if (feeds_back) {
            pipe(topic, std::move(out));
            again = true;
          } else {
            outputs_[topic].push_back(std::move(out));
          }
        }
      }
    }
  }

  StreamsConfig config_;
  internal::BuiltTopology topology_;
  std::filesystem::path temp_dir_;
  int64_t now_;
  client::MemoryProducer producer_;
  internal::RecordCollector collector_;
  std::unique_ptr<internal::GlobalStateManager> global_;
  std::unique_ptr<internal::ThreadCache> cache_;  // outlives the tasks' stores
  std::vector<std::unique_ptr<internal::StreamTask>> tasks_;
  std::map<std::string, internal::StreamTask*> task_of_topic_;
  std::map<std::string, int64_t> next_offset_;
  std::map<std::string, std::deque<internal::DriverRecord>> outputs_;
  std::set<std::string> produced_;
};

Result<std::unique_ptr<TopologyTestDriver>> TopologyTestDriver::create(const Topology& topology,
                                                                       std::map<std::string, std::string> config,
                                                                       int64_t initial_wall_clock_ms) {
  config.try_emplace("application.id", "dummy-topology-test-driver-app-id");
  config.try_emplace("bootstrap.servers", "dummy-kafka-bootstrap:1234");
  std::filesystem::path temp_dir;
  if (!config.contains("state.dir")) {
    std::string pattern = (std::filesystem::temp_directory_path() / "kafka-streams-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) return Status::fromErrno("mkdtemp " + pattern, errno);
    temp_dir = pattern;
    config["state.dir"] = pattern;
  }
  auto streams_config = StreamsConfig::create(std::move(config));
  if (!streams_config) {
    if (!temp_dir.empty()) std::filesystem::remove_all(temp_dir);
    return streams_config.status();
  }
  RUNNEL_ASSIGN_OR_RETURN(auto built, topology.buildFor(streams_config->applicationId()));
  auto impl = std::make_unique<Impl>(std::move(streams_config).value(), std::move(built), std::move(temp_dir),
                                     initial_wall_clock_ms);
  try {
    RUNNEL_RETURN_IF_ERROR(impl->start());
  } catch (const std::exception& e) {
    return Status::internal(e.what());
  }
  return std::unique_ptr<TopologyTestDriver>(new TopologyTestDriver(std::move(impl)));
}

TopologyTestDriver::TopologyTestDriver(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TopologyTestDriver::~TopologyTestDriver() = default;

void TopologyTestDriver::advanceWallClockTime(std::chrono::milliseconds step) { impl_->advanceWallClock(step.count()); }
int64_t TopologyTestDriver::wallClockTime() const { return impl_->now(); }
StateStore* TopologyTestDriver::getStateStore(const std::string& name) const { return impl_->store(name); }
std::vector<std::string> TopologyTestDriver::producedTopicNames() const { return impl_->producedTopics(); }
std::vector<std::string> TopologyTestDriver::inputTopicNames() const { return impl_->inputTopicNames(); }

void TopologyTestDriver::pipeRecord(const std::string& topic, internal::DriverRecord record) {
  impl_->pipe(topic, std::move(record));
}
std::deque<internal::DriverRecord>& TopologyTestDriver::output(const std::string& topic) {
  return impl_->output(topic);
}

}  // namespace runnel::streams
