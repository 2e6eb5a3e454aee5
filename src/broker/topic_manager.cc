#include "broker/topic_manager.h"

#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

#include "common/atomic_file.h"
#include "common/properties.h"
#include "common/uuid.h"

namespace runnel::broker {

namespace fs = std::filesystem;

void AppendWaiters::add(const std::shared_ptr<Waker>& waker) {
  std::lock_guard lock(mu_);
  waiters_.push_back(waker);
}

void AppendWaiters::wakeAll() {
  std::vector<std::weak_ptr<Waker>> waiters;
  {
    std::lock_guard lock(mu_);
    if (waiters_.empty()) return;
    waiters.swap(waiters_);
  }
  for (auto& weak : waiters) {
    if (auto waker = weak.lock()) (*waker)();
  }
}

TopicManager::TopicManager(const BrokerConfig& config) : config_(config), root_(config.log_dirs.front()) {}

TopicManager::~TopicManager() = default;

Result<std::unique_ptr<TopicManager>> TopicManager::open(const BrokerConfig& config) {
  if (config.log_dirs.size() > 1) {
    spdlog::warn("log.dirs lists {} directories; this broker keeps all partitions in the first, {}",
                 config.log_dirs.size(), config.log_dirs.front());
  }
  std::unique_ptr<TopicManager> manager(new TopicManager(config));
  std::error_code ec;
  fs::create_directories(manager->root_ / "topics", ec);
  if (ec) return Status::ioError("cannot create log dir " + manager->root_.string() + ": " + ec.message());
  RUNNEL_RETURN_IF_ERROR(manager->loadClusterId());
  RUNNEL_RETURN_IF_ERROR(manager->loadAll());
  return manager;
}

Status TopicManager::loadClusterId() {
  fs::path meta = root_ / "meta.properties";
  if (fs::exists(meta)) {
    RUNNEL_ASSIGN_OR_RETURN(Properties props, Properties::load(meta.string()));
    cluster_id_ = props.getOr("cluster.id", "");
    auto node = props.getInt("node.id", config_.node_id);
    if (node.isOk() && *node != config_.node_id) {
      return Status::invalidArgument("log dir " + root_.string() + " belongs to node " + std::to_string(*node) +
                                     ", but node.id is " + std::to_string(config_.node_id));
    }
  }
  if (cluster_id_.empty()) {
    cluster_id_ = uuidToBase64(randomUuid());
    std::string text = "version=1\ncluster.id=" + cluster_id_ + "\nnode.id=" + std::to_string(config_.node_id) + "\n";
    RUNNEL_RETURN_IF_ERROR(writeFileAtomically(meta, text));
  }
  return Status::ok();
}

Status TopicManager::validateName(const std::string& name) {
  if (name.empty()) return Status::invalidArgument("Topic name is illegal, it can't be empty");
  if (name == "." || name == "..") return Status::invalidArgument("Topic name cannot be \".\" or \"..\"");
  if (name.size() > 249) {
    return Status::invalidArgument("Topic name is illegal, it can't be longer than 249 characters, topic name: " + name);
  }
  for (char c : name) {
    bool legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                 c == '_' || c == '-';
    if (!legal) {
      return Status::invalidArgument("Topic name \"" + name +
                                     "\" is illegal, it contains a character other than ASCII alphanumerics, "
                                     "'.', '_' and '-'");
    }
  }
  return Status::ok();
}

fs::path TopicManager::partitionDir(const std::string& topic, int32_t index) const {
  return root_ / (topic + "-" + std::to_string(index));
}

fs::path TopicManager::topicFile(const std::string& topic) const { return root_ / "topics" / (topic + ".properties"); }

Status TopicManager::persist(const Topic& topic) const {
  std::ostringstream text;
  text << "topic.id=" << uuidToBase64(topic.id) << "\n";
  text << "partitions=" << topic.partitions.size() << "\n";
  text << "internal=" << (topic.internal ? "true" : "false") << "\n";
  for (const auto& [key, value] : topic.config.overrides()) text << "config." << key << "=" << value << "\n";
  return writeFileAtomically(topicFile(topic.name), text.str());
}

Result<std::shared_ptr<Partition>> TopicManager::openPartition(const Topic& topic, int32_t index) const {
  auto partition = std::make_shared<Partition>();
  partition->topic = topic.name;
  partition->index = index;
  storage::RecoveryReport report;
  auto log = storage::PartitionLog::open(partitionDir(topic.name, index), topic.config.logConfig(config_), &report);
  if (!log) return log.status();
  for (const auto& message : report.messages) spdlog::warn("{}-{}: {}", topic.name, index, message);
  partition->log = std::move(log).value();
  return partition;
}

Status TopicManager::loadAll() {
  for (const auto& entry : fs::directory_iterator(root_ / "topics")) {
    if (entry.path().extension() != ".properties") continue;
    std::string name = entry.path().stem().string();
    RUNNEL_ASSIGN_OR_RETURN(Properties props, Properties::load(entry.path().string()));
    auto topic = std::make_shared<Topic>();
    topic->name = name;
    auto id = uuidFromBase64(props.getOr("topic.id", ""));
    topic->id = id ? *id : randomUuid();
    topic->internal = props.getOr("internal", "false") == "true";
    TopicConfig::Overrides overrides;
    for (const auto& [key, value] : props.all()) {
      if (key.rfind("config.", 0) == 0) overrides[key.substr(7)] = value;
    }
    auto config = TopicConfig::make(std::move(overrides));
    if (!config) return Status::corruption(entry.path().string() + ": " + config.status().message());
    topic->config = std::move(config).value();
    RUNNEL_ASSIGN_OR_RETURN(int64_t count, props.getInt("partitions", 0));
    for (int32_t i = 0; i < count; ++i) {
      RUNNEL_ASSIGN_OR_RETURN(auto partition, openPartition(*topic, i));
      topic->partitions.push_back(std::move(partition));
    }
    topics_[name] = std::move(topic);
  }
  spdlog::info("loaded {} topics from {}", topics_.size(), root_.string());
  return Status::ok();
}

Result<std::shared_ptr<const Topic>> TopicManager::create(const std::string& name, int32_t partitions,
                                                          TopicConfig config, bool internal, bool validate_only) {
  RUNNEL_RETURN_IF_ERROR(validateName(name));
  if (partitions < 1) return Status::outOfRange("Number of partitions must be larger than 0.");
  std::lock_guard admin(admin_mu_);
  if (find(name)) return Status::alreadyExists("Topic '" + name + "' already exists.");
  auto topic = std::make_shared<Topic>();
  topic->name = name;
  topic->id = randomUuid();
  topic->internal = internal;
  topic->config = std::move(config);
  if (validate_only) return std::shared_ptr<const Topic>(topic);
  for (int32_t i = 0; i < partitions; ++i) {
    RUNNEL_ASSIGN_OR_RETURN(auto partition, openPartition(*topic, i));
    topic->partitions.push_back(std::move(partition));
  }
  RUNNEL_RETURN_IF_ERROR(persist(*topic));
  {
    std::unique_lock lock(mu_);
    topics_[name] = topic;
  }
  spdlog::info("created topic {} with {} partitions", name, partitions);
  return std::shared_ptr<const Topic>(topic);
}

Status TopicManager::remove(const std::string& name) {
  std::lock_guard admin(admin_mu_);
  std::shared_ptr<const Topic> topic;
  {
    std::unique_lock lock(mu_);
    auto it = topics_.find(name);
    if (it == topics_.end()) return Status::notFound("This server does not host this topic: " + name);
    topic = it->second;
    topics_.erase(it);
  }
  std::error_code ec;
  fs::remove(topicFile(name), ec);
  for (const auto& partition : topic->partitions) {
    Status s = partition->log->deleteAll();
    if (!s.isOk()) spdlog::warn("deleting {}-{}: {}", name, partition->index, s.toString());
    partition->waiters.wakeAll();
  }
  spdlog::info("deleted topic {}", name);
  return Status::ok();
}

Status TopicManager::addPartitions(const std::string& name, int32_t total_count, bool validate_only) {
  std::lock_guard admin(admin_mu_);
  auto current = find(name);
  if (!current) return Status::notFound("This server does not host this topic: " + name);
  int32_t existing = int32_t(current->partitions.size());
  if (total_count <= existing) {
    return Status::outOfRange("Topic currently has " + std::to_string(existing) + " partitions, which is " +
                              (total_count == existing ? "equal to" : "higher than") + " the requested " +
                              std::to_string(total_count) + ".");
  }
  if (validate_only) return Status::ok();
  auto next = std::make_shared<Topic>(*current);
  for (int32_t i = existing; i < total_count; ++i) {
    RUNNEL_ASSIGN_OR_RETURN(auto partition, openPartition(*next, i));
    next->partitions.push_back(std::move(partition));
  }
  RUNNEL_RETURN_IF_ERROR(persist(*next));
  std::unique_lock lock(mu_);
  topics_[name] = std::move(next);
  return Status::ok();
}

Status TopicManager::alterConfig(const std::string& name, TopicConfig config, bool validate_only) {
  std::lock_guard admin(admin_mu_);
  auto current = find(name);
  if (!current) return Status::notFound("Topic " + name + " does not exist");
  if (validate_only) return Status::ok();
  auto next = std::make_shared<Topic>(*current);
  next->config = std::move(config);
  RUNNEL_RETURN_IF_ERROR(persist(*next));
  storage::LogConfig log_config = next->config.logConfig(config_);
  for (const auto& partition : next->partitions) partition->log->updateConfig(log_config);
  std::unique_lock lock(mu_);
  topics_[name] = std::move(next);
  return Status::ok();
}

std::shared_ptr<const Topic> TopicManager::find(const std::string& name) const {
  std::shared_lock lock(mu_);
  auto it = topics_.find(name);
  return it == topics_.end() ? nullptr : it->second;
}

std::shared_ptr<Partition> TopicManager::partition(const std::string& topic, int32_t index) const {
  auto t = find(topic);
  if (!t || index < 0 || index >= int32_t(t->partitions.size())) return nullptr;
  return t->partitions[size_t(index)];
}

std::vector<std::shared_ptr<const Topic>> TopicManager::list() const {
  std::shared_lock lock(mu_);
  std::vector<std::shared_ptr<const Topic>> out;
  out.reserve(topics_.size());
  for (const auto& [name, topic] : topics_) out.push_back(topic);
  return out;
}

void TopicManager::applyRetention(int64_t now_ms) {
  for (const auto& topic : list()) {
    for (const auto& partition : topic->partitions) {
      int64_t before = partition->log->logStartOffset();
      Status s = partition->log->applyRetention(now_ms);
      if (!s.isOk()) spdlog::warn("retention on {}-{}: {}", topic->name, partition->index, s.toString());
      int64_t after = partition->log->logStartOffset();
      if (after != before) {
        spdlog::info("retention on {}-{} advanced the log start offset from {} to {}", topic->name,
                     partition->index, before, after);
      }
    }
  }
}

void TopicManager::flushAll() { forEachPartition([](storage::PartitionLog& log) { return log.flush(); }, "flush"); }

void TopicManager::maybeFlushAll(int64_t now_ms) {
  forEachPartition([now_ms](storage::PartitionLog& log) { return log.maybeFlush(now_ms); }, "flush");
}

void TopicManager::forEachPartition(const std::function<Status(storage::PartitionLog&)>& fn, const char* what) {
  for (const auto& topic : list()) {
    for (const auto& partition : topic->partitions) {
      Status s = fn(*partition->log);
      if (!s.isOk()) spdlog::warn("{} {}-{}: {}", what, topic->name, partition->index, s.toString());
    }
  }
}

}  // namespace runnel::broker
