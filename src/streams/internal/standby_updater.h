#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "client/admin.h"
#include "client/consumer.h"
#include "streams/internal/changelog_batch.h"
#include "streams/internal/checkpoint.h"
#include "streams/internal/stream_task.h"
#include "streams/internal/topology_builder.h"
#include "streams/kafka_streams.h"
#include "streams/streams_config.h"

namespace runnel::streams::internal {

// Keeps standby replicas (num.standby.replicas) of other instances' tasks warm: copies of
// their persistent logged stores in this instance's state directory, fed from the
// changelogs, with the task's .checkpoint kept current. When a task moves here, its
// stores open on those files and restore only the tail past the checkpoint.
//
// librdkafka takes no custom assignor, so standbys are not handed out in the group's
// assignment (DESIGN.md): every instance derives them from the group's description. The
// instances (process ids, from their consumers' client ids) are sorted into a ring, and
// a task's standbys go to the num.standby.replicas instances after its active one. In-
// memory stores get no standby: their copy would have to cross threads when promoted.
class StandbyUpdater {
 public:
  StandbyUpdater(const StreamsConfig& config, const BuiltTopology& topology, KafkaClientSupplier& clients,
                 std::string process_id);
  ~StandbyUpdater();
  StandbyUpdater(const StandbyUpdater&) = delete;
  StandbyUpdater& operator=(const StandbyUpdater&) = delete;

  [[nodiscard]] Status start();
  // Stops the updates and closes the standby stores, writing their checkpoints.
  void stop();

  // A stream thread is about to open task `id` here as active: its standby (if any)
  // closes, writing its checkpoint, and stays closed until unclaim(id).
  void claim(const TaskId& id);
  // The stream thread closed task `id`: it may become a standby here again.
  void unclaim(const TaskId& id);
  std::vector<std::string> standbyTaskIds() const;

 private:
  // The changelog partition of one store of a standby.
  struct Target {
    TaskId task;
    client::TopicPartition partition;
    StateStore* store;
  };
  struct Standby {
    std::map<std::string, std::unique_ptr<StateStore>> stores;  // by changelog topic
    CheckpointOffsets positions;  // changelog partition -> next offset to apply
  };

  void run();
  // Recomputes which tasks this instance stands by for and opens or closes them.
  Status refresh();
  Result<std::set<TaskId>> assignedStandbys();
  Status open(const TaskId& id);
  void close(const TaskId& id);
  Status checkpoint(const TaskId& id, Standby& standby);
  Status reassign();
  Status poll();
  std::filesystem::path taskDir(const TaskId& id) const;

  const StreamsConfig& config_;
  const BuiltTopology& topology_;
  KafkaClientSupplier& clients_;
  std::string process_id_;
  std::unique_ptr<client::Admin> admin_;
  std::unique_ptr<client::Consumer> consumer_;
  mutable std::mutex mutex_;  // guards everything below against claim()/unclaim()
  std::map<TaskId, Standby> standbys_;
  std::set<TaskId> claimed_;
  std::vector<Target> targets_;  // what the consumer is assigned, indexed by ChangelogBatch targets
  ChangelogBatch batch_;
  std::chrono::steady_clock::time_point next_checkpoint_;
  std::atomic<bool> running_{false};
  std::thread thread_;
};

}  // namespace runnel::streams::internal
