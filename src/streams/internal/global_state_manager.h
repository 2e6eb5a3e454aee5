#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "client/types.h"
#include "common/result.h"
#include "streams/internal/topology_builder.h"
#include "streams/state_store.h"

namespace runnel::streams::internal {

// A global store and its lock: the global thread writes it while stream threads (joins)
// and interactive queries read it. Readers hold the lock for one read, the writer for
// one batch of updates; uncontended, that is one atomic operation per read.
class GlobalStateStore {
 public:
  explicit GlobalStateStore(std::unique_ptr<StateStore> store) : store_(std::move(store)) {}
  std::mutex& mutex() const { return mutex_; }
  StateStore& store() const { return *store_; }

 private:
  std::unique_ptr<StateStore> store_;
  mutable std::mutex mutex_;
};

// Kafka's GlobalStateManager: opens an instance's global stores under
// <state.dir>/<application.id>/global, applies their topics' records to them and
// checkpoints the offsets reached in global/.checkpoint, so that a persistent store
// restores only the tail after a restart. A global table's topic is its store's
// changelog: its records go into the store as they are (a null value deletes), as Kafka
// restores them. Used by the global stream thread and by the test driver.
class GlobalStateManager {
 public:
  // `dir`: <state.dir>/<application.id>/global.
  GlobalStateManager(const BuiltTopology& topology, const StreamsConfig& config, std::filesystem::path dir);
  ~GlobalStateManager();  // closes
  GlobalStateManager(const GlobalStateManager&) = delete;
  GlobalStateManager& operator=(const GlobalStateManager&) = delete;

  // Builds and opens the stores and reads the checkpoint.
  [[nodiscard]] Status initialize();
  void close();

  // The topics of the global stores.
  std::vector<std::string> topics() const;
  bool readsTopic(std::string_view topic) const { return store_of_topic_.contains(topic); }
  // The name of the store `topic` feeds (one of topics()).
  const std::string& storeOf(std::string_view topic) const { return store_of_topic_.find(topic)->second; }
  // Where to resume `partition`: the checkpointed offset for a persistent store, else
  // the beginning (an in-memory store starts empty).
  int64_t startOffset(const client::TopicPartition& partition) const;
  // Applies records of `partition` to its store under the store's lock; `next_offset`
  // is the offset after them.
  [[nodiscard]] Status apply(const client::TopicPartition& partition, std::span<const ChangelogRecord> records,
                             int64_t next_offset);
  // Empties the store `topic` feeds, whose checkpoint no longer fits the topic (it was
  // recreated or truncated), so that it restores from the beginning: deletes its files
  // and opens it again, as Kafka wipes a global store after an invalid offset.
  [[nodiscard]] Status wipe(std::string_view topic);
  // Flushes the stores and writes the checkpoint of the persistent ones.
  [[nodiscard]] Status checkpoint();

  GlobalStateStore* find(std::string_view store) const;

 private:
  StateStoreContext storeContext() const;

  const BuiltTopology& topology_;
  const StreamsConfig& config_;
  std::filesystem::path dir_;
  std::map<std::string, std::unique_ptr<GlobalStateStore>, std::less<>> stores_;  // by store name
  std::map<std::string, std::string, std::less<>> store_of_topic_;
  // The next offset to apply per partition: checkpointed, then applied.
  std::map<client::TopicPartition, int64_t> offsets_;
  bool open_ = false;
};

}  // namespace runnel::streams::internal
