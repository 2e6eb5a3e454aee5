#pragma once

// The log cleaner, after Kafka's LogCleaner: a background thread that repeatedly picks the
// compacted partition (cleanup.policy containing "compact") with the highest dirty ratio at
// or above its min.cleanable.dirty.ratio (or past max.compaction.lag.ms, or holding
// tombstones whose delete.retention.ms ran out) and compacts it (log_compactor.h). How far
// each partition is clean is kept in <log.dir>/cleaner-offset-checkpoint, in Kafka's
// format, so that a restart does not recompact everything.

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "broker/broker_config.h"
#include "broker/log_compactor.h"
#include "common/result.h"

namespace runnel::broker {

class TopicManager;
struct Partition;
struct Topic;

class LogCleaner {
 public:
  static constexpr const char* kCheckpointFile = "cleaner-offset-checkpoint";

  LogCleaner(TopicManager& topics, const BrokerConfig& config);
  ~LogCleaner();  // stops the thread
  LogCleaner(const LogCleaner&) = delete;
  LogCleaner& operator=(const LogCleaner&) = delete;

  // Reads the checkpoint and, with log.cleaner.enable and log.cleaner.threads > 0, starts
  // the cleaner thread.
  Status start();
  // Stops the thread after the cleaning in progress, if any.
  void stop();

  // Cleans the filthiest partition that is due, if any; false when none was. The cleaner
  // thread calls this, and backs off log.cleaner.backoff.ms when it returns false.
  Result<bool> cleanOnce(int64_t now_ms);
  // The first dirty offset recorded for a partition, -1 if none.
  int64_t checkpointedOffset(const std::string& topic, int32_t partition) const;

 private:
  using PartitionKey = std::pair<std::string, int32_t>;
  struct State {
    int64_t first_dirty = 0;
    int64_t tombstone_expiry_ms = INT64_MAX;  // in memory only: unknown after a restart
    std::weak_ptr<Partition> partition;       // tells a recreated topic from the old one
    bool seen = false;                        // loaded from the checkpoint until then
  };

  CompactionConfig compactionConfig(const Topic& topic) const;
  Status loadCheckpoint();
  Status writeCheckpoint();
  void run();

  TopicManager& topics_;
  const BrokerConfig config_;
  mutable std::mutex mu_;  // guards states_
  std::map<PartitionKey, State> states_;

  std::mutex thread_mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace runnel::broker
