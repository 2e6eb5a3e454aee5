#pragma once

#include <atomic>
#include <exception>
#include <functional>
#include <map>
#include <string_view>
#include <vector>
#include <memory>
#include <string>
#include <thread>

#include "client/admin.h"
#include "client/consumer.h"
#include "streams/internal/changelog_batch.h"
#include "streams/internal/global_state_manager.h"
#include "streams/kafka_streams.h"
#include "streams/streams_config.h"

namespace runnel::streams::internal {

// Kafka's GlobalStreamThread: keeps the instance's global stores as copies of all
// partitions of their topics, with a consumer of its own (assigned, no group). start()
// brings every store up to its topic's end offsets before it returns, so that stream
// threads started after it join against complete tables; the thread then follows the
// topics and checkpoints every commit.interval.ms.
class GlobalStreamThread {
 public:
  // `client_id`: the instance's client id; the consumer is "<client_id>-global-consumer".
  // `failed` is called on the thread when it fails and stops.
  GlobalStreamThread(std::string client_id, const StreamsConfig& config, const BuiltTopology& topology,
                     KafkaClientSupplier& clients, StateRestoreListener* restore_listener,
                     std::function<void(const std::exception&)> failed);
  ~GlobalStreamThread();

  // Opens and restores the stores on the calling thread, then starts the thread.
  [[nodiscard]] Status start();
  void shutdown() { running_ = false; }
  void join();

  GlobalStateManager& stateManager() { return state_; }

 private:
  struct Partition {
    client::TopicPartition id;
    int64_t position = 0;  // the next offset
    bool restoring = false;
    int64_t restore_end = 0;
    int64_t restored = 0;
  };

  Status restore();
  bool restoring() const;
  // Tells the listener when a restoring partition has reached its end.
  void finishRestoring(Partition& partition);
  // Records of one partition come in runs: the last one found is checked first.
  Partition* partitionOf(std::string_view topic, int32_t partition);
  // Polls once and applies what came, partition by partition.
  Result<size_t> pollAndApply(std::chrono::milliseconds timeout);
  void run();

  std::string client_id_;
  const StreamsConfig& config_;
  KafkaClientSupplier& clients_;
  StateRestoreListener* restore_listener_;
  std::function<void(const std::exception&)> failed_;
  GlobalStateManager state_;
  std::unique_ptr<client::Consumer> consumer_;
  std::vector<Partition> partitions_;
  size_t last_partition_ = 0;
  ChangelogBatch batch_;  // of the current poll; a record's target is its partition's index
  std::atomic<bool> running_{false};
  std::thread thread_;
};

}  // namespace runnel::streams::internal
