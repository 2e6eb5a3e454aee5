#pragma once

#include <chrono>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "client/admin.h"
#include "client/consumer.h"
#include "client/producer.h"
#include "common/result.h"
#include "streams/interactive_queries.h"
#include "streams/topology.h"

namespace runnel::streams {

// Makes the Kafka clients of an application, as Kafka Streams' KafkaClientSupplier: the
// librdkafka one by default; an in-process transport can replace it.
class KafkaClientSupplier {
 public:
  virtual ~KafkaClientSupplier() = default;
  virtual Result<std::unique_ptr<client::Producer>> getProducer(const client::ClientConfig& config) = 0;
  virtual Result<std::unique_ptr<client::Consumer>> getConsumer(const client::ClientConfig& config,
                                                                client::RebalanceListener* listener) = 0;
  virtual Result<std::unique_ptr<client::Admin>> getAdmin(const client::ClientConfig& config) = 0;
};

std::shared_ptr<KafkaClientSupplier> defaultKafkaClientSupplier();

// Hears how stores are restored from their changelogs (Kafka's StateRestoreListener).
// Called on the stream thread that restores.
class StateRestoreListener {
 public:
  virtual ~StateRestoreListener() = default;
  virtual void onRestoreStart(const client::TopicPartition& partition, const std::string& store_name,
                              int64_t starting_offset, int64_t ending_offset) = 0;
  virtual void onBatchRestored(const client::TopicPartition& partition, const std::string& store_name,
                               int64_t batch_end_offset, int64_t num_restored) = 0;
  virtual void onRestoreEnd(const client::TopicPartition& partition, const std::string& store_name,
                            int64_t total_restored) = 0;
};

// Runs a topology against a Kafka-protocol cluster, as Kafka Streams' KafkaStreams:
// num.stream.threads threads, each with its own consumer (in the group application.id,
// range assignor), producer, tasks and stores. More instances with the same
// application.id share the partitions; a failed instance's tasks move to the others.
class KafkaStreams {
 public:
  enum class State { kCreated, kRebalancing, kRunning, kPendingShutdown, kNotRunning, kPendingError, kError };
  // What to do when a stream thread fails (Kafka's StreamsUncaughtExceptionHandler).
  enum class ExceptionResponse { kReplaceThread, kShutdownClient, kShutdownApplication };

  using StateListener = std::function<void(State new_state, State old_state)>;
  // Receives the failure of a thread (StreamsException or what user code threw).
  using UncaughtExceptionHandler = std::function<ExceptionResponse(const std::exception& error)>;

  // Checks the configuration and the topology; nothing connects yet.
  static Result<std::unique_ptr<KafkaStreams>> create(const Topology& topology,
                                                      std::map<std::string, std::string> config,
                                                      std::shared_ptr<KafkaClientSupplier> clients = nullptr);
  ~KafkaStreams();  // closes

  // Set before start().
  void setStateListener(StateListener listener);
  void setUncaughtExceptionHandler(UncaughtExceptionHandler handler);
  // Borrowed; must outlive this object.
  void setGlobalStateRestoreListener(StateRestoreListener* listener);

  // Creates the internal topics (repartition topics; compacted changelogs
  // "<application.id>-<store>-changelog" of logged stores), checks that the source topics
  // exist and starts the threads. Only from kCreated.
  [[nodiscard]] Status start();
  // Stops the threads, committing what they processed, and leaves the group. Returns
  // false if the threads did not stop within `timeout`.
  bool close(std::chrono::milliseconds timeout = std::chrono::milliseconds::max());

  // Deletes this application's local state directory (<state.dir>/<application.id>), as
  // Kafka's cleanUp(): only before start() or after close().
  [[nodiscard]] Status cleanUp();

  // Stops processing, as Kafka Streams' pause(): the stream threads keep polling and stay
  // in the group, but process no records and run no punctuators until resume(). Any state.
  void pause();
  void resume();
  bool isPaused() const;

  State state() const;
  // "RUNNING", "REBALANCING", ... as Kafka prints states.
  static const char* stateName(State state);

  // The tasks ("0_1", ...) the threads of this instance run now.
  std::vector<std::string> activeTaskIds() const;
  // The tasks this instance keeps standby replicas of (num.standby.replicas).
  std::vector<std::string> standbyTaskIds() const;

  // Read-only access to this instance's copies of the key-value store `name` (Kafka's
  // store(StoreQueryParameters.fromNameAndType(name, keyValueStore()))), or to its whole
  // copy of a global store. Fails unless the instance is RUNNING or REBALANCING and the
  // topology has such a store.
  template <class K, class V>
  Result<ReadOnlyKeyValueStore<K, V>> store(const std::string& name) const {
    RUNNEL_RETURN_IF_ERROR(checkQueryable(name));
    return ReadOnlyKeyValueStore<K, V>(
        [this, name](const std::function<void(StateStore&)>& fn) { forEachLocalStore(name, fn); });
  }

  // The instances (by their application.server) that run tasks with the store `name`,
  // from the group's current assignment. Needs application.server.
  Result<std::vector<StreamsMetadata>> streamsMetadataForStore(const std::string& store_name) const;
  // The instance that holds `key` of the store `name`: the key is partitioned as the
  // store's input topic is (murmur2 of the serialized key). NotFound while no instance
  // owns that partition (during a rebalance).
  template <class K>
  Result<KeyQueryMetadata> queryMetadataForKey(const std::string& store_name, const K& key,
                                               const SerdePtr<K>& key_serde) const {
    std::string bytes;
    if (!key_serde->serialize("", key, bytes)) return Status::invalidArgument("a null key has no owner");
    return queryMetadataForKeyBytes(store_name, bytes);
  }

 private:
  class Impl;
  explicit KafkaStreams(std::unique_ptr<Impl> impl);
  Status checkQueryable(const std::string& store_name) const;
  void forEachLocalStore(const std::string& store_name, const std::function<void(StateStore&)>& fn) const;
  Result<KeyQueryMetadata> queryMetadataForKeyBytes(const std::string& store_name, const std::string& key) const;
  std::unique_ptr<Impl> impl_;
};

}  // namespace runnel::streams
