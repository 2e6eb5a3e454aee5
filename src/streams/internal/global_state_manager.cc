#include "streams/internal/global_state_manager.h"

#include "streams/internal/checkpoint.h"
#include "streams/internal/log.h"
#include "streams/streams_config.h"

namespace runnel::streams::internal {

GlobalStateManager::GlobalStateManager(const BuiltTopology& topology, const StreamsConfig& config,
                                       std::filesystem::path dir)
    : topology_(topology), config_(config), dir_(std::move(dir)) {}

GlobalStateManager::~GlobalStateManager() { close(); }

StateStoreContext GlobalStateManager::storeContext() const {
  // No change logger: the topic is the changelog.
  return StateStoreContext{config_.applicationId(), "global", dir_, nullptr};
}

Status GlobalStateManager::initialize() {
  for (const auto& global : topology_.global_stores) {
    if (global.resolve_serdes) global.resolve_serdes(config_);
    auto store = topology_.stores.at(global.store)->build();
    RUNNEL_RETURN_IF_ERROR(store->init(storeContext()));
    stores_[global.store] = std::make_unique<GlobalStateStore>(std::move(store));
    store_of_topic_[global.topic] = global.store;
  }
  // Only a persistent store still holds what its checkpoint says.
  for (const auto& [partition, offset] : readCheckpointFile(dir_ / ".checkpoint")) {
    auto store = store_of_topic_.find(partition.topic);
    if (store != store_of_topic_.end() && find(store->second)->store().persistent()) offsets_[partition] = offset;
  }
  open_ = true;
  return Status::ok();
}

void GlobalStateManager::close() {
  if (!open_) return;
  open_ = false;
  Status status = checkpoint();
  if (!status.isOk()) log().warn("global state: {}", status.toString());
  for (auto& [name, global] : stores_) {
    std::lock_guard lock(global->mutex());
    status = global->store().close();
    if (!status.isOk()) log().error("global store {} failed to close: {}", name, status.toString());
  }
}

std::vector<std::string> GlobalStateManager::topics() const {
  std::vector<std::string> out;
  for (const auto& [topic, store] : store_of_topic_) out.push_back(topic);
  return out;
}

int64_t GlobalStateManager::startOffset(const client::TopicPartition& partition) const {
  auto it = offsets_.find(partition);
  return it == offsets_.end() ? client::kOffsetBeginning : it->second;
}

Status GlobalStateManager::apply(const client::TopicPartition& partition, std::span<const ChangelogRecord> records,
                                 int64_t next_offset) {
  GlobalStateStore* global = find(storeOf(partition.topic));
  {
    std::lock_guard lock(global->mutex());
    RUNNEL_RETURN_IF_ERROR(global->store().restoreBatch(records));
  }
  offsets_[partition] = next_offset;
  return Status::ok();
}

Status GlobalStateManager::wipe(std::string_view topic) {
  const std::string& name = storeOf(topic);
  GlobalStateStore* global = find(name);
  std::lock_guard lock(global->mutex());
  RUNNEL_RETURN_IF_ERROR(global->store().close());
  std::error_code error;
  std::filesystem::remove_all(dir_ / "rocksdb" / name, error);
  if (error) return Status::ioError("cannot delete global store " + name + ": " + error.message());
  std::erase_if(offsets_, [&](const auto& entry) { return entry.first.topic == topic; });
  return global->store().init(storeContext());
}

Status GlobalStateManager::checkpoint() {
  for (auto& [name, global] : stores_) {
    std::lock_guard lock(global->mutex());
    RUNNEL_RETURN_IF_ERROR(global->store().flush());
  }
  CheckpointOffsets persistent;
  for (const auto& [partition, offset] : offsets_) {
    if (find(storeOf(partition.topic))->store().persistent()) persistent[partition] = offset;
  }
  return writeCheckpointFile(dir_ / ".checkpoint", persistent);
}

GlobalStateStore* GlobalStateManager::find(std::string_view store) const {
  auto it = stores_.find(store);
  return it == stores_.end() ? nullptr : it->second.get();
}

}  // namespace runnel::streams::internal
