#include "streams/internal/standby_updater.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "streams/internal/log.h"
#include "streams/internal/stream_thread.h"

namespace runnel::streams::internal {
namespace {

// How often the group's description is read again: standbys follow the active tasks
// within about this long after a rebalance.
constexpr auto kRefreshInterval = std::chrono::seconds(1);

std::string changelogTopic(const std::string& application_id, const std::string& store) {
  return application_id + "-" + store + "-changelog";
}

}  // namespace

StandbyUpdater::StandbyUpdater(const StreamsConfig& config, const BuiltTopology& topology,
                               KafkaClientSupplier& clients, std::string process_id)
    : config_(config), topology_(topology), clients_(clients), process_id_(std::move(process_id)) {}

StandbyUpdater::~StandbyUpdater() { stop(); }

Status StandbyUpdater::start() {
  RUNNEL_ASSIGN_OR_RETURN(admin_, clients_.getAdmin(config_.adminConfig()));
  client::ClientConfig consumer_config = config_.consumerConfig(process_id_ + "-standby-consumer");
  consumer_config.erase("group.id");  // assigned by hand: no group, no commits
  consumer_config.erase("partition.assignment.strategy");
  RUNNEL_ASSIGN_OR_RETURN(consumer_, clients_.getConsumer(consumer_config, nullptr));
  next_checkpoint_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(config_.commitIntervalMs());
  running_ = true;
  thread_ = std::thread([this] { run(); });
  return Status::ok();
}

void StandbyUpdater::stop() {
  running_ = false;
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  while (!standbys_.empty()) close(standbys_.begin()->first);
}

void StandbyUpdater::claim(const TaskId& id) {
  std::lock_guard lock(mutex_);
  claimed_.insert(id);
  if (!standbys_.contains(id)) return;
  close(id);
  Status status = reassign();
  if (!status.isOk()) log().warn("standby: {}", status.toString());
}

void StandbyUpdater::unclaim(const TaskId& id) {
  std::lock_guard lock(mutex_);
  claimed_.erase(id);
}

std::vector<std::string> StandbyUpdater::standbyTaskIds() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [id, standby] : standbys_) out.push_back(id.toString());
  return out;
}

std::filesystem::path StandbyUpdater::taskDir(const TaskId& id) const {
  return std::filesystem::path(config_.stateDir()) / config_.applicationId() / id.toString();
}

void StandbyUpdater::run() {
  auto next_refresh = std::chrono::steady_clock::now();
  while (running_) {
    if (std::chrono::steady_clock::now() >= next_refresh) {
      Status status = refresh();
      if (!status.isOk()) log().warn("standby: {}", status.toString());
      next_refresh = std::chrono::steady_clock::now() + kRefreshInterval;
    }
    Status status = poll();
    if (!status.isOk()) log().warn("standby: {}", status.toString());
  }
}

Result<std::set<TaskId>> StandbyUpdater::assignedStandbys() {
  RUNNEL_ASSIGN_OR_RETURN(auto groups, admin_->describeGroups({config_.applicationId()}));
  std::map<TaskId, std::string> active;  // task -> its active instance
  std::set<std::string> instances;
  if (!groups.empty()) {
    for (const auto& member : groups[0].members) {
      std::optional<std::string> found = processIdOf(member.client_id);
      if (!found) continue;
      const std::string& process = *instances.insert(*found).first;
      for (const auto& partition : member.assignment) {
        auto sub = topology_.sub_topology_of_topic.find(partition.topic);
        if (sub != topology_.sub_topology_of_topic.end()) active[{sub->second, partition.partition}] = process;
      }
    }
  }
  std::vector<std::string> ring(instances.begin(), instances.end());
  std::set<TaskId> mine;
  for (const auto& [task, owner] : active) {
    if (owner == process_id_) continue;
    size_t at = static_cast<size_t>(std::find(ring.begin(), ring.end(), owner) - ring.begin());
    size_t replicas = std::min<size_t>(static_cast<size_t>(config_.numStandbyReplicas()), ring.size() - 1);
    for (size_t k = 1; k <= replicas; ++k) {
      if (ring[(at + k) % ring.size()] == process_id_) mine.insert(task);
    }
  }
  return mine;
}

Status StandbyUpdater::refresh() {
  RUNNEL_ASSIGN_OR_RETURN(std::set<TaskId> wanted, assignedStandbys());
  std::lock_guard lock(mutex_);
  bool changed = false;
  for (auto it = standbys_.begin(); it != standbys_.end();) {
    TaskId id = (it++)->first;
    if (!wanted.contains(id)) {
      close(id);
      changed = true;
    }
  }
  for (const TaskId& id : wanted) {
    if (standbys_.contains(id) || claimed_.contains(id)) continue;
    Status opened = open(id);
    // The stream thread that had the task may not have closed it yet (the store's files
    // are locked): the next refresh tries again.
    if (!opened.isOk()) {
      log().debug("standby task {} not opened yet: {}", id.toString(), opened.toString());
      continue;
    }
    changed = true;
  }
  if (!changed) return Status::ok();
  std::vector<std::string> ids;
  for (const auto& [id, standby] : standbys_) ids.push_back(id.toString());
  log().info("standby tasks of {}: [{}]", process_id_, fmt::join(ids, ", "));
  return reassign();
}

Status StandbyUpdater::open(const TaskId& id) {
  const SubTopology& sub = topology_.subTopology(id.sub_topology);
  Standby standby;
  CheckpointOffsets checkpoint = readCheckpointFile(taskDir(id) / ".checkpoint");
  for (const auto& name : sub.stores) {
    const StoreBuilderBase& builder = *topology_.stores.at(name);
    if (!builder.loggingEnabled()) continue;
    auto store = builder.build();
    if (!store->persistent()) continue;
    StateStoreContext context{config_.applicationId(), id.toString(), taskDir(id)};
    Status status = store->init(context);
    if (!status.isOk()) {
      for (auto& [topic, opened] : standby.stores) (void)opened->close();
      return status;
    }
    client::TopicPartition partition{changelogTopic(config_.applicationId(), name), id.partition};
    auto at = checkpoint.find(partition);
    standby.positions[partition] = at != checkpoint.end() ? at->second : client::kOffsetBeginning;
    standby.stores[partition.topic] = std::move(store);
  }
  if (standby.stores.empty()) return Status::ok();  // nothing to keep warm
  standbys_[id] = std::move(standby);
  return Status::ok();
}

void StandbyUpdater::close(const TaskId& id) {
  auto it = standbys_.find(id);
  if (it == standbys_.end()) return;
  Status status = checkpoint(id, it->second);
  if (!status.isOk()) log().warn("standby task {}: {}", id.toString(), status.toString());
  for (auto& [topic, store] : it->second.stores) {
    status = store->close();
    if (!status.isOk()) log().warn("standby task {}: {}", id.toString(), status.toString());
  }
  standbys_.erase(it);
}

Status StandbyUpdater::checkpoint(const TaskId& id, Standby& standby) {
  CheckpointOffsets applied;
  for (const auto& [partition, position] : standby.positions) {
    if (position >= 0) applied[partition] = position;
  }
  // What the checkpoint promises must be on disk first.
  for (auto& [topic, store] : standby.stores) RUNNEL_RETURN_IF_ERROR(store->flush());
  return writeCheckpointFile(taskDir(id) / ".checkpoint", applied);
}

Status StandbyUpdater::reassign() {
  targets_.clear();
  std::vector<client::TopicPartitionOffset> assignment;
  for (auto& [id, standby] : standbys_) {
    for (const auto& [partition, position] : standby.positions) {
      targets_.push_back({id, partition, standby.stores.at(partition.topic).get()});
      assignment.push_back({partition.topic, partition.partition, position});
    }
  }
  return consumer_->assign(assignment);
}

Status StandbyUpdater::poll() {
  std::unique_lock lock(mutex_);
  if (targets_.empty()) {
    lock.unlock();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return Status::ok();
  }
  batch_.clear();
  std::vector<int64_t> positions(targets_.size(), -1);
  RUNNEL_RETURN_IF_ERROR(consumer_->pollBatch(std::chrono::milliseconds(50), 10000, [&](const client::MessageView& m) {
    for (size_t i = 0; i < targets_.size(); ++i) {
      if (targets_[i].partition.partition == m.partition && targets_[i].partition.topic == m.topic) {
        batch_.add(m, i);
        positions[i] = m.offset + 1;
        return;
      }
    }
  }).status());
  RUNNEL_RETURN_IF_ERROR(batch_.forEachRun([this](size_t target, std::span<const ChangelogRecord> records) {
    return targets_[target].store->restoreBatch(records);
  }));
  for (size_t i = 0; i < targets_.size(); ++i) {
    if (positions[i] >= 0) standbys_.at(targets_[i].task).positions[targets_[i].partition] = positions[i];
  }
  if (std::chrono::steady_clock::now() >= next_checkpoint_) {
    for (auto& [id, standby] : standbys_) RUNNEL_RETURN_IF_ERROR(checkpoint(id, standby));
    next_checkpoint_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(config_.commitIntervalMs());
  }
  return Status::ok();
}

}  // namespace runnel::streams::internal
